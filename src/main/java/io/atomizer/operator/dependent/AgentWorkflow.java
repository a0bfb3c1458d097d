package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.token.Tokens;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Optional;

/**
 * The agent's objects and their order: the state claim, then the pod, which exists only while the
 * plan wants it ({@link PodWanted}). A failure of one dependent is returned, not thrown.
 */
public final class AgentWorkflow {

  private final StatePersistentVolumeClaim statePvc = new StatePersistentVolumeClaim();
  private final AgentPod agentPod;
  private final Workflow<AtomizerAgent> workflow;

  public AgentWorkflow(Tokens tokens) {
    this.agentPod = new AgentPod(tokens);
    this.workflow =
        new WorkflowBuilder<AtomizerAgent>()
            .addDependentResource(statePvc)
            .addDependentResourceAndConfigure(agentPod)
            .dependsOn(statePvc)
            .withReconcilePrecondition(new PodWanted())
            .withThrowExceptionFurther(false)
            .build();
  }

  public List<EventSource<?, AtomizerAgent>> eventSources(EventSourceContext<AtomizerAgent> ctx) {
    return EventSourceUtils.eventSourcesFromWorkflow(ctx, workflow);
  }

  /** Reconciles the claim and the pod; the first failure to create or change one, if any. */
  public Optional<Exception> reconcile(AtomizerAgent agent, Context<AtomizerAgent> context) {
    var result = workflow.reconcile(agent, context);
    return result.getErroredDependents().values().stream().findFirst();
  }

  public Optional<Pod> pod(AtomizerAgent agent, Context<AtomizerAgent> context) {
    return agentPod.getSecondaryResource(agent, context);
  }

  public Optional<PersistentVolumeClaim> stateClaim(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    return statePvc.getSecondaryResource(agent, context);
  }

  /** The agent's pod as the pod informer caches it, for readers outside a reconcile. */
  public Optional<Pod> cachedPod(ResourceID agent) {
    return agentPod.cached(agent);
  }

  /**
   * Forgets the agent's pod {@code cached} when it is gone from the server although no event said
   * so ({@link AgentPod#forgetIfGone}). Only asked while the agent is not Ready: a pod the informer
   * never reported cannot have made it Ready.
   *
   * @return whether the pod was forgotten; its agent is then reconciled again
   */
  public boolean forgetIfGone(Pod cached, boolean ready, Context<AtomizerAgent> context) {
    return !ready && agentPod.forgetIfGone(cached, context);
  }
}
