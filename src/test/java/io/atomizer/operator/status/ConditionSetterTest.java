package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lastTransitionTime moves only when a condition's status changes (API conventions). */
class ConditionSetterTest {

  static final Instant EARLIER = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-01-01T11:30:00Z");

  @Test
  void newConditionTransitionsNow() {
    var condition =
        only(new ConditionSetter(null, 1, NOW).set("Ready", isFalse("Progressing", "")));

    assertEquals(NOW.toString(), condition.getLastTransitionTime());
    assertEquals("Ready", condition.getType());
    assertEquals("False", condition.getStatus());
    assertEquals("Progressing", condition.getReason());
  }

  @Test
  void unchangedStatusKeepsItsTransitionTimeEvenWhenReasonAndMessageChange() {
    var previous = List.of(condition("Ready", "False", "Progressing", EARLIER));

    var condition =
        only(
            new ConditionSetter(previous, 1, NOW)
                .set("Ready", isFalse("CrashLoopBackOff", "The agent keeps crashing.")));

    assertEquals(EARLIER.toString(), condition.getLastTransitionTime());
    assertEquals("CrashLoopBackOff", condition.getReason());
    assertEquals("The agent keeps crashing.", condition.getMessage());
  }

  @Test
  void changedStatusMovesTheTransitionTime() {
    var previous = List.of(condition("Ready", "False", "Progressing", EARLIER));

    var condition =
        only(new ConditionSetter(previous, 1, NOW).set("Ready", isTrue("Running", "ready")));

    assertEquals(NOW.toString(), condition.getLastTransitionTime());
  }

  @Test
  void eachConditionIsComparedWithItsOwnType() {
    var previous =
        List.of(
            condition("Ready", "True", "Running", EARLIER),
            condition("Stalled", "False", "NotStalled", EARLIER));

    var conditions =
        new ConditionSetter(previous, 1, NOW)
            .set("Ready", isTrue("Running", "ready"))
            .set("Stalled", isTrue("OOMKilled", "oom"))
            .build();

    assertEquals(EARLIER.toString(), conditions.get(0).getLastTransitionTime());
    assertEquals(NOW.toString(), conditions.get(1).getLastTransitionTime());
  }

  @Test
  void everyConditionCarriesTheCurrentGeneration() {
    var previous = List.of(condition("Ready", "True", "Running", EARLIER));

    var condition =
        only(new ConditionSetter(previous, 4, NOW).set("Ready", isTrue("Running", "ready")));

    assertEquals(4L, condition.getObservedGeneration());
  }

  @Test
  void transitionTimeIsTruncatedToSeconds() {
    var condition =
        only(
            new ConditionSetter(null, 1, Instant.parse("2026-01-01T11:30:05.123456789Z"))
                .set("Ready", isFalse("Progressing", "")));

    assertEquals("2026-01-01T11:30:05Z", condition.getLastTransitionTime());
  }

  private static Condition only(ConditionSetter setter) {
    var conditions = setter.build();
    assertEquals(1, conditions.size());
    return conditions.get(0);
  }

  static Condition condition(String type, String status, String reason, Instant at) {
    var condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage("");
    condition.setObservedGeneration(1L);
    condition.setLastTransitionTime(at.toString());
    return condition;
  }
}
