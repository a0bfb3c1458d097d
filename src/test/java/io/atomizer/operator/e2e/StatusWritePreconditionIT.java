package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.reconciler.StatusPatch;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A status write computed for one incarnation of an agent never lands on a re-created agent of the
 * same name, nor one computed from an older view of the agent: the real API server refuses the
 * operator's server-side apply of the status (as JOSDK sends it) because it carries the
 * resourceVersion it was computed from. (metadata.uid alone is no precondition there: the status
 * subresource takes all metadata from the stored object.)
 */
@Tag("apiserver")
class StatusWritePreconditionIT {

  static final String NAMESPACE = "status-uid";
  static KubernetesClient client;

  @BeforeAll
  static void installCrd() {
    E2eSetup.installCrd(RealCluster.get().kubectl());
    client = RealCluster.get().client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  @Test
  void statusWriteForADeletedAgentIsRefusedOnItsSuccessorAndAcceptedOnItself() {
    var agents = client.resources(AtomizerAgent.class).inNamespace(NAMESPACE);
    var first = agents.resource(Agents.agent(NAMESPACE, "manager", "MANAGER_TOKEN")).create();
    agents.withName("manager").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> agents.withName("manager").get() == null);
    var fresh = Agents.agent(NAMESPACE, "manager", "MANAGER_TOKEN");
    fresh.setMetadata(new ObjectMeta());
    fresh.getMetadata().setName("manager");
    fresh.getMetadata().setNamespace(NAMESPACE);
    var second = agents.resource(fresh).create();
    assertNotEquals(first.getMetadata().getUid(), second.getMetadata().getUid());
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(7L);

    var refused =
        assertThrows(
            KubernetesClientException.class, () -> applyStatus(StatusPatch.of(first, status)));

    assertTrue(Set.of(409, 422).contains(refused.getCode()), "refused with " + refused);
    assertEquals(
        second.getStatus(),
        agents.withName("manager").get().getStatus(),
        "the successor is untouched");
    applyStatus(StatusPatch.of(second, status));
    assertEquals(7L, agents.withName("manager").get().getStatus().getObservedGeneration());
  }

  @Test
  void statusComputedFromAnOlderViewOfTheAgentIsRefused() {
    var agents = client.resources(AtomizerAgent.class).inNamespace(NAMESPACE);
    var seen = agents.resource(Agents.agent(NAMESPACE, "auditor", "AUDITOR_TOKEN")).create();
    agents
        .withName("auditor")
        .edit(
            a -> {
              a.getSpec().setSuspend(true);
              return a;
            });
    var stale = new AtomizerAgentStatus();
    stale.setObservedGeneration(seen.getMetadata().getGeneration());

    var refused =
        assertThrows(
            KubernetesClientException.class, () -> applyStatus(StatusPatch.of(seen, stale)));

    assertEquals(409, refused.getCode(), "refused with " + refused);
    assertEquals(seen.getStatus(), agents.withName("auditor").get().getStatus());
  }

  /** The status write as JOSDK sends it with server-side apply. */
  private static AtomizerAgent applyStatus(AtomizerAgent patch) {
    return client
        .resources(AtomizerAgent.class)
        .inNamespace(NAMESPACE)
        .resource(patch)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withFieldManager("atomizeragent")
                .withForce(true)
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .build());
  }
}
