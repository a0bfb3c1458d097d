package io.atomizer.operator.status;

import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;

/**
 * status.phase, one word for {@code kubectl get}: Suspended, Failed (Stalled), Running (Degraded
 * while the INBOX is backlogged), Degraded (the container runs but Ready is False), else Pending.
 */
public final class AgentPhase {

  public static Phase decide(
      ConditionValue ready,
      ConditionValue stalled,
      ConditionValue inboxHealthy,
      boolean suspended,
      boolean podRunning) {
    if (suspended) {
      return Phase.Suspended;
    }
    if (stalled.holds()) {
      return Phase.Failed;
    }
    if (ready.holds()) {
      return inboxHealthy.fails() ? Phase.Degraded : Phase.Running;
    }
    return podRunning ? Phase.Degraded : Phase.Pending;
  }

  private AgentPhase() {}
}
