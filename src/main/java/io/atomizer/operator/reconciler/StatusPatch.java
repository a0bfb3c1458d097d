package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The object a status write sends: the agent's identity and the new status, nothing else. The
 * identity includes the resourceVersion the status was computed from, a precondition the API server
 * enforces on server-side apply of the status: a status computed for an agent that was deleted and
 * re-created with the same name meanwhile (a late error-path write, say), or from an older view of
 * it, is refused with a conflict (JOSDK then reconciles again from the current object) instead of
 * landing on the new one. metadata.uid is sent too, but the status subresource ignores it: the real
 * API server accepts a mismatched uid there (e2e/StatusWritePreconditionIT).
 */
public final class StatusPatch {

  private StatusPatch() {}

  public static AtomizerAgent of(AtomizerAgent agent, AtomizerAgentStatus status) {
    var patch = new AtomizerAgent();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(agent.getMetadata().getName())
            .withNamespace(agent.getMetadata().getNamespace())
            .withUid(agent.getMetadata().getUid())
            .withResourceVersion(agent.getMetadata().getResourceVersion())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
