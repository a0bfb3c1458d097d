package io.atomizer.operator.status;

import static io.atomizer.operator.status.TokenAndStorageTest.claim;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** StorageReady: the agent's directory first, then the shared claims, then the state claim. */
class StorageReadyTest {

  private final io.atomizer.operator.customresource.AtomizerAgent agent =
      Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", Instant.parse("2026-01-01T10:00:00Z"));

  @ParameterizedTest(name = "dir held {0}, missing {1}, state claim {2} -> {3} {4}")
  @CsvSource({
    // dirHeld, missing,    stateClaim, status, reason
    "true,      workspaces, Bound,      False,  DuplicateAgentDir",
    "false,     workspaces, Bound,      False,  WorkspaceClaimNotFound",
    "false,     skills,     none,       False,  SkillsClaimNotFound",
    "false,     none,       none,       False,  ClaimNotCreated",
    "false,     none,       earlier,    False,  ClaimBeingDeleted",
    "false,     none,       Bound,      True,   Bound",
    "false,     none,       Lost,       False,  ClaimLost",
    "false,     none,       Pending,    False,  ClaimPending",
  })
  void decides(boolean dirHeld, String missing, String stateClaim, String status, String reason) {
    var plan =
        new AgentPlan(
            List.of(),
            new TokenResolution.Resolved("0a1b2c3d4e5f"),
            missing(missing),
            false,
            null,
            new Verification.Disabled(),
            dirHeld ? new ResourceID("manager", "team") : null,
            List.of());

    var value = StorageReady.decide(agent, plan, stateClaim(stateClaim));

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }

  private static List<AgentPlan.MissingClaim> missing(String which) {
    return switch (which) {
      case "workspaces" ->
          List.of(
              new AgentPlan.MissingClaim(
                  Conditions.WORKSPACE_CLAIM_NOT_FOUND, "spec.workspaces.claimName", "w"));
      case "skills" ->
          List.of(
              new AgentPlan.MissingClaim(
                  Conditions.SKILLS_CLAIM_NOT_FOUND, "spec.skills.claimName", "s"));
      default -> List.of();
    };
  }

  private static Optional<PersistentVolumeClaim> stateClaim(String state) {
    if (state.equals("none")) {
      return Optional.empty();
    }
    if (state.equals("earlier")) {
      var left = claim("Bound", null);
      left.getMetadata()
          .setOwnerReferences(
              List.of(
                  new OwnerReferenceBuilder()
                      .withApiVersion("atomizer.io/v1alpha1")
                      .withKind("AtomizerAgent")
                      .withName("tech-lead")
                      .withUid("earlier-agent-uid")
                      .build()));
      return Optional.of(left);
    }
    return Optional.of(claim(state, null));
  }
}
