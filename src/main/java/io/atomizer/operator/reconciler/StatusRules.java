package io.atomizer.operator.reconciler;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.Set;

/** One rule per condition; each takes only what it needs, so each is tested case by case. */
public final class StatusRules {

  /** Reasons that need a human: Stalled=True, Reconciling=False while one of them holds. */
  static final Set<String> NEEDS_A_HUMAN =
      Set.of(
          Conditions.INVALID_SPEC,
          Conditions.SECRET_NOT_FOUND,
          Conditions.KEY_NOT_FOUND,
          Conditions.MALFORMED_TOKEN,
          Conditions.DUPLICATE_TOKEN,
          Conditions.TOKEN_IN_ENV,
          Conditions.INVALID_TOKEN,
          Conditions.WORKSPACE_CLAIM_NOT_FOUND,
          Conditions.SKILLS_CLAIM_NOT_FOUND,
          Conditions.DUPLICATE_AGENT_DIR,
          Conditions.CLAIM_LOST,
          Conditions.IMAGE_PULL_BACK_OFF,
          Conditions.CREATE_CONTAINER_CONFIG_ERROR,
          Conditions.CRASH_LOOP_BACK_OFF,
          Conditions.OOM_KILLED,
          Conditions.PLUGIN_NOT_INSTALLED,
          Conditions.PLUGIN_NOT_LOADED,
          Conditions.DISCORD_NOT_CONFIGURED);

  private StatusRules() {}

  public static ConditionValue computeTokenReady(AtomizerAgent agent, TokenResolution token) {
    var ref = agent.getSpec().getToken();
    if (token instanceof TokenResolution.SecretMissing) {
      return isFalse(
          Conditions.SECRET_NOT_FOUND,
          "Secret "
              + ref.getSecretName()
              + " (spec.token.secretName) does not exist in namespace "
              + agent.getMetadata().getNamespace()
              + " (or is of a type the operator does not read: by default only Opaque Secrets,"
              + " see ATOMIZER_SECRET_FIELD_SELECTOR). Create it, for example with kubectl create"
              + " secret generic "
              + ref.getSecretName()
              + " --from-env-file=.env; the agent starts"
              + " by itself once it exists.");
    }
    if (token instanceof TokenResolution.KeyMissing) {
      return isFalse(
          Conditions.KEY_NOT_FOUND,
          "Secret "
              + ref.getSecretName()
              + " has no non-empty key "
              + ref.getKey()
              + " (spec.token.key). Add the key, or point spec.token.key at the right one.");
    }
    if (token instanceof TokenResolution.Malformed malformed) {
      return isFalse(
          Conditions.MALFORMED_TOKEN,
          "Secret "
              + ref.getSecretName()
              + " key "
              + ref.getKey()
              + " (spec.token) does not hold a Discord bot token: the value "
              + malformed.problem()
              + ". Put the bot token from the Discord developer portal (the bot's page > Bot >"
              + " Reset Token) in that key, alone; the agent starts by itself.");
    }
    if (token instanceof TokenResolution.Duplicate duplicate) {
      return isFalse(
          Conditions.DUPLICATE_TOKEN,
          "The token in "
              + ref.getSecretName()
              + "/"
              + ref.getKey()
              + " (fingerprint "
              + duplicate.fingerprint()
              + ") is also used by the older agent "
              + displayName(duplicate.holder())
              + ", which keeps it: one token may run in one process only."
              + " Give this agent its own bot token; it starts by itself once the conflict is"
              + " gone.");
    }
    return isTrue(
        Conditions.TOKEN_RESOLVED,
        "The token in "
            + ref.getSecretName()
            + "/"
            + ref.getKey()
            + " has fingerprint "
            + token.fingerprint()
            + " and no older agent uses it.");
  }

  public static ConditionValue computeStorageReady(
      AtomizerAgent agent, AgentPlan plan, Optional<PersistentVolumeClaim> statePvc) {
    if (plan.agentDirHolder() != null) {
      var workspaces = agent.getSpec().getWorkspaces();
      return isFalse(
          Conditions.DUPLICATE_AGENT_DIR,
          "The older agent "
              + displayName(plan.agentDirHolder())
              + " also uses directory "
              + AgentPodTemplate.agentDir(agent)
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

  /** Ready: True only when the pod runs the current spec and is ready; else the first blocker. */
  public static ConditionValue computeReady(
      AtomizerAgent agent,
      AgentPlan plan,
      ConditionValue tokenReady,
      ConditionValue storageReady,
      ConditionValue podHealthy,
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
    if (storageReady.fails() && NEEDS_A_HUMAN.contains(storageReady.reason())) {
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
                + displayName(Labels.agentOf(plan.blockingPod()))
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
    return podHealthy.holds()
        ? isTrue(Conditions.RUNNING, podHealthy.message())
        : isFalse(podHealthy.reason(), podHealthy.message());
  }

  /** Stalled: True exactly when Ready is held back by something only a human can fix. */
  public static ConditionValue computeStalled(ConditionValue ready) {
    return !ready.holds() && NEEDS_A_HUMAN.contains(ready.reason())
        ? isTrue(ready.reason(), ready.message())
        : isFalse(Conditions.NOT_STALLED, "Nothing needs a human.");
  }

  /** Reconciling: True while the operator is still converging toward Ready. */
  public static ConditionValue computeReconciling(
      ConditionValue ready, ConditionValue stalled, AgentPlan plan, Observed observed) {
    if (stalled.holds()) {
      return isFalse(Conditions.BLOCKED, "Waiting for a human; see Stalled.");
    }
    if (plan.suspended()) {
      return observed.pod().isPresent()
          ? isTrue(Conditions.PROGRESSING, "Suspending: waiting for the pod to terminate.")
          : isFalse(Conditions.RECONCILED, "The agent is suspended.");
    }
    return ready.holds()
        ? isFalse(Conditions.RECONCILED, "The agent runs its current spec.")
        : isTrue(ready.reason(), ready.message());
  }

  public static Phase computePhase(
      ConditionValue ready,
      ConditionValue stalled,
      ConditionValue inboxHealthy,
      AgentPlan plan,
      boolean podRunning) {
    if (plan.suspended()) {
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

  /** An agent as people write it, namespace/name; ResourceID's toString is for logs. */
  private static String displayName(ResourceID agent) {
    return agent == null
        ? "(unknown)"
        : agent.getNamespace().map(ns -> ns + "/").orElse("") + agent.getName();
  }
}
