package io.atomizer.operator.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mock server's server-side apply of a status, as the API server does it for a status one field
 * manager owns: the applied status replaces the stored one, and a resourceVersion other than the
 * stored one is refused with 409.
 */
@Tag("mock")
class StatusApplyTest {

  @Test
  void appliedStatusReplacesTheStoredOneAndAStaleVersionIsRefused() {
    try (var cluster = new MockCluster()) {
      var client = cluster.client();
      var agent = client.resource(Agents.agent("default", "manager", "K")).create();
      var first = new AtomizerAgentStatus();
      first.setObservedGeneration(1L);
      first.setPhase(AtomizerAgentStatus.Phase.Running);
      var written = apply(client, agent, first);
      assertEquals(AtomizerAgentStatus.Phase.Running, written.getStatus().getPhase());

      var second = new AtomizerAgentStatus();
      second.setObservedGeneration(2L);
      var replaced = apply(client, written, second);
      assertEquals(2L, replaced.getStatus().getObservedGeneration());
      assertNull(replaced.getStatus().getPhase(), "a field the apply leaves out is removed");
      assertEquals(
          Serialization.asJson(agent.getSpec()),
          Serialization.asJson(replaced.getSpec()),
          "the spec is untouched");

      var stale =
          assertThrows(KubernetesClientException.class, () -> apply(client, written, first));
      assertEquals(409, stale.getCode());
      assertEquals(
          2L,
          client.resource(agent).get().getStatus().getObservedGeneration(),
          "the refused status did not land");
    }
  }

  private static AtomizerAgent apply(
      io.fabric8.kubernetes.client.KubernetesClient client,
      AtomizerAgent from,
      AtomizerAgentStatus status) {
    var patch = new AtomizerAgent();
    patch.getMetadata().setName(from.getMetadata().getName());
    patch.getMetadata().setNamespace(from.getMetadata().getNamespace());
    patch.getMetadata().setResourceVersion(from.getMetadata().getResourceVersion());
    patch.setStatus(status);
    return client
        .resource(patch)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("test")
                .withForce(true)
                .build());
  }
}
