package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.token.Verification;

/**
 * Ready, as kstatus reads it: {@code kubectl wait --for=condition=Ready}, Flux and Argo CD use it
 * to tell a healthy agent.
 */
public final class Ready {

  /**
   * Ready: True only when the pod runs the current spec, is ready, and its Discord connection is
   * not known to be down; else the first blocker, in the order a person fixes them.
   */
  public static ConditionValue decide(
      AgentPlan plan,
      ConditionValue tokenReady,
      ConditionValue storageReady,
      ConditionValue podHealthy,
      ConditionValue discordConnected,
      Observed observed) {
    if (!plan.specValid()) {
      return isFalse(Conditions.INVALID_SPEC, String.join(" ", plan.specProblems()));
    }
    if (plan.suspended()) {
      return isFalse(
          Conditions.SUSPENDED,
          "spec.suspend is true: the agent's pod is removed, its state is kept. Set it to false"
              + " to start the agent again.");
    }
    if (tokenReady.fails()) {
      return isFalse(tokenReady.reason(), tokenReady.message());
    }
    if (!plan.tokensInEnv().isEmpty()) {
      return isFalse(Conditions.TOKEN_IN_ENV, String.join(" ", plan.tokensInEnv()));
    }
    if (storageReady.fails() && Stalled.needsAHuman(storageReady.reason())) {
      return isFalse(storageReady.reason(), storageReady.message());
    }
    var pod = observed.pod();
    if (pod.isEmpty()) {
      if (plan.blockingPod() != null) {
        return isFalse(
            Conditions.WAITING_FOR_TOKEN_RELEASE,
            "Pod "
                + plan.blockingPod().getMetadata().getName()
                + " of agent "
                + Names.display(Labels.agentOf(plan.blockingPod()))
                + " still carries this agent's token; the"
                + " new pod is created once it is gone.");
      }
      if (plan.verification() instanceof Verification.Pending) {
        return isFalse(
            Conditions.PROGRESSING,
            "Verifying the token with Discord before the pod is created (once per token).");
      }
      return isFalse(
          Conditions.PROGRESSING,
          observed.error() != null
              ? "Creating the agent's objects failed and is retried: " + observed.error()
              : "Creating the agent's pod.");
    }
    if (!observed.podCurrent()) {
      if (pod.get().isMarkedForDeletion()) {
        return isFalse(
            Conditions.WAITING_FOR_TOKEN_RELEASE,
            "The previous pod "
                + pod.get().getMetadata().getName()
                + " is terminating; the new"
                + " pod is created once it is gone, so that the token never runs twice.");
      }
      return isFalse(
          Conditions.REPLACING_POD,
          "The spec or the token changed; pod "
              + pod.get().getMetadata().getName()
              + " is replaced.");
    }
    if (!podHealthy.holds()) {
      return isFalse(podHealthy.reason(), podHealthy.message());
    }
    // a ready pod whose bot is known to be offline is not Ready; Unknown does not hold it back
    if (discordConnected.fails()) {
      return isFalse(
          discordConnected.reason(),
          "The pod is ready, but the agent is not online on Discord: "
              + discordConnected.message());
    }
    return isTrue(Conditions.RUNNING, podHealthy.message());
  }

  private Ready() {}
}
