package io.atomizer.operator;

import io.javaoperatorsdk.operator.Operator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started operator and what runs beside it (verifier threads, HTTP endpoint, notifier). */
public final class OperatorRuntime {

  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final List<AutoCloseable> companions;

  OperatorRuntime(Operator operator, List<AutoCloseable> companions) {
    this.operator = operator;
    this.companions = companions;
  }

  public Operator operator() {
    return operator;
  }

  /** Stops reconciling (in-flight reconciles finish), then everything beside it. */
  public void stop() {
    operator.stop();
    for (var companion : companions) {
      try {
        companion.close();
      } catch (Exception e) {
        log.warn("Could not stop {}: {}", companion.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
