package io.atomizer.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.support.Agents;
import org.junit.jupiter.api.Test;

/**
 * A status write names the version of the agent it was computed from: with server-side apply the
 * API server refuses it when the agent changed or was re-created meanwhile
 * (e2e/StatusWritePreconditionIT proves that on the real API server).
 */
class StatusPatchTest {

  @Test
  void statusWriteCarriesTheUidOfTheAgentItWasComputedForAndNothingElse() {
    var agent = Agents.agent("team", "manager", "MANAGER_TOKEN");
    agent.getMetadata().setUid("uid-of-the-first-incarnation");
    agent.getMetadata().setResourceVersion("42");
    agent.getMetadata().setLabels(java.util.Map.of("a", "b"));
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(3L);

    var patch = StatusPatch.of(agent, status);

    assertEquals("uid-of-the-first-incarnation", patch.getMetadata().getUid());
    assertEquals("manager", patch.getMetadata().getName());
    assertEquals("team", patch.getMetadata().getNamespace());
    assertEquals(
        "42", patch.getMetadata().getResourceVersion(), "the version it was computed from");
    assertTrue(patch.getMetadata().getLabels().isEmpty(), "no other field is claimed");
    assertNull(patch.getSpec(), "the spec is never written");
    assertEquals(status, patch.getStatus());
  }
}
