package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The object a status write sends: the agent's identity and the new status, nothing else. The
 * identity includes metadata.uid, a precondition: a status computed for one incarnation of an agent
 * (a late error-path write, say) is refused by the API server when the agent was deleted and
 * re-created with the same name in the meantime, instead of landing on the new one.
 */
final class StatusPatch {

  private StatusPatch() {}

  static AtomizerAgent of(AtomizerAgent agent, AtomizerAgentStatus status) {
    var patch = new AtomizerAgent();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(agent.getMetadata().getName())
            .withNamespace(agent.getMetadata().getNamespace())
            .withUid(agent.getMetadata().getUid())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
