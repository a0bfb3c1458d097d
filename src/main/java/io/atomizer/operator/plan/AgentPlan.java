package io.atomizer.operator.plan;

import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * What the reconciler decided before touching any object: whether the spec is usable, what the
 * token resolves to, which shared claims are missing, and which other pod still holds the token.
 * The dependents read it from the reconcile context.
 *
 * @param specProblems problems only the operator can detect, each naming the field to fix
 * @param token what spec.token resolves to
 * @param missingClaims shared claims (workspaces, skills) that do not exist, as condition reason
 *     and claim name
 * @param blockingPod a pod of another agent that still carries this agent's token, or null
 * @param verification what Discord said of the token; null while the token does not resolve
 * @param agentDirHolder the older agent that keeps this agent's directory in the workspaces volume
 *     (see {@link io.atomizer.operator.inbox.SharedAgentDirs}), or null
 * @param tokensInEnv spec.env variables that would carry some agent's Discord token (see {@link
 *     io.atomizer.operator.token.TokensInEnv}), one sentence each
 */
public record AgentPlan(
    List<String> specProblems,
    TokenResolution token,
    List<MissingClaim> missingClaims,
    boolean suspended,
    Pod blockingPod,
    Verification verification,
    ResourceID agentDirHolder,
    List<String> tokensInEnv) {

  /** A plan for an agent whose directory is its own. */
  public AgentPlan(
      List<String> specProblems,
      TokenResolution token,
      List<MissingClaim> missingClaims,
      boolean suspended,
      Pod blockingPod,
      Verification verification) {
    this(specProblems, token, missingClaims, suspended, blockingPod, verification, null, List.of());
  }

  static final String KEY = AgentPlan.class.getName();

  /** A shared claim named in the spec that does not exist. */
  public record MissingClaim(String reason, String field, String claimName) {}

  public static AgentPlan invalid(List<String> problems) {
    return new AgentPlan(problems, null, List.of(), false, null, null);
  }

  public boolean specValid() {
    return specProblems.isEmpty();
  }

  /**
   * The agent should have a pod: valid spec, not suspended, a usable token, claims present, its
   * directory its own, and no other token in its env.
   */
  public boolean podWanted() {
    return specValid()
        && !suspended
        && token.usable()
        && missingClaims.isEmpty()
        && agentDirHolder == null
        && tokensInEnv.isEmpty();
  }

  /**
   * Whether a pod may be created now: no other agent's pod holds the token, and Discord has not
   * rejected it (nor been asked yet). A running pod is not removed for these reasons.
   */
  public boolean mayCreatePod() {
    return blockingPod == null && (verification == null || verification.allowsPod());
  }

  public String fingerprint() {
    return token == null ? null : token.fingerprint();
  }

  public static AgentPlan of(Context<?> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, AgentPlan.class);
  }

  /** Stores the plan in the reconcile's context, for the dependents; returns it. */
  public AgentPlan storeIn(Context<?> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
    return this;
  }
}
