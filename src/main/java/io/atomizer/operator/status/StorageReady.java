package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.plan.AgentPlan;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Optional;

/**
 * StorageReady: the state claim is bound, the shared claims the pod mounts exist, and the agent's
 * directory in the workspaces volume is its own.
 */
public final class StorageReady {

  public static ConditionValue decide(
      AtomizerAgent agent, AgentPlan plan, Optional<PersistentVolumeClaim> statePvc) {
    if (plan.agentDirHolder() != null) {
      var workspaces = agent.getSpec().getWorkspaces();
      return isFalse(
          Conditions.DUPLICATE_AGENT_DIR,
          "The older agent "
              + Names.display(plan.agentDirHolder())
              + " also uses directory "
              + AgentDir.of(agent)
              + " of workspaces claim "
              + workspaces.getClaimName()
              + ", so both would take the tasks in its INBOX; it keeps the directory. Give this"
              + " agent its own directory (spec.workspaces.agentDir, by default the agent's name);"
              + " it starts by itself once the conflict is gone.");
    }
    if (!plan.missingClaims().isEmpty()) {
      var missing = plan.missingClaims().get(0);
      return isFalse(
          missing.reason(),
          "PersistentVolumeClaim "
              + missing.claimName()
              + " ("
              + missing.field()
              + ") does not exist in namespace "
              + agent.getMetadata().getNamespace()
              + ". Create it; the agent starts by itself once it exists.");
    }
    if (statePvc.isEmpty()) {
      return isFalse(Conditions.CLAIM_NOT_CREATED, "The state claim has not been created yet.");
    }
    var pvc = statePvc.get();
    var name = pvc.getMetadata().getName();
    if (StatePersistentVolumeClaim.onItsWayOut(pvc, agent)) {
      return isFalse(
          Conditions.CLAIM_BEING_DELETED,
          "State claim "
              + name
              + " is being deleted (it belonged to an earlier agent of this name that was deleted"
              + " with state.retainOnDelete=false, or it was deleted by hand). A new claim is"
              + " created once it is gone.");
    }

    var phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    if ("Bound".equals(phase)) {
      return isTrue(Conditions.BOUND, "State claim " + name + " is bound.");
    }
    if ("Lost".equals(phase)) {
      return isFalse(
          Conditions.CLAIM_LOST,
          "State claim "
              + name
              + " lost its volume. Restore the PersistentVolume it was bound to.");
    }
    return isFalse(
        Conditions.CLAIM_PENDING,
        "State claim "
            + name
            + " waits for a volume"
            + Optional.ofNullable(pvc.getSpec().getStorageClassName())
                .map(c -> " of storage class " + c)
                .orElse(" of the default storage class")
            + " (classes that bind on first use wait until the pod is scheduled).");
  }

  private StorageReady() {}
}
