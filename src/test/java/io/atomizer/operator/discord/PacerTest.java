package io.atomizer.operator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(-5 * SECOND); // nanoTime may be negative

  @Test
  void burstGoesAtOnceThenOnePerInterval() {
    var pacer = new Pacer(2, Duration.ofSeconds(3), now::get);

    assertEquals(0, pacer.reserve());
    assertEquals(0, pacer.reserve());
    assertEquals(3 * SECOND, pacer.reserve());
    assertEquals(6 * SECOND, pacer.reserve());
  }

  @Test
  void quietPeriodRefillsTheBurst() {
    var pacer = new Pacer(2, Duration.ofSeconds(3), now::get);
    pacer.reserve();
    pacer.reserve();
    pacer.reserve();

    now.addAndGet(60 * SECOND);

    assertEquals(0, pacer.reserve());
    assertEquals(0, pacer.reserve());
    assertEquals(3 * SECOND, pacer.reserve());
  }

  @Test
  void waitingCallersAreSpacedFromWhenTheyAsked() {
    var pacer = new Pacer(1, Duration.ofSeconds(3), now::get);
    pacer.reserve();

    now.addAndGet(2 * SECOND);

    assertEquals(1 * SECOND, pacer.reserve(), "one second left of the interval");
  }
}
