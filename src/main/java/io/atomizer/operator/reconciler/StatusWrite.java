package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how the status is written: only when it changed, and also when the reconcile failed (the
 * status computed before the failure is kept in the context and written by {@code
 * updateErrorStatus}, then JOSDK retries with backoff).
 *
 * <p>The write is a server-side apply of {@link StatusPatch}, whose resourceVersion the API server
 * checks: a status computed from a stale view of the agent is refused with 409 and JOSDK reconciles
 * again. The agent the API server answers with goes into JOSDK's own cache of agents at once (its
 * {@code handleRecentResourceUpdate}), so that a reconcile that starts before the watch reports the
 * write sees it, rather than writing the same status again from the version before (which the
 * precondition would refuse, at the price of a conflict and a retry).
 */
final class StatusWrite {

  private static final Logger log = LoggerFactory.getLogger(StatusWrite.class);
  private static final String PENDING = StatusWrite.class.getName() + ".pending";

  private StatusWrite() {}

  /** Writes {@code status} when it differs from the agent's; a conflict throws, for a retry. */
  static void ifChanged(
      AtomizerAgent agent, AtomizerAgentStatus status, Context<AtomizerAgent> context) {
    if (status.equals(agent.getStatus())) {
      return;
    }
    var written =
        context
            .getClient()
            .resource(StatusPatch.of(agent, status))
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(context.getControllerConfiguration().fieldManager())
                    .withForce(true)
                    .build());
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(agent), written, agent);
  }

  /** Keeps {@code status} for {@link #onError}, before the reconcile throws. */
  static void keepForError(Context<AtomizerAgent> context, AtomizerAgentStatus status) {
    context.managedWorkflowAndDependentResourceContext().put(PENDING, status);
  }

  /**
   * Writes the status kept before a failure, if it changed, then lets JOSDK retry the failure. A
   * status that cannot be written (a conflict: the agent changed meanwhile) waits for that retry.
   */
  static ErrorStatusUpdateControl<AtomizerAgent> onError(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    context
        .managedWorkflowAndDependentResourceContext()
        .get(PENDING, AtomizerAgentStatus.class)
        .ifPresent(
            status -> {
              try {
                ifChanged(agent, status, context);
              } catch (KubernetesClientException e) {
                log.warn(
                    "the status of {}/{} computed before the failure was not written (HTTP {});"
                        + " the retry writes it",
                    agent.getMetadata().getNamespace(),
                    agent.getMetadata().getName(),
                    e.getCode());
              }
            });
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
