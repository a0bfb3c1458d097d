package io.atomizer.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.PodFacts;
import io.atomizer.operator.reconciler.AgentEvents.Notice;
import io.atomizer.operator.status.ConditionSetter;
import io.atomizer.operator.status.ConditionValue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events only for transitions a person cares about; none in steady state. */
class AgentEventsTest {

  @Test
  void steadyStateRecordsNothing() {
    assertEquals(List.of(), AgentEvents.transitions(running(), running(), false));
  }

  @Test
  void steadyStallRecordsNothingMore() {
    var crashing = stalled(Conditions.CRASH_LOOP_BACK_OFF);

    assertEquals(
        List.of(),
        AgentEvents.transitions(crashing, stalled(Conditions.CRASH_LOOP_BACK_OFF), false));
  }

  @Test
  void steadySuspensionRecordsNothingMore() {
    assertEquals(List.of(), AgentEvents.transitions(suspended(), suspended(), false));
  }

  @Test
  void replacingThePodIsRecordedOnce() {
    var replacing =
        status(Phase.Pending, "False", Conditions.REPLACING_POD, "The spec changed.", null, "p");

    assertEquals(
        List.of(new Notice("Normal", "ReplacingPod", "The spec changed.")),
        AgentEvents.transitions(running(), replacing, false));
    assertEquals(List.of(), AgentEvents.transitions(replacing, replacing, false));
  }

  @Test
  void podCreatedWhileTheStatusKnewAPodIsRecreated() {
    var after = status(Phase.Pending, "False", Conditions.PROGRESSING, "Creating.", null, "tl");

    var notices = AgentEvents.transitions(running(), after, true);

    assertEquals(List.of("PodRecreated"), reasons(notices));
    assertEquals("Normal", notices.get(0).type());
  }

  @Test
  void firstPodOfAnAgentIsNotARecreation() {
    var before = status(Phase.Pending, "False", Conditions.PROGRESSING, "Creating.", null, null);
    var after = status(Phase.Pending, "False", Conditions.PROGRESSING, "Creating.", null, "tl");

    assertEquals(List.of(), AgentEvents.transitions(before, after, true));
    assertEquals(List.of(), AgentEvents.transitions(null, after, true));
  }

  @Test
  void suspendingIsRecorded() {
    assertEquals(
        List.of("Suspended"), reasons(AgentEvents.transitions(running(), suspended(), false)));
  }

  @Test
  void resumingIsRecorded() {
    var starting = status(Phase.Pending, "False", Conditions.PROGRESSING, "Creating.", null, null);

    assertEquals(
        List.of("Resumed"), reasons(AgentEvents.transitions(suspended(), starting, false)));
  }

  @Test
  void startingToNeedAHumanIsAWarningWithTheStallReason() {
    var notices = AgentEvents.transitions(running(), stalled(Conditions.OOM_KILLED), false);

    assertEquals(
        List.of(new Notice("Warning", Conditions.OOM_KILLED, "Needs a human: OOMKilled")), notices);
  }

  @Test
  void aDifferentStallReasonIsWarnedAgain() {
    var notices =
        AgentEvents.transitions(
            stalled(Conditions.CRASH_LOOP_BACK_OFF), stalled(Conditions.OOM_KILLED), false);

    assertEquals(List.of(Conditions.OOM_KILLED), reasons(notices));
  }

  @Test
  void aFirstStatusThatIsStalledIsWarned() {
    assertEquals(
        List.of(Conditions.SECRET_NOT_FOUND),
        reasons(AgentEvents.transitions(null, stalled(Conditions.SECRET_NOT_FOUND), false)));
  }

  @Test
  void runningAgainAfterAStallIsRecovered() {
    var notices =
        AgentEvents.transitions(stalled(Conditions.CRASH_LOOP_BACK_OFF), running(), false);

    assertEquals(
        List.of(new Notice("Normal", "Recovered", "Pod tl is running and ready.")), notices);
  }

  @Test
  void leavingAStallWithoutRunningIsNotYetRecovered() {
    var starting = status(Phase.Pending, "False", Conditions.PROGRESSING, "Creating.", null, "tl");

    assertEquals(
        List.of(), AgentEvents.transitions(stalled(Conditions.KEY_NOT_FOUND), starting, false));
  }

  private static List<String> reasons(List<Notice> notices) {
    return notices.stream().map(Notice::reason).toList();
  }

  private static AtomizerAgentStatus running() {
    return status(
        Phase.Running, "True", Conditions.RUNNING, "Pod tl is running and ready.", null, "tl");
  }

  private static AtomizerAgentStatus suspended() {
    return status(
        Phase.Suspended, "False", Conditions.SUSPENDED, "spec.suspend is true.", null, null);
  }

  private static AtomizerAgentStatus stalled(String reason) {
    return status(Phase.Failed, "False", reason, "Needs a human: " + reason, reason, "tl");
  }

  /** A status as the assembler writes it; {@code stalledReason} null means Stalled=False. */
  private static AtomizerAgentStatus status(
      Phase phase,
      String readyStatus,
      String readyReason,
      String readyMessage,
      String stalledReason,
      String podName) {
    var now = Instant.parse("2026-01-01T10:00:00Z");
    var ready = new ConditionValue(readyStatus, readyReason, readyMessage);
    var stalled =
        stalledReason == null
            ? ConditionValue.isFalse(Conditions.NOT_STALLED, "Nothing needs a human.")
            : ConditionValue.isTrue(stalledReason, readyMessage);
    var status = new AtomizerAgentStatus();
    status.setPhase(phase);
    status.setConditions(
        new ConditionSetter(null, 1, now)
            .set(Conditions.READY, ready)
            .set(Conditions.STALLED, stalled)
            .build());
    status.setPod(podName == null ? null : new PodFacts(podName, 0, null, null, null));
    return status;
  }
}
