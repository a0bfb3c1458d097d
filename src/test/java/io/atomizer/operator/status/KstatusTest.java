package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stalled, Reconciling and the phase, as kstatus, Flux and kubectl get read them. */
class KstatusTest {

  static final ConditionValue READY = isTrue(Conditions.RUNNING, "Pod tech-lead is ready.");
  static final ConditionValue NOT_STALLED = isFalse(Conditions.NOT_STALLED, "Nothing.");
  static final ConditionValue NO_INBOX = ConditionValue.unknown("", "");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "InvalidSpec",
        "SecretNotFound",
        "KeyNotFound",
        "DuplicateToken",
        "InvalidToken",
        "WorkspaceClaimNotFound",
        "SkillsClaimNotFound",
        "ClaimLost",
        "ImagePullBackOff",
        "CreateContainerConfigError",
        "CrashLoopBackOff",
        "OOMKilled"
      })
  void stalledWhenReadyWaitsForAHuman(String reason) {
    var stalled = Stalled.decide(isFalse(reason, "Fix spec.something."));

    assertEquals(isTrue(reason, "Fix spec.something."), stalled);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Progressing",
        "ReplacingPod",
        "WaitingForTokenRelease",
        "Suspended",
        "ClaimPending",
        "ClaimNotCreated",
        "PodPending",
        "NotReady",
        "Unschedulable",
        "Terminating",
        "PodFailed"
      })
  void notStalledWhileTheOperatorOrClusterCanStillProgress(String reason) {
    var stalled = Stalled.decide(isFalse(reason, "Wait."));

    assertEquals("False", stalled.status());
    assertEquals(Conditions.NOT_STALLED, stalled.reason());
  }

  @Test
  void notStalledWhenReady() {
    assertEquals("False", Stalled.decide(READY).status());
  }

  @Test
  void stalledAgentIsNotReconcilingButBlocked() {
    var ready = isFalse(Conditions.CRASH_LOOP_BACK_OFF, "crashing");

    var reconciling = Reconciling.decide(ready, Stalled.decide(ready), false, false);

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.BLOCKED, reconciling.reason());
  }

  @Test
  void suspendingAgentReconcilesUntilItsPodIsGone() {

    var reconciling =
        Reconciling.decide(isFalse(Conditions.SUSPENDED, "suspended"), NOT_STALLED, true, true);

    assertEquals("True", reconciling.status());
    assertEquals(Conditions.PROGRESSING, reconciling.reason());
  }

  @Test
  void suspendedAgentWithoutPodIsReconciledSoFluxWaitsEnd() {
    var reconciling =
        Reconciling.decide(isFalse(Conditions.SUSPENDED, "suspended"), NOT_STALLED, true, false);

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.RECONCILED, reconciling.reason());
  }

  @Test
  void readyAgentIsReconciled() {
    var reconciling = Reconciling.decide(READY, NOT_STALLED, false, false);

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.RECONCILED, reconciling.reason());
  }

  @Test
  void notReadyAgentIsReconcilingForReadysReason() {
    var ready = isFalse(Conditions.REPLACING_POD, "The spec changed; pod tech-lead is replaced.");

    var reconciling = Reconciling.decide(ready, NOT_STALLED, false, false);

    assertEquals(isTrue(Conditions.REPLACING_POD, ready.message()), reconciling);
  }

  @Test
  void suspendedPhaseWinsOverEverything() {
    var stalled = isTrue(Conditions.CRASH_LOOP_BACK_OFF, "crashing");

    assertEquals(
        Phase.Suspended,
        AgentPhase.decide(isFalse(Conditions.SUSPENDED, ""), stalled, NO_INBOX, true, true));
  }

  @Test
  void stalledAgentIsFailed() {
    var ready = isFalse(Conditions.OOM_KILLED, "oom");

    assertEquals(
        Phase.Failed, AgentPhase.decide(ready, Stalled.decide(ready), NO_INBOX, false, false));
  }

  @Test
  void readyAgentIsRunning() {
    assertEquals(Phase.Running, AgentPhase.decide(READY, NOT_STALLED, NO_INBOX, false, true));
  }

  @Test
  void readyAgentWithABackloggedInboxIsDegraded() {
    var backlogged = isFalse(Conditions.BACKLOGGED, "12 tasks pending");

    assertEquals(Phase.Degraded, AgentPhase.decide(READY, NOT_STALLED, backlogged, false, true));
  }

  @Test
  void runningButNotReadyAgentIsDegraded() {
    assertEquals(
        Phase.Degraded,
        AgentPhase.decide(isFalse(Conditions.NOT_READY, ""), NOT_STALLED, NO_INBOX, false, true));
  }

  @Test
  void agentWithoutARunningPodIsPending() {
    assertEquals(
        Phase.Pending,
        AgentPhase.decide(
            isFalse(Conditions.PROGRESSING, ""), NOT_STALLED, NO_INBOX, false, false));
  }
}
