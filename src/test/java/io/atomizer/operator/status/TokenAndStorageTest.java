package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.Fingerprints;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TokenReady and StorageReady, one case per rule. */
class TokenAndStorageTest {

  static final String TOKEN = Agents.token("tech-lead");
  static final String FINGERPRINT =
      Fingerprints.of(Agents.tokens("team", Map.of("TECH_LEAD_TOKEN", TOKEN)), "TECH_LEAD_TOKEN")
          .orElseThrow();

  private final AtomizerAgent agent =
      Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", Instant.parse("2026-01-01T10:00:00Z"));

  @Test
  void resolvedTokenIsReadyAndShowsOnlyItsFingerprint() {
    var ready = TokenReady.decide(agent, new TokenResolution.Resolved(FINGERPRINT), null);

    assertEquals("True", ready.status());
    assertEquals(Conditions.TOKEN_RESOLVED, ready.reason());
    assertMentions(ready, Agents.SECRET + "/TECH_LEAD_TOKEN", FINGERPRINT);
  }

  @Test
  void missingSecretNamesTheSecretAndNamespace() {
    var ready = TokenReady.decide(agent, new TokenResolution.SecretMissing(Agents.SECRET), null);

    assertEquals("False", ready.status());
    assertEquals(Conditions.SECRET_NOT_FOUND, ready.reason());
    assertMentions(ready, "Secret " + Agents.SECRET, "spec.token.secretName", "namespace team");
  }

  @Test
  void missingKeyNamesTheSecretAndKey() {
    var ready =
        TokenReady.decide(
            agent, new TokenResolution.KeyMissing(Agents.SECRET, "TECH_LEAD_TOKEN"), null);

    assertEquals("False", ready.status());
    assertEquals(Conditions.KEY_NOT_FOUND, ready.reason());
    assertMentions(ready, Agents.SECRET, "TECH_LEAD_TOKEN", "spec.token.key");
  }

  @Test
  void malformedTokenSaysWhatTheKeyHoldsInsteadAndHowToFixIt() {
    var ready =
        TokenReady.decide(
            agent,
            new TokenResolution.Malformed(
                Agents.SECRET, "TECH_LEAD_TOKEN", "is a PEM block (a certificate or a key)"),
            null);

    assertEquals("False", ready.status());
    assertEquals(Conditions.MALFORMED_TOKEN, ready.reason());
    assertMentions(
        ready, Agents.SECRET, "TECH_LEAD_TOKEN", "spec.token", "PEM block", "Reset Token");
    assertTrue(Stalled.needsAHuman(ready.reason()), "Stalled: a human must fix it");
  }

  @Test
  void duplicateTokenNamesTheOlderAgentThatKeepsIt() {
    var ready =
        TokenReady.decide(
            agent,
            new TokenResolution.Duplicate(FINGERPRINT, new ResourceID("manager", "team")),
            null);

    assertEquals("False", ready.status());
    assertEquals(Conditions.DUPLICATE_TOKEN, ready.reason());
    assertMentions(ready, Agents.SECRET + "/TECH_LEAD_TOKEN", FINGERPRINT, "agent team/manager");
  }

  @Test
  void missingWorkspacesClaimNamesTheClaimAndField() {
    var storage =
        StorageReady.decide(
            agent,
            plan(
                new AgentPlan.MissingClaim(
                    Conditions.WORKSPACE_CLAIM_NOT_FOUND,
                    "spec.workspaces.claimName",
                    Agents.WORKSPACES)),
            Optional.of(claim("Bound", null)));

    assertEquals("False", storage.status());
    assertEquals(Conditions.WORKSPACE_CLAIM_NOT_FOUND, storage.reason());
    assertMentions(storage, Agents.WORKSPACES, "spec.workspaces.claimName", "namespace team");
  }

  @Test
  void missingSkillsClaimNamesTheClaimAndField() {
    var storage =
        StorageReady.decide(
            agent,
            plan(
                new AgentPlan.MissingClaim(
                    Conditions.SKILLS_CLAIM_NOT_FOUND, "spec.skills.claimName", "atomizer-skills")),
            Optional.empty());

    assertEquals(Conditions.SKILLS_CLAIM_NOT_FOUND, storage.reason());
    assertMentions(storage, "atomizer-skills", "spec.skills.claimName");
  }

  @Test
  void stateClaimNotCreatedYet() {
    var storage = StorageReady.decide(agent, plan(), Optional.empty());

    assertEquals("False", storage.status());
    assertEquals(Conditions.CLAIM_NOT_CREATED, storage.reason());
  }

  @Test
  void boundStateClaimIsReady() {
    var storage = StorageReady.decide(agent, plan(), Optional.of(claim("Bound", "local-path")));

    assertEquals("True", storage.status());
    assertEquals(Conditions.BOUND, storage.reason());
  }

  @Test
  void pendingStateClaimNamesItsStorageClass() {
    var storage = StorageReady.decide(agent, plan(), Optional.of(claim("Pending", "local-path")));

    assertEquals("False", storage.status());
    assertEquals(Conditions.CLAIM_PENDING, storage.reason());
    assertMentions(storage, "tech-lead-state", "storage class local-path");
  }

  @Test
  void pendingStateClaimWithoutClassWaitsForTheDefaultClass() {
    var storage = StorageReady.decide(agent, plan(), Optional.of(claim("Pending", null)));

    assertEquals(Conditions.CLAIM_PENDING, storage.reason());
    assertMentions(storage, "default storage class");
  }

  @Test
  void stateClaimWithoutStatusYetIsPending() {
    var pvc = claim("Pending", null);
    pvc.setStatus(null);

    assertEquals(
        Conditions.CLAIM_PENDING, StorageReady.decide(agent, plan(), Optional.of(pvc)).reason());
  }

  @Test
  void claimLeftByAnEarlierAgentOfTheNameIsBeingDeleted() {
    var left = claim("Bound", "local-path");
    left.getMetadata()
        .setOwnerReferences(
            java.util.List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("atomizer.io/v1alpha1")
                    .withKind("AtomizerAgent")
                    .withName("tech-lead")
                    .withUid("earlier-agent-uid")
                    .build()));

    var storage = StorageReady.decide(agent, plan(), Optional.of(left));

    assertEquals("False", storage.status());
    assertEquals(Conditions.CLAIM_BEING_DELETED, storage.reason());
    assertMentions(storage, "tech-lead-state", "retainOnDelete=false", "new claim");
  }

  @Test
  void lostStateClaimSaysToRestoreTheVolume() {
    var storage = StorageReady.decide(agent, plan(), Optional.of(claim("Lost", "local-path")));

    assertEquals("False", storage.status());
    assertEquals(Conditions.CLAIM_LOST, storage.reason());
    assertMentions(storage, "tech-lead-state", "PersistentVolume");
  }

  static AgentPlan plan(AgentPlan.MissingClaim... missing) {
    return new AgentPlan(
        List.of(),
        new TokenResolution.Resolved(FINGERPRINT),
        List.of(missing),
        false,
        null,
        new Verification.Disabled());
  }

  static PersistentVolumeClaim claim(String phase, String storageClass) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("tech-lead-state")
        .withNamespace("team")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  /** The message mentions every {@code part}, and never the token. */
  static void assertMentions(ConditionValue value, String... parts) {
    for (var part : parts) {
      assertTrue(value.message().contains(part), "'" + part + "' missing in: " + value.message());
    }
    assertFalse(value.message().contains(TOKEN), "the token leaked into: " + value.message());
  }
}
