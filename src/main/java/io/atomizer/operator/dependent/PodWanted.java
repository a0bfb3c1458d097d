package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.plan.AgentPlan;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the pod: the plan wants a pod, and either the agent has one already or
 * no other agent's pod still carries the token and the state claim is not on its way out (see
 * {@link StatePersistentVolumeClaim#onItsWayOut}). When it does not hold, the workflow deletes the
 * agent's pod (suspend, duplicate or missing token) or simply creates nothing yet.
 */
public final class PodWanted implements Condition<Pod, AtomizerAgent> {

  @Override
  public boolean isMet(
      DependentResource<Pod, AtomizerAgent> pod, AtomizerAgent agent, Context<AtomizerAgent> ctx) {
    var plan = AgentPlan.of(ctx);
    if (!plan.podWanted()) {
      return false;
    }
    if (pod.getSecondaryResource(agent, ctx).isPresent()) {
      return true;
    }
    return plan.mayCreatePod()
        && ctx.getSecondaryResource(PersistentVolumeClaim.class)
            .filter(claim -> StatePersistentVolumeClaim.onItsWayOut(claim, agent))
            .isEmpty();
  }
}
