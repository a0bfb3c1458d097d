package io.atomizer.operator.reconciler;

import static io.atomizer.operator.reconciler.StatusRulesTokenAndStorageTest.FINGERPRINT;
import static io.atomizer.operator.reconciler.StatusRulesTokenAndStorageTest.assertMentions;
import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.Pods;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ready: True only for a healthy pod of the current spec; otherwise the first blocker. */
class StatusRulesReadyTest {

  static final ConditionValue TOKEN_OK = isTrue(Conditions.TOKEN_RESOLVED, "token ok");
  static final ConditionValue STORAGE_OK = isTrue(Conditions.BOUND, "bound");
  static final ConditionValue POD_OK =
      isTrue(Conditions.RUNNING, "Pod tech-lead is running and ready.");

  private final AtomizerAgent agent =
      Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", Instant.parse("2026-01-01T10:00:00Z"));

  @Test
  void invalidSpecListsEveryProblem() {
    var plan = AgentPlan.invalid(List.of("spec.role is required.", "spec.token is required."));

    var ready = StatusRules.computeReady(agent, plan, null, null, POD_OK, Observed.nothing());

    assertEquals("False", ready.status());
    assertEquals(Conditions.INVALID_SPEC, ready.reason());
    assertEquals("spec.role is required. spec.token is required.", ready.message());
  }

  @Test
  void suspendedAgentIsNotReadyAndSaysHowToResume() {
    var ready = ready(plan(true, null), TOKEN_OK, STORAGE_OK, Observed.nothing());

    assertEquals("False", ready.status());
    assertEquals(Conditions.SUSPENDED, ready.reason());
    assertMentions(ready, "spec.suspend");
  }

  @Test
  void tokenProblemIsPassedOn() {
    var token = isFalse(Conditions.KEY_NOT_FOUND, "Secret s has no non-empty key K.");

    var ready = ready(plan(false, null), token, STORAGE_OK, Observed.nothing());

    assertEquals(token, ready);
  }

  @Test
  void missingSharedClaimIsPassedOn() {
    var storage = isFalse(Conditions.WORKSPACE_CLAIM_NOT_FOUND, "Claim w does not exist.");

    var ready = ready(plan(false, null), TOKEN_OK, storage, Observed.nothing());

    assertEquals(storage, ready);
  }

  @Test
  void pendingStateClaimDoesNotHoldBackPodCreation() {
    var storage = isFalse(Conditions.CLAIM_PENDING, "State claim waits for a volume.");

    var ready = ready(plan(false, null), TOKEN_OK, storage, Observed.nothing());

    assertEquals(Conditions.PROGRESSING, ready.reason());
  }

  @Test
  void anotherAgentsPodHoldingTheTokenIsWaitedFor() {
    var blocking = Pods.terminating(Pods.pod("manager", "Running", Pods.running(true, 0)));

    var ready = ready(plan(false, blocking), TOKEN_OK, STORAGE_OK, Observed.nothing());

    assertEquals("False", ready.status());
    assertEquals(Conditions.WAITING_FOR_TOKEN_RELEASE, ready.reason());
    assertMentions(ready, "Pod manager", "agent team/manager");
  }

  @Test
  void noPodYetIsBeingCreated() {
    var ready = ready(plan(false, null), TOKEN_OK, STORAGE_OK, Observed.nothing());

    assertEquals("False", ready.status());
    assertEquals(Conditions.PROGRESSING, ready.reason());
  }

  @Test
  void failedCreationIsRetriedAndSaysWhy() {
    var observed =
        new Observed(
            Optional.empty(), Optional.empty(), false, "HTTP 403: pods is forbidden", null, null);

    var ready = ready(plan(false, null), TOKEN_OK, STORAGE_OK, observed);

    assertEquals(Conditions.PROGRESSING, ready.reason());
    assertMentions(ready, "HTTP 403: pods is forbidden");
  }

  @Test
  void podOfAnOlderSpecIsBeingReplaced() {
    var old = Pods.pod("tech-lead", "Running", Pods.running(true, 0));

    var ready = ready(plan(false, null), TOKEN_OK, STORAGE_OK, observed(old, false));

    assertEquals("False", ready.status());
    assertEquals(Conditions.REPLACING_POD, ready.reason());
    assertMentions(ready, "tech-lead");
  }

  @Test
  void previousPodStillTerminatingHoldsTheToken() {
    var old = Pods.terminating(Pods.pod("tech-lead", "Running", Pods.running(true, 0)));

    var ready = ready(plan(false, null), TOKEN_OK, STORAGE_OK, observed(old, false));

    assertEquals(Conditions.WAITING_FOR_TOKEN_RELEASE, ready.reason());
    assertMentions(ready, "previous pod tech-lead", "terminating");
  }

  @Test
  void healthyPodOfTheCurrentSpecIsReady() {
    var pod = Pods.pod("tech-lead", "Running", Pods.running(true, 0));

    var ready = ready(plan(false, null), TOKEN_OK, STORAGE_OK, observed(pod, true));

    assertEquals(isTrue(Conditions.RUNNING, POD_OK.message()), ready);
  }

  @Test
  void unhealthyPodOfTheCurrentSpecGivesItsReason() {
    var pod = Pods.pod("tech-lead", "Running", Pods.crashLooping("agent", "Error", 1, 5));
    var crashing = isFalse(Conditions.CRASH_LOOP_BACK_OFF, "The agent keeps crashing.");

    var ready =
        StatusRules.computeReady(
            agent, plan(false, null), TOKEN_OK, STORAGE_OK, crashing, observed(pod, true));

    assertEquals(crashing, ready);
  }

  private ConditionValue ready(
      AgentPlan plan, ConditionValue token, ConditionValue storage, Observed observed) {
    var podHealthy = PodRules.computePodHealthy(observed.pod(), plan.suspended());
    return StatusRules.computeReady(agent, plan, token, storage, podHealthy, observed);
  }

  static AgentPlan plan(boolean suspended, Pod blockingPod) {
    return new AgentPlan(
        List.of(),
        new TokenResolution.Resolved(FINGERPRINT),
        List.of(),
        suspended,
        blockingPod,
        new Verification.Disabled());
  }

  static Observed observed(Pod pod, boolean current) {
    return new Observed(Optional.empty(), Optional.of(pod), current, null, null, null);
  }
}
