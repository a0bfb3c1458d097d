package io.atomizer.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The desired state claim, and when an existing claim matches it. Neither desired() nor match()
 * reads the reconcile context, so both are called without one.
 */
class StatePersistentVolumeClaimTest {

  static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

  private final StatePersistentVolumeClaim dependent = new StatePersistentVolumeClaim();

  @Test
  void claimIsNamedAfterTheAgentWithTheStandardLabels() {
    var pvc = dependent.desired(agent(true), null);

    assertEquals("tech-lead-state", pvc.getMetadata().getName());
    assertEquals("team", pvc.getMetadata().getNamespace());
    var labels = pvc.getMetadata().getLabels();
    assertEquals("state", labels.get(Labels.COMPONENT));
    assertEquals("tech-lead", labels.get(Labels.AGENT));
    assertEquals("atomizer-operator", labels.get(Labels.MANAGED_BY));
  }

  @Test
  void claimIsReadWriteOnceOfTheDefaultSizeAndClass() {
    var pvc = dependent.desired(agent(true), null);

    assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
    assertEquals(new Quantity("1Gi"), pvc.getSpec().getResources().getRequests().get("storage"));
    assertNull(pvc.getSpec().getStorageClassName(), "the cluster's default class");
  }

  @Test
  void claimTakesSizeAndStorageClassFromTheSpec() {
    var agent = agent(true);
    agent.getSpec().getState().setSize("5Gi");
    agent.getSpec().getState().setStorageClassName("local-path");

    var pvc = dependent.desired(agent, null);

    assertEquals(new Quantity("5Gi"), pvc.getSpec().getResources().getRequests().get("storage"));
    assertEquals("local-path", pvc.getSpec().getStorageClassName());
  }

  @Test
  void keptClaimHasNoOwnerSoItOutlivesTheAgent() {
    var pvc = dependent.desired(agent(true), null);

    assertTrue(pvc.getMetadata().getOwnerReferences().isEmpty());
  }

  @Test
  void claimNotKeptIsOwnedByTheAgent() {
    var agent = agent(false);

    var owners = dependent.desired(agent, null).getMetadata().getOwnerReferences();

    assertEquals(1, owners.size());
    assertEquals(agent.getMetadata().getUid(), owners.get(0).getUid());
    assertEquals("AtomizerAgent", owners.get(0).getKind());
    assertEquals("atomizer.io/v1alpha1", owners.get(0).getApiVersion());
  }

  @Test
  void unownedClaimMatchesAnAgentThatKeepsItsState() {
    assertTrue(matches(claim(), agent(true)));
  }

  @Test
  void claimMatchesWhateverItsSizeOrClassSinceThoseAreFixedAtCreation() {
    var agent = agent(true);
    agent.getSpec().getState().setSize("50Gi");
    agent.getSpec().getState().setStorageClassName("fast");

    assertTrue(matches(claim(), agent));
  }

  @Test
  void ownedClaimMatchesByUidAlone() {
    var agent = agent(false);
    var owner =
        new OwnerReferenceBuilder()
            .withApiVersion("atomizer.io/v1alpha1")
            .withKind("AtomizerAgent")
            .withName("tech-lead")
            .withUid(agent.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build();

    assertTrue(matches(claim(owner), agent));
  }

  @Test
  void unownedClaimMismatchesAnAgentThatDoesNotKeepItsState() {
    assertFalse(matches(claim(), agent(false)));
  }

  @Test
  void ownedClaimMismatchesOnceTheAgentKeepsItsState() {
    var agent = agent(true);

    assertFalse(matches(claim(agentOwner(agent.getMetadata().getUid())), agent));
  }

  @Test
  void claimOfAnEarlierAgentThatDidNotKeepItsStateIsNotAdopted() {
    var left = claim(agentOwner("earlier-agent-uid"));

    assertTrue(matches(left, agent(true)), "no ownership change races the garbage collector");
    assertTrue(matches(left, agent(false)));
    assertTrue(StatePersistentVolumeClaim.onItsWayOut(left, agent(true)));
  }

  @Test
  void ownClaimAndUnownedClaimAreNotOnTheirWayOut() {
    var agent = agent(false);

    assertFalse(
        StatePersistentVolumeClaim.onItsWayOut(
            claim(agentOwner(agent.getMetadata().getUid())), agent));
    assertFalse(StatePersistentVolumeClaim.onItsWayOut(claim(), agent));
  }

  @Test
  void ownersOfOtherKindsAreNotTheOperatorsConcern() {
    var foreign =
        new OwnerReferenceBuilder()
            .withApiVersion("velero.io/v1")
            .withKind("Restore")
            .withName("nightly")
            .withUid("restore-uid")
            .build();

    assertTrue(matches(claim(foreign), agent(true)));
  }

  @Test
  void terminatingClaimMatchesSoItIsLeftAlone() {
    var terminating = claim(agentOwner("older-agent-uid"));
    terminating.getMetadata().setDeletionTimestamp("2026-01-02T10:00:00Z");

    assertTrue(matches(terminating, agent(true)));
  }

  private boolean matches(PersistentVolumeClaim actual, AtomizerAgent agent) {
    return dependent.match(actual, agent, null).matched();
  }

  private static AtomizerAgent agent(boolean retainOnDelete) {
    var agent = Agents.created("team", "tech-lead", "TECH_LEAD_TOKEN", CREATED);
    agent.getSpec().getState().setRetainOnDelete(retainOnDelete);
    return agent;
  }

  private static OwnerReference agentOwner(String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("atomizer.io/v1alpha1")
        .withKind("AtomizerAgent")
        .withName("tech-lead")
        .withUid(uid)
        .build();
  }

  private static PersistentVolumeClaim claim(OwnerReference... owners) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("tech-lead-state")
        .withNamespace("team")
        .withOwnerReferences(owners)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("local-path")
        .withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources()
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .endStatus()
        .build();
  }
}
