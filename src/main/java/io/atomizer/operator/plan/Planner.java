package io.atomizer.operator.plan;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.inbox.SharedAgentDirs;
import io.atomizer.operator.token.Tokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * Decides an agent's plan before any object is touched: the spec checks first (an invalid spec
 * plans nothing else), then the token, the shared claims, the pod that holds the token, what
 * Discord said of it, who keeps the agent's directory, and tokens in spec.env.
 */
public final class Planner {

  private final Tokens tokens;
  private final SharedAgentDirs agentDirs;

  public Planner(Tokens tokens, SharedAgentDirs agentDirs) {
    this.tokens = tokens;
    this.agentDirs = agentDirs;
  }

  /**
   * @param hasPod whether the agent has a pod: then its claims existed, and its token is its own
   */
  public AgentPlan plan(AtomizerAgent agent, KubernetesClient client, boolean hasPod) {
    var problems = SpecChecks.problems(agent);
    if (!problems.isEmpty()) {
      return AgentPlan.invalid(problems);
    }
    var token = tokens.resolve(agent);
    var suspended = Boolean.TRUE.equals(agent.getSpec().getSuspend());
    var usable = token.usable();
    var missing =
        hasPod || suspended || !usable
            ? List.<AgentPlan.MissingClaim>of()
            : SharedClaims.missing(agent, client);
    var id = ResourceID.fromResource(agent);
    var holder = usable && !hasPod ? tokens.holder(token.fingerprint(), id).orElse(null) : null;
    var verification = usable ? tokens.verification(agent, token.fingerprint()) : null;
    return new AgentPlan(
        List.of(),
        token,
        missing,
        suspended,
        holder,
        verification,
        agentDirs.olderHolder(agent).orElse(null),
        tokens.inEnv(agent));
  }
}
