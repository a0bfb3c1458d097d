package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.TokenAndStorageTest.FINGERPRINT;
import static io.atomizer.operator.status.TokenAndStorageTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.plan.AgentPlan;
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
class ReadyTest {

  static final ConditionValue TOKEN_OK = isTrue(Conditions.TOKEN_RESOLVED, "token ok");
  static final ConditionValue STORAGE_OK = isTrue(Conditions.BOUND, "bound");
  static final ConditionValue NOT_READ = DiscordConnected.decide(null);
  static final ConditionValue POD_OK =
      isTrue(Conditions.RUNNING, "Pod tech-lead is running and ready.");

  private final AtomizerAgent agent =
      Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", Instant.parse("2026-01-01T10:00:00Z"));

  @Test
  void invalidSpecListsEveryProblem() {
    var plan = AgentPlan.invalid(List.of("spec.role is required.", "spec.token is required."));

    var ready =
        Ready.decide(
            plan,
            TokenReady.decide(agent, null, null),
            ConditionValue.undecided(),
            POD_OK,
            ConditionValue.undecided(),
            Observed.nothing());

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
        Ready.decide(
            plan(false, null), TOKEN_OK, STORAGE_OK, crashing, NOT_READ, observed(pod, true));

    assertEquals(crashing, ready);
  }

  private ConditionValue ready(
      AgentPlan plan, ConditionValue token, ConditionValue storage, Observed observed) {
    var podHealthy = PodHealthy.decide(observed.pod(), plan.suspended());
    return Ready.decide(plan, token, storage, podHealthy, NOT_READ, observed);
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

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1} {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    // case,                 status, reason
    "invalidSpec,            False,  InvalidSpec",
    "suspended,              False,  Suspended",
    "keyMissing,             False,  KeyNotFound",
    "tokenInEnv,             False,  TokenInEnv",
    "workspaceClaimMissing,  False,  WorkspaceClaimNotFound",
    "statePending,           False,  Progressing",
    "tokenHeldByOtherPod,    False,  WaitingForTokenRelease",
    "verifying,              False,  Progressing",
    "oldPodTerminating,      False,  WaitingForTokenRelease",
    "oldPodRunning,          False,  ReplacingPod",
    "crashing,               False,  CrashLoopBackOff",
    "discordConnecting,      False,  Connecting",
    "discordNotRead,         True,   Running",
    "discordConnected,       True,   Running",
  })
  void decides(String kind, String status, String reason) {
    var pod = Pods.pod("tech-lead", "Running", Pods.running(true, 0));
    var blocking = Pods.pod("manager", "Running", Pods.running(true, 0));
    var resolved = new TokenResolution.Resolved(FINGERPRINT);
    AgentPlan plan = plan(false, null);
    var token = TOKEN_OK;
    var storage = STORAGE_OK;
    var podHealthy = POD_OK;
    var discord = NOT_READ;
    var observed = observed(pod, true);
    switch (kind) {
      case "invalidSpec" -> plan = AgentPlan.invalid(List.of("spec.role is required."));
      case "suspended" -> {
        plan = plan(true, null);
        observed = Observed.nothing();
      }
      case "keyMissing" -> token = isFalse(Conditions.KEY_NOT_FOUND, "no key");
      case "tokenInEnv" ->
          plan =
              new AgentPlan(
                  List.of(),
                  resolved,
                  List.of(),
                  false,
                  null,
                  new Verification.Disabled(),
                  null,
                  List.of("spec.env[0] reads a token."));
      case "workspaceClaimMissing" ->
          storage = isFalse(Conditions.WORKSPACE_CLAIM_NOT_FOUND, "no claim");
      case "statePending" -> {
        storage = isFalse(Conditions.CLAIM_PENDING, "waits");
        observed = Observed.nothing();
      }
      case "tokenHeldByOtherPod" -> {
        plan = plan(false, blocking);
        observed = Observed.nothing();
      }
      case "verifying" -> {
        plan =
            new AgentPlan(List.of(), resolved, List.of(), false, null, new Verification.Pending());
        observed = Observed.nothing();
      }
      case "oldPodTerminating" -> observed = observed(Pods.terminating(pod), false);
      case "oldPodRunning" -> observed = observed(pod, false);
      case "crashing" -> podHealthy = isFalse(Conditions.CRASH_LOOP_BACK_OFF, "crashing");
      case "discordConnecting" -> discord = isFalse(Conditions.CONNECTING, "connecting");
      case "discordNotRead" -> discord = NOT_READ;
      case "discordConnected" -> discord = isTrue(Conditions.CONNECTED, "connected");
      default -> throw new IllegalArgumentException(kind);
    }

    var value = Ready.decide(plan, token, storage, podHealthy, discord, observed);

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }
}
