package io.atomizer.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.status.ConditionSetter;
import io.atomizer.operator.status.ConditionValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A claim that binds at once is written with the pod's next change, never later than the hold. */
class BoundClaimHoldTest {

  private static final Instant FIRST = Instant.parse("2026-12-07T08:00:00Z");
  private static final ConditionValue PENDING =
      ConditionValue.isFalse(Conditions.CLAIM_PENDING, "State claim manager-state is pending.");
  private static final ConditionValue BOUND =
      ConditionValue.isTrue(Conditions.BOUND, "State claim manager-state is bound.");
  private static final ConditionValue POD_PENDING =
      ConditionValue.isFalse(Conditions.POD_PENDING, "The pod is pending.");
  private static final ConditionValue RUNNING =
      ConditionValue.isTrue("Running", "The pod runs and is ready.");

  private final AtomizerAgentStatus written = status(null, FIRST, POD_PENDING, PENDING);

  @Test
  void aClaimBoundAtOnceWaitsForTheRestOfTheHold() {
    var now = FIRST.plusMillis(500);
    var next = status(written, now, POD_PENDING, BOUND);
    assertEquals(Optional.of(Duration.ofMillis(1500)), BoundClaimHold.of(written, next, now));
  }

  @Test
  void afterTheHoldTheBoundClaimIsWrittenAlone() {
    var now = FIRST.plus(BoundClaimHold.HOLD);
    assertEquals(
        Optional.empty(),
        BoundClaimHold.of(written, status(written, now, POD_PENDING, BOUND), now));
  }

  @Test
  void anyOtherChangeIsWrittenAtOnceWithTheBoundClaim() {
    var now = FIRST.plusMillis(500);
    var readyToo = status(written, now, RUNNING, BOUND);
    assertEquals(Optional.empty(), BoundClaimHold.of(written, readyToo, now));
    var phase = status(written, now, POD_PENDING, BOUND);
    phase.setPhase(AtomizerAgentStatus.Phase.Degraded);
    assertEquals(Optional.empty(), BoundClaimHold.of(written, phase, now));
  }

  @Test
  void theFirstStatusAndOtherStorageChangesAreNeverHeld() {
    var now = FIRST.plusMillis(500);
    assertEquals(
        Optional.empty(), BoundClaimHold.of(null, status(null, now, POD_PENDING, BOUND), now));
    var lost = ConditionValue.isFalse(Conditions.CLAIM_NOT_CREATED, "The state claim is gone.");
    assertEquals(
        Optional.empty(), BoundClaimHold.of(written, status(written, now, POD_PENDING, lost), now));
    assertEquals(Optional.empty(), BoundClaimHold.of(written, written, now));
  }

  private static AtomizerAgentStatus status(
      AtomizerAgentStatus previous, Instant now, ConditionValue ready, ConditionValue storage) {
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(1L);
    status.setConditions(
        new ConditionSetter(previous == null ? null : previous.getConditions(), 1, now)
            .set(Conditions.READY, ready)
            .set(Conditions.STORAGE_READY, storage)
            .build());
    status.setStateClaimName("manager-state");
    return status;
  }
}
