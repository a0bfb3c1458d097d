package io.atomizer.operator.agentstatus;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.GatewaySpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds where to ask an agent's gateway: the IP of its ready pod, the gateway port from the spec,
 * and the gateway token the pod gets as {@code OPENCLAW_GATEWAY_TOKEN} (a literal value, or a
 * Secret key, read by name from the API server). The variable is taken from the agent's {@code
 * spec.env}, from which the operator builds the pod's environment: the operator's pod cache holds
 * no containers ({@code OperatorClient} leaves them out). While a spec change that changes the
 * token replaces the pod, a poll of the old pod may be refused (Unknown until the new one is
 * ready).
 */
public final class GatewayTargets {

  /** The variable OpenClaw's config substitutes into gateway.auth.token. */
  public static final String TOKEN_ENV = "OPENCLAW_GATEWAY_TOKEN";

  /** A Secret key's value from the operator's cache. */
  @FunctionalInterface
  public interface SecretValues {
    Optional<String> value(String namespace, String secretName, String key);
  }

  /** Either a target or why there is none yet. */
  public record Resolution(GatewayTarget target, DiscordStatus instead) {}

  private final Function<ResourceID, Optional<Pod>> pods;
  private final SecretValues secrets;

  public GatewayTargets(Function<ResourceID, Optional<Pod>> pods, SecretValues secrets) {
    this.pods = pods;
    this.secrets = secrets;
  }

  /** Why a poll finds nothing to ask while the agent has no ready pod: one message for all. */
  public static final String NOT_RUNNING = "The agent's pod is not running and ready yet.";

  public Resolution resolve(AtomizerAgent agent) {
    var pod = pods.apply(ResourceID.fromResource(agent)).orElse(null);
    var instead = withoutAsking(agent, pod);
    if (instead.isPresent()) {
      return none(instead.get());
    }
    var ip = pod.getStatus().getPodIP();
    var env = tokenEnv(agent).orElseThrow();
    var token = tokenValue(agent.getMetadata().getNamespace(), env);
    if (token.isEmpty()) {
      return none(
          DiscordStatus.unreadable(
              "The operator cannot read "
                  + TOKEN_ENV
                  + " of the agent's pod: it must be a literal value or a secretKeyRef to an existing"
                  + " Secret key."));
    }
    var port =
        Optional.ofNullable(agent.getSpec().getGateway())
            .map(GatewaySpec::getPort)
            .orElse(GatewaySpec.DEFAULT_PORT);
    var host = ip.contains(":") ? "[" + ip + "]" : ip;
    return new Resolution(
        new GatewayTarget(URI.create("http://" + host + ":" + port), token.get()), null);
  }

  /**
   * What a poll finds without asking anything, from the spec and the pod alone: unreadable when the
   * spec gives the operator no gateway token (whatever the pod does, so the answer does not change
   * when the pod turns ready), not running while there is no ready pod; empty when the gateway is
   * to be asked. A reconcile uses it until the first poll is cached, so that the agent's first
   * status already says what the polls will say, and is not rewritten for a different wording of
   * the same.
   *
   * @param pod the agent's pod, or null
   */
  public static Optional<DiscordStatus> withoutAsking(AtomizerAgent agent, Pod pod) {
    if (tokenEnv(agent).isEmpty()) {
      return Optional.of(
          DiscordStatus.unreadable(
              "The agent's spec.env has no "
                  + TOKEN_ENV
                  + ", so the operator cannot authenticate to its gateway; set it in spec.env"
                  + " (from a Secret) and use it as gateway.auth.token in the config."));
    }
    var status = pod == null ? null : pod.getStatus();
    var ip = status == null ? null : status.getPodIP();
    if (pod == null || pod.isMarkedForDeletion() || ip == null || ip.isBlank() || !isReady(pod)) {
      return Optional.of(DiscordStatus.notRunning(NOT_RUNNING));
    }
    return Optional.empty();
  }

  private static Resolution none(DiscordStatus why) {
    return new Resolution(null, why);
  }

  private static boolean isReady(Pod pod) {
    var conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Optional<EnvVar> tokenEnv(AtomizerAgent agent) {
    var env = agent.getSpec().getEnv();
    return env == null
        ? Optional.empty()
        : env.stream().filter(e -> TOKEN_ENV.equals(e.getName())).findFirst();
  }

  private Optional<String> tokenValue(String namespace, EnvVar env) {
    if (env.getValue() != null && !env.getValue().isEmpty()) {
      return Optional.of(env.getValue());
    }
    var from = env.getValueFrom();
    if (from == null || from.getSecretKeyRef() == null) {
      return Optional.empty();
    }
    var ref = from.getSecretKeyRef();
    try {
      return secrets.value(namespace, ref.getName(), ref.getKey()).filter(v -> !v.isEmpty());
    } catch (RuntimeException e) { // the API server did not answer: unreadable this time
      return Optional.empty();
    }
  }
}
