package io.atomizer.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.Pods;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a plan allows: a pod at all (podWanted), and a new pod now (mayCreatePod). */
class AgentPlanTest {

  @ParameterizedTest(name = "{0} -> wanted {1}, may create {2}")
  @CsvSource({
    // case,                   podWanted, mayCreatePod
    "clear,                    true,      true",
    "suspended,                false,     true",
    "keyMissing,               false,     true",
    "duplicate,                false,     true",
    "claimMissing,             false,     true",
    "dirHeldByOlderAgent,      false,     true",
    "tokenInEnv,               false,     true",
    "tokenHeldByOtherPod,      true,      false",
    "verificationPending,      true,      false",
    "tokenRejected,            true,      false",
    "discordUnreachable,       true,      true",
    "verifiedByDiscord,        true,      true",
  })
  void decides(String kind, boolean podWanted, boolean mayCreatePod) {
    var plan = plan(kind);

    assertEquals(podWanted, plan.podWanted());
    assertEquals(mayCreatePod, plan.mayCreatePod());
  }

  @Test
  void anInvalidSpecWantsNoPodAndHasNoToken() {
    var plan = AgentPlan.invalid(List.of("spec.role is required."));

    assertFalse(plan.specValid());
    assertFalse(plan.podWanted());
    assertNull(plan.fingerprint());
  }

  @Test
  void thePlannerChecksTheSpecBeforeAnythingElse() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().setRole("Not A Label");

    // no token owner, no directories, no client: an invalid spec must not reach them
    var plan = new Planner(null, null).plan(agent, null, false);

    assertFalse(plan.specValid());
    assertTrue(
        plan.specProblems()
            .contains("spec.role is required and must be a DNS-1123 label, for example tech-lead."),
        plan.specProblems().toString());
  }

  private static AgentPlan plan(String kind) {
    var resolved = new TokenResolution.Resolved("0a1b2c3d4e5f");
    var token =
        switch (kind) {
          case "keyMissing" -> new TokenResolution.KeyMissing(Agents.SECRET, "K");
          case "duplicate" ->
              new TokenResolution.Duplicate("0a1b2c3d4e5f", new ResourceID("manager", "team"));
          default -> resolved;
        };
    var missing =
        kind.equals("claimMissing")
            ? List.of(
                new AgentPlan.MissingClaim(
                    Conditions.WORKSPACE_CLAIM_NOT_FOUND, "spec.workspaces.claimName", "w"))
            : List.<AgentPlan.MissingClaim>of();
    var holder =
        kind.equals("tokenHeldByOtherPod")
            ? Pods.pod("manager", "Running", Pods.running(true, 0))
            : null;
    Verification verification =
        switch (kind) {
          case "verificationPending" -> new Verification.Pending();
          case "tokenRejected" -> new Verification.Invalid();
          case "discordUnreachable" ->
              new Verification.Unavailable(
                  io.atomizer.operator.discord.DiscordLogin.Failure.TIMEOUT, null);
          case "verifiedByDiscord" -> new Verification.Verified("1", "bot", Instant.EPOCH);
          default -> new Verification.Disabled();
        };
    return new AgentPlan(
        List.of(),
        token,
        missing,
        kind.equals("suspended"),
        holder,
        verification,
        kind.equals("dirHeldByOlderAgent") ? new ResourceID("manager", "team") : null,
        kind.equals("tokenInEnv") ? List.of("spec.env[0] reads a token.") : List.of());
  }
}
