package io.atomizer.operator.status;

import static io.atomizer.operator.status.TokenAndStorageTest.claim;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.Pods;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole status from a plan and what was observed: every condition, always, and the phase. */
class StatusAssemblerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final AtomizerAgent agent =
      Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", Instant.parse("2026-01-01T10:00:00Z"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case      | Ready              | Reconciling       | Stalled             | PodHealthy
        //    | StorageReady             | TokenReady             | TokenVerified                  |
        // InboxHealthy        | DiscordConnected    | phase
        "invalidSpec | False/InvalidSpec  | False/Blocked     | True/InvalidSpec    | Unknown/NoPod     | Unknown/InvalidSpec      | Unknown/InvalidSpec    | Unknown/InvalidSpec            | Unknown/InvalidSpec | Unknown/InvalidSpec | Failed",
        "running     | True/Running       | False/Reconciled  | False/NotStalled    | True/Running      | True/Bound               | True/TokenResolved     | Unknown/VerificationDisabled   | Unknown/NotScanned  | Unknown/StatusNotRead | Running",
        "keyMissing  | False/KeyNotFound  | False/Blocked     | True/KeyNotFound    | Unknown/NoPod     | False/ClaimNotCreated    | False/KeyNotFound      | Unknown/VerificationPending    | Unknown/NotScanned  | Unknown/StatusNotRead | Failed",
        "suspended   | False/Suspended    | False/Reconciled  | False/NotStalled    | Unknown/Suspended | True/Bound               | True/TokenResolved     | Unknown/VerificationDisabled   | Unknown/NotScanned  | Unknown/StatusNotRead | Suspended",
        "rejected    | False/InvalidToken | False/Blocked     | True/InvalidToken   | Unknown/NoPod     | True/Bound               | False/InvalidToken     | False/InvalidToken             | Unknown/NotScanned  | Unknown/StatusNotRead | Failed",
      })
  void assemblesEveryCondition(
      String kind,
      String ready,
      String reconciling,
      String stalled,
      String podHealthy,
      String storageReady,
      String tokenReady,
      String tokenVerified,
      String inboxHealthy,
      String discordConnected,
      Phase phase) {
    var status = assemble(kind, agent);

    var expected = new LinkedHashMap<String, String>();
    expected.put(Conditions.READY, ready);
    expected.put(Conditions.RECONCILING, reconciling);
    expected.put(Conditions.STALLED, stalled);
    expected.put(Conditions.POD_HEALTHY, podHealthy);
    expected.put(Conditions.STORAGE_READY, storageReady);
    expected.put(Conditions.TOKEN_READY, tokenReady);
    expected.put(Conditions.TOKEN_VERIFIED, tokenVerified);
    expected.put(Conditions.INBOX_HEALTHY, inboxHealthy);
    expected.put(Conditions.DISCORD_CONNECTED, discordConnected);
    var actual = new LinkedHashMap<String, String>();
    status
        .getConditions()
        .forEach(c -> actual.put(c.getType(), c.getStatus() + "/" + c.getReason()));
    assertEquals(expected, actual);
    assertEquals(phase, status.getPhase());
    status.getConditions().forEach(c -> assertEquals(1L, c.getObservedGeneration()));
  }

  @Test
  void theSameInputsOverTheStatusTheyMadeMakeTheSameStatus() {
    var first = assemble("running", agent);
    agent.setStatus(first);

    var again =
        StatusAssembler.assemble(agent, plan("running"), observed("running"), NOW.plusSeconds(60));

    assertEquals(first, again, "an unchanged agent is not written again");
  }

  @Test
  void aValidSpecNamesTheClaimAndTheFingerprint() {
    var status = assemble("running", agent);

    assertEquals("tech-lead-state", status.getStateClaimName());
    assertEquals("0a1b2c3d4e5f", status.getTokenFingerprint());
    assertEquals("tech-lead", status.getPod().getName());
  }

  private static AtomizerAgentStatus assemble(String kind, AtomizerAgent agent) {
    return StatusAssembler.assemble(agent, plan(kind), observed(kind), NOW);
  }

  private static AgentPlan plan(String kind) {
    var resolved = new TokenResolution.Resolved("0a1b2c3d4e5f");
    return switch (kind) {
      case "invalidSpec" -> AgentPlan.invalid(List.of("spec.role is required."));
      case "keyMissing" ->
          new AgentPlan(
              List.of(),
              new TokenResolution.KeyMissing(Agents.SECRET, "TECH_LEAD_TOKEN"),
              List.of(),
              false,
              null,
              null);
      case "suspended" ->
          new AgentPlan(List.of(), resolved, List.of(), true, null, new Verification.Disabled());
      case "rejected" ->
          new AgentPlan(List.of(), resolved, List.of(), false, null, new Verification.Invalid());
      default ->
          new AgentPlan(List.of(), resolved, List.of(), false, null, new Verification.Disabled());
    };
  }

  private static Observed observed(String kind) {
    return switch (kind) {
      case "invalidSpec" -> Observed.nothing();
      case "keyMissing" ->
          new Observed(Optional.empty(), Optional.empty(), false, null, null, null);
      case "running" ->
          new Observed(
              Optional.of(claim("Bound", null)),
              Optional.of(Pods.pod("tech-lead", "Running", Pods.running(true, 0))),
              true,
              null,
              null,
              null);
      default ->
          new Observed(
              Optional.of(claim("Bound", null)), Optional.empty(), false, null, null, null);
    };
  }
}
