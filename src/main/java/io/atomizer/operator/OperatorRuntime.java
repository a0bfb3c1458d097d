package io.atomizer.operator;

import io.javaoperatorsdk.operator.Operator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started operator and what runs beside it (verifier threads, HTTP endpoint, notifier). */
public final class OperatorRuntime {

  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final List<AutoCloseable> companions;
  private final Optional<Leadership> leadership;

  OperatorRuntime(
      Operator operator, List<AutoCloseable> companions, Optional<Leadership> leadership) {
    this.operator = operator;
    this.companions = companions;
    this.leadership = leadership;
  }

  public Operator operator() {
    return operator;
  }

  /**
   * Stops reconciling (in-flight reconciles finish), then everything beside it, then hands the
   * leader Lease over (if leader election is on), so that a standby takes over at once and never
   * acts while this instance still does.
   */
  public void stop() {
    leadership.ifPresent(Leadership::stopping);
    operator.stop();
    for (var companion : companions) {
      try {
        companion.close();
      } catch (Exception e) {
        log.warn("Could not stop {}: {}", companion.getClass().getSimpleName(), e.toString());
      }
    }
    leadership.ifPresent(Leadership::release);
  }
}
