package io.atomizer.operator.token;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The answer to an attempt to create a pod with a token: created, or another pod holds it. */
public sealed interface TokenClaim {

  /** Where a claim lost during a reconcile is kept, for the reconciler to plan again. */
  String KEY = TokenClaim.class.getName();

  /** No other agent's pod carried the token; {@code pod} was created with it. */
  record Created(Pod pod) implements TokenClaim {}

  /**
   * Another agent's pod, {@code holder}, carries the token: it appeared after the plan was made
   * (both agents were created at once, say). Nothing was created; the agent waits for it like for
   * any pod that holds its token.
   */
  record HeldBy(Pod holder) implements TokenClaim {}

  /** Keeps a lost claim in the reconcile's context. */
  static void keepLost(Context<?> context, HeldBy lost) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, lost);
  }

  /** Whether a pod creation in this reconcile found its token held by another agent's pod. */
  static boolean lostIn(Context<?> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, HeldBy.class).isPresent();
  }
}
