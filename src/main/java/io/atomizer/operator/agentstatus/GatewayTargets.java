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

  public Resolution resolve(AtomizerAgent agent) {
    var pod = pods.apply(ResourceID.fromResource(agent)).orElse(null);
    if (pod == null || pod.isMarkedForDeletion()) {
      return none(DiscordStatus.notRunning("The agent has no running pod."));
    }
    var status = pod.getStatus();
    var ip = status == null ? null : status.getPodIP();
    if (ip == null || ip.isBlank() || !isReady(pod)) {
      return none(DiscordStatus.notRunning("The agent's pod is not ready yet."));
    }
    var env = tokenEnv(agent);
    if (env.isEmpty()) {
      return none(
          DiscordStatus.unreadable(
              "The agent's spec.env has no "
                  + TOKEN_ENV
                  + ", so the operator cannot authenticate to its gateway; set it in spec.env"
                  + " (from a Secret) and use it as gateway.auth.token in the config."));
    }
    var token = tokenValue(agent.getMetadata().getNamespace(), env.get());
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
