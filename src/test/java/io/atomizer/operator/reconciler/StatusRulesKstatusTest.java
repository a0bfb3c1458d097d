package io.atomizer.operator.reconciler;

import static io.atomizer.operator.reconciler.StatusRulesReadyTest.observed;
import static io.atomizer.operator.reconciler.StatusRulesReadyTest.plan;
import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.support.Pods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stalled, Reconciling and the phase, as kstatus, Flux and kubectl get read them. */
class StatusRulesKstatusTest {

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
    var stalled = StatusRules.computeStalled(isFalse(reason, "Fix spec.something."));

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
    var stalled = StatusRules.computeStalled(isFalse(reason, "Wait."));

    assertEquals("False", stalled.status());
    assertEquals(Conditions.NOT_STALLED, stalled.reason());
  }

  @Test
  void notStalledWhenReady() {
    assertEquals("False", StatusRules.computeStalled(READY).status());
  }

  @Test
  void stalledAgentIsNotReconcilingButBlocked() {
    var ready = isFalse(Conditions.CRASH_LOOP_BACK_OFF, "crashing");

    var reconciling =
        StatusRules.computeReconciling(
            ready, StatusRules.computeStalled(ready), plan(false, null), Observed.nothing());

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.BLOCKED, reconciling.reason());
  }

  @Test
  void suspendingAgentReconcilesUntilItsPodIsGone() {
    var pod = Pods.terminating(Pods.pod("tech-lead", "Running", Pods.running(true, 0)));

    var reconciling =
        StatusRules.computeReconciling(
            isFalse(Conditions.SUSPENDED, "suspended"),
            NOT_STALLED,
            plan(true, null),
            observed(pod, false));

    assertEquals("True", reconciling.status());
    assertEquals(Conditions.PROGRESSING, reconciling.reason());
  }

  @Test
  void suspendedAgentWithoutPodIsReconciledSoFluxWaitsEnd() {
    var reconciling =
        StatusRules.computeReconciling(
            isFalse(Conditions.SUSPENDED, "suspended"),
            NOT_STALLED,
            plan(true, null),
            Observed.nothing());

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.RECONCILED, reconciling.reason());
  }

  @Test
  void readyAgentIsReconciled() {
    var reconciling =
        StatusRules.computeReconciling(READY, NOT_STALLED, plan(false, null), Observed.nothing());

    assertEquals("False", reconciling.status());
    assertEquals(Conditions.RECONCILED, reconciling.reason());
  }

  @Test
  void notReadyAgentIsReconcilingForReadysReason() {
    var ready = isFalse(Conditions.REPLACING_POD, "The spec changed; pod tech-lead is replaced.");

    var reconciling =
        StatusRules.computeReconciling(ready, NOT_STALLED, plan(false, null), Observed.nothing());

    assertEquals(isTrue(Conditions.REPLACING_POD, ready.message()), reconciling);
  }

  @Test
  void suspendedPhaseWinsOverEverything() {
    var stalled = isTrue(Conditions.CRASH_LOOP_BACK_OFF, "crashing");

    assertEquals(
        Phase.Suspended,
        StatusRules.computePhase(
            isFalse(Conditions.SUSPENDED, ""), stalled, NO_INBOX, plan(true, null), true));
  }

  @Test
  void stalledAgentIsFailed() {
    var ready = isFalse(Conditions.OOM_KILLED, "oom");

    assertEquals(
        Phase.Failed,
        StatusRules.computePhase(
            ready, StatusRules.computeStalled(ready), NO_INBOX, plan(false, null), false));
  }

  @Test
  void readyAgentIsRunning() {
    assertEquals(
        Phase.Running,
        StatusRules.computePhase(READY, NOT_STALLED, NO_INBOX, plan(false, null), true));
  }

  @Test
  void readyAgentWithABackloggedInboxIsDegraded() {
    var backlogged = isFalse(Conditions.BACKLOGGED, "12 tasks pending");

    assertEquals(
        Phase.Degraded,
        StatusRules.computePhase(READY, NOT_STALLED, backlogged, plan(false, null), true));
  }

  @Test
  void runningButNotReadyAgentIsDegraded() {
    assertEquals(
        Phase.Degraded,
        StatusRules.computePhase(
            isFalse(Conditions.NOT_READY, ""), NOT_STALLED, NO_INBOX, plan(false, null), true));
  }

  @Test
  void agentWithoutARunningPodIsPending() {
    assertEquals(
        Phase.Pending,
        StatusRules.computePhase(
            isFalse(Conditions.PROGRESSING, ""), NOT_STALLED, NO_INBOX, plan(false, null), false));
  }
}
