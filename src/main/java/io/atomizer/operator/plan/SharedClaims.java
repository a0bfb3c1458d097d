package io.atomizer.operator.plan;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that the shared claims an agent mounts exist. The operator does not cache claims it does
 * not own, so it asks the API server, and only when it is about to create a pod: a running pod
 * proves its claims existed, and a pod is never created onto a missing claim.
 */
public final class SharedClaims {

  private SharedClaims() {}

  public static List<AgentPlan.MissingClaim> missing(AtomizerAgent agent, KubernetesClient client) {
    var spec = agent.getSpec();
    var namespace = agent.getMetadata().getNamespace();
    var missing = new ArrayList<AgentPlan.MissingClaim>();
    var workspaces = spec.getWorkspaces().getClaimName();
    if (absent(client, namespace, workspaces)) {
      missing.add(
          new AgentPlan.MissingClaim(
              Conditions.WORKSPACE_CLAIM_NOT_FOUND, "spec.workspaces.claimName", workspaces));
    }
    if (spec.getSkills() != null && absent(client, namespace, spec.getSkills().getClaimName())) {
      missing.add(
          new AgentPlan.MissingClaim(
              Conditions.SKILLS_CLAIM_NOT_FOUND,
              "spec.skills.claimName",
              spec.getSkills().getClaimName()));
    }
    return missing;
  }

  private static boolean absent(KubernetesClient client, String namespace, String name) {
    PersistentVolumeClaim claim =
        client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    return claim == null;
  }
}
