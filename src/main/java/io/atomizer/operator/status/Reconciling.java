package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.Conditions;

/** Reconciling, as kstatus reads it: True while the operator still converges toward Ready. */
public final class Reconciling {

  /** Reconciling: True while the operator is still converging toward Ready. */
  public static ConditionValue decide(
      ConditionValue ready, ConditionValue stalled, boolean suspended, boolean hasPod) {
    if (stalled.holds()) {
      return isFalse(Conditions.BLOCKED, "Waiting for a human; see Stalled.");
    }
    if (suspended) {
      return hasPod
          ? isTrue(Conditions.PROGRESSING, "Suspending: waiting for the pod to terminate.")
          : isFalse(Conditions.RECONCILED, "The agent is suspended.");
    }
    return ready.holds()
        ? isFalse(Conditions.RECONCILED, "The agent runs its current spec.")
        : isTrue(ready.reason(), ready.message());
  }

  private Reconciling() {}
}
