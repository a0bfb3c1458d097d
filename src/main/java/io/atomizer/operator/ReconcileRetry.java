package io.atomizer.operator;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * How a failed reconcile is retried: after 2 s, then twice as long each time, but never longer than
 * the recheck interval, and without a limit on attempts. The cap is what bounds recovery after an
 * API outage: the backoff grows while the errors last, and an agent whose pod creation failed gets
 * no other event to wake it, so with JOSDK's growth to minutes it could stay without a pod for
 * minutes after the API server answers again. No limit on attempts, because an agent that gave up
 * waits for an unrelated event that may never come.
 */
public final class ReconcileRetry {

  /** The first retry's delay, unless the recheck interval is shorter. */
  public static final Duration FIRST = Duration.ofSeconds(2);

  private ReconcileRetry() {}

  public static GenericRetry cappedAt(Duration recheckInterval) {
    long cap = recheckInterval.toMillis();
    return new GenericRetry()
        .setInitialInterval(Math.min(FIRST.toMillis(), cap))
        .setIntervalMultiplier(2)
        .setMaxInterval(cap)
        .withoutMaxAttempts();
  }
}
