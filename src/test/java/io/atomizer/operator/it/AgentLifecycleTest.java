package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.PodEventRecorder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's main job against the mock API server: create, change, delete, suspend. */
@Tag("mock")
class AgentLifecycleTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  @Test
  void createsStateClaimAndOneReadyPodWithTokenFromSecret() {
    var ns = harness.namespace(Map.of("MANAGER_TOKEN", token("manager")));
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));

    harness.awaitReady(ns, "manager");
    harness.awaitCondition(ns, "manager", "StorageReady", "True", "Bound");
    var pvc = harness.stateClaim(ns, "manager").orElseThrow();
    assertEquals("manager", pvc.getMetadata().getLabels().get(Labels.AGENT));
    assertTrue(pvc.getMetadata().getOwnerReferences().isEmpty(), "a kept claim has no owner");
    var pod = harness.pod(ns, "manager").orElseThrow();
    var env = pod.getSpec().getContainers().get(0).getEnv();
    var tokenEnv =
        env.stream().filter(e -> e.getName().equals("DISCORD_BOT_TOKEN")).findFirst().orElseThrow();
    assertEquals("MANAGER_TOKEN", tokenEnv.getValueFrom().getSecretKeyRef().getKey());
    assertEquals(null, tokenEnv.getValue(), "the token is never inline");
    var status = harness.get(ns, "manager").getStatus();
    assertEquals(Phase.Running, status.getPhase());
    assertEquals(1L, status.getObservedGeneration());
    assertEquals("manager", status.getPod().getName());
    assertEquals("False", status.condition("Reconciling").orElseThrow().getStatus());
    assertEquals("False", status.condition("Stalled").orElseThrow().getStatus());
    assertEquals("True", status.condition("StorageReady").orElseThrow().getStatus());
    assertEquals("True", status.condition("TokenReady").orElseThrow().getStatus());
  }

  @Test
  void specChangeReplacesThePodOnlyAfterTheOldOneIsGone() throws Exception {
    var ns = harness.namespace(Map.of("TECH_LEAD_TOKEN", token("tech-lead")));
    try (var recorder = new PodEventRecorder(harness.client())) {
      harness.create(agent(ns, "tech-lead", "TECH_LEAD_TOKEN"));
      harness.awaitReady(ns, "tech-lead");
      var firstUid = harness.pod(ns, "tech-lead").orElseThrow().getMetadata().getUid();

      harness
          .client()
          .resources(AtomizerAgent.class)
          .inNamespace(ns)
          .withName("tech-lead")
          .edit(
              a -> {
                a.getSpec().setImage("ghcr.io/openclaw/openclaw:2026.8.2-slim");
                return a;
              });

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  harness
                      .pod(ns, "tech-lead")
                      .filter(p -> !p.getMetadata().getUid().equals(firstUid))
                      .filter(
                          p ->
                              p.getSpec()
                                  .getContainers()
                                  .get(0)
                                  .getImage()
                                  .endsWith("2026.8.2-slim"))
                      .isPresent());
      harness.awaitAgent(
          ns,
          "tech-lead",
          a ->
              a.getStatus().getObservedGeneration() == 2L
                  && a.getStatus().condition("Ready").orElseThrow().getStatus().equals("True"));
      assertEquals(
          1, recorder.maxPodsPerAgent(), "never two pods of one agent: " + recorder.events());
      assertEquals(2, recorder.podsCreatedFor(ns, "tech-lead"));
      var sawTerminating =
          recorder.events().stream().anyMatch(e -> e.uid().equals(firstUid) && e.terminating());
      assertTrue(sawTerminating, "the old pod went through Terminating");
    }
  }

  @Test
  void externallyDeletedPodIsRecreated() {
    var ns = harness.namespace(Map.of("SECRETARY_TOKEN", token("secretary")));
    harness.create(agent(ns, "secretary", "SECRETARY_TOKEN"));
    harness.awaitReady(ns, "secretary");
    var uid = harness.pod(ns, "secretary").orElseThrow().getMetadata().getUid();

    harness.client().pods().inNamespace(ns).withName("secretary").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .pod(ns, "secretary")
                    .filter(p -> !p.getMetadata().getUid().equals(uid))
                    .isPresent());
    harness.awaitReady(ns, "secretary");
    assertTrue(eventReasons(ns).contains("PodRecreated"), "an event says the pod was re-created");
  }

  @Test
  void evictedPodIsReplaced() {
    var ns = harness.namespace(Map.of("AUDITOR_TOKEN", token("auditor")));
    harness.create(agent(ns, "auditor", "AUDITOR_TOKEN"));
    harness.awaitReady(ns, "auditor");
    var uid = harness.pod(ns, "auditor").orElseThrow().getMetadata().getUid();

    harness.node().evict(ns, "auditor");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .pod(ns, "auditor")
                    .filter(p -> !p.getMetadata().getUid().equals(uid))
                    .isPresent());
    harness.awaitReady(ns, "auditor");
  }

  @Test
  void suspendRemovesThePodAndResumeBringsItBackOnTheSameClaim() {
    var ns = harness.namespace(Map.of("OPTIMIZER_TOKEN", token("optimizer")));
    harness.create(agent(ns, "optimizer", "OPTIMIZER_TOKEN"));
    harness.awaitReady(ns, "optimizer");
    var claimUid = harness.stateClaim(ns, "optimizer").orElseThrow().getMetadata().getUid();

    suspend(ns, "optimizer", true);
    harness.awaitCondition(ns, "optimizer", "Ready", "False", "Suspended");
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.pod(ns, "optimizer").isEmpty());
    harness.awaitAgent(
        ns,
        "optimizer",
        a ->
            a.getStatus().getPhase() == Phase.Suspended
                && a.getStatus()
                    .condition("Reconciling")
                    .orElseThrow()
                    .getStatus()
                    .equals("False"));
    assertEquals(
        claimUid, harness.stateClaim(ns, "optimizer").orElseThrow().getMetadata().getUid());

    suspend(ns, "optimizer", false);
    harness.awaitReady(ns, "optimizer");
    assertTrue(
        eventReasons(ns).containsAll(java.util.List.of("Suspended", "Resumed")),
        eventReasons(ns).toString());
    var pod = harness.pod(ns, "optimizer").orElseThrow();
    var stateVolume =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("state"))
            .findFirst()
            .orElseThrow();
    assertEquals("optimizer-state", stateVolume.getPersistentVolumeClaim().getClaimName());
    assertEquals(
        claimUid, harness.stateClaim(ns, "optimizer").orElseThrow().getMetadata().getUid());
  }

  @Test
  void deletingTheAgentKeepsItsClaimAndRecreatingReattachesIt() {
    var ns = harness.namespace(Map.of("WEBSTER_TOKEN", token("webster")));
    harness.create(agent(ns, "webster", "WEBSTER_TOKEN"));
    harness.awaitReady(ns, "webster");
    var claimUid = harness.stateClaim(ns, "webster").orElseThrow().getMetadata().getUid();

    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("webster").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.get(ns, "webster") == null);
    // the mock has no garbage collector: remove the pod as the GC would, the claim has no owner
    harness.client().pods().inNamespace(ns).withName("webster").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.pod(ns, "webster").isEmpty());
    assertEquals(claimUid, harness.stateClaim(ns, "webster").orElseThrow().getMetadata().getUid());

    harness.create(agent(ns, "webster", "WEBSTER_TOKEN"));
    harness.awaitReady(ns, "webster");
    assertEquals(claimUid, harness.stateClaim(ns, "webster").orElseThrow().getMetadata().getUid());
  }

  @Test
  void retainOnDeleteFalseMakesTheAgentOwnItsClaim() {
    var ns = harness.namespace(Map.of("NX_EXPERT_TOKEN", token("nx-expert")));
    var agent = agent(ns, "nx-expert", "NX_EXPERT_TOKEN");
    agent.getSpec().getState().setRetainOnDelete(false);
    var created = harness.create(agent);
    harness.awaitReady(ns, "nx-expert");
    var owners =
        harness.stateClaim(ns, "nx-expert").orElseThrow().getMetadata().getOwnerReferences();
    assertEquals(1, owners.size());
    assertEquals(created.getMetadata().getUid(), owners.get(0).getUid());

    harness
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .withName("nx-expert")
        .edit(
            a -> {
              a.getSpec().getState().setRetainOnDelete(true);
              return a;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .stateClaim(ns, "nx-expert")
                    .orElseThrow()
                    .getMetadata()
                    .getOwnerReferences()
                    .isEmpty());
    assertNotEquals(null, harness.pod(ns, "nx-expert").orElse(null));
  }

  private static java.util.List<String> eventReasons(String ns) {
    return harness.client().v1().events().inNamespace(ns).list().getItems().stream()
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }

  private static void suspend(String ns, String name, boolean suspend) {
    harness
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            a -> {
              a.getSpec().setSuspend(suspend);
              return a;
            });
  }
}
