package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * When the status is written: only when it changed, and also when the reconcile failed (the status
 * computed before the failure is kept in the context and written by {@code updateErrorStatus}, then
 * JOSDK retries with backoff).
 */
final class StatusWrite {

  private static final String PENDING = StatusWrite.class.getName() + ".pending";

  private StatusWrite() {}

  /** A patch of the status when it differs from the agent's, else no update. */
  static UpdateControl<AtomizerAgent> of(AtomizerAgent agent, AtomizerAgentStatus status) {
    return status.equals(agent.getStatus())
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(StatusPatch.of(agent, status));
  }

  /** Keeps {@code status} for {@link #onError}, before the reconcile throws. */
  static void keepForError(Context<AtomizerAgent> context, AtomizerAgentStatus status) {
    context.managedWorkflowAndDependentResourceContext().put(PENDING, status);
  }

  /** Writes the status kept before a failure, if it changed; else JOSDK's default handling. */
  static ErrorStatusUpdateControl<AtomizerAgent> onError(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(PENDING, AtomizerAgentStatus.class)
        .filter(status -> !status.equals(agent.getStatus()))
        .map(status -> ErrorStatusUpdateControl.patchStatus(StatusPatch.of(agent, status)))
        .orElseGet(ErrorStatusUpdateControl::defaultErrorProcessing);
  }
}
