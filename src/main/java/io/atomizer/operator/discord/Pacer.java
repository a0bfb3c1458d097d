package io.atomizer.operator.discord;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces out calls to Discord: at most {@code burst} at once, then one per {@code interval}. It is
 * the generic cell rate algorithm (a token bucket without a refill thread): each reservation moves
 * a theoretical arrival time forward by one interval, and a caller waits only when that time runs
 * more than {@code burst - 1} intervals ahead of now.
 */
public final class Pacer {

  private final long intervalNanos;
  private final long toleranceNanos;
  private final LongSupplier nanoTicker;
  private boolean started;
  private long theoreticalArrival;

  /**
   * @param burst how many calls may go at once after a quiet period (at least 1)
   * @param interval the spacing of calls beyond the burst
   * @param nanoTicker a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
   */
  public Pacer(int burst, Duration interval, LongSupplier nanoTicker) {
    if (burst < 1 || interval.isNegative()) {
      throw new IllegalArgumentException("burst must be at least 1 and interval not negative");
    }
    this.intervalNanos = interval.toNanos();
    this.toleranceNanos = (burst - 1) * intervalNanos;
    this.nanoTicker = nanoTicker;
  }

  /** Reserves the next slot and returns how many nanoseconds the caller must wait for it. */
  public synchronized long reserve() {
    long now = nanoTicker.getAsLong();
    long tat = started && theoreticalArrival - now > 0 ? theoreticalArrival : now;
    long allowedAt = tat - toleranceNanos;
    long wait = Math.max(0, allowedAt - now);
    theoreticalArrival = tat + intervalNanos;
    started = true;
    return wait;
  }
}
