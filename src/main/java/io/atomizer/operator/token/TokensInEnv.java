package io.atomizer.operator.token;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * No variable of spec.env may carry a Discord token of any agent: a {@code secretKeyRef} to another
 * agent's token key (in the token Secret or in a copy of it) would put two tokens in one process.
 * The rule is about values, not Secret names: the examples read GATEWAY_TOKEN from the token
 * Secret, and that stays allowed. Values are compared by fingerprint only, through {@link Lookup},
 * so it works with a Secret cache that keeps nothing else.
 */
public final class TokensInEnv {

  /** What the rule needs from the operator's caches. */
  public interface Lookup {
    /** The fingerprint of {@code key} in Secret {@code namespace/secretName}, if known. */
    Optional<String> fingerprint(String namespace, String secretName, String key);

    /** Every agent whose token resolves to {@code fingerprint}. */
    Set<ResourceID> agentsWith(String fingerprint);
  }

  private TokensInEnv() {}

  /** The Secret keys spec.env reads. */
  static List<SecretKeySelector> secretRefs(AtomizerAgent agent) {
    var env = agent.getSpec() == null ? null : agent.getSpec().getEnv();
    if (env == null) {
      return List.of();
    }
    return env.stream()
        .filter(Objects::nonNull)
        .map(EnvVar::getValueFrom)
        .filter(Objects::nonNull)
        .map(v -> v.getSecretKeyRef())
        .filter(ref -> ref != null && ref.getName() != null && ref.getKey() != null)
        .toList();
  }

  /** One sentence per spec.env variable that would carry a token, naming it and how to fix it. */
  public static List<String> problems(AtomizerAgent agent, Lookup lookup) {
    var env = agent.getSpec() == null ? null : agent.getSpec().getEnv();
    if (env == null) {
      return List.of();
    }
    var namespace = agent.getMetadata().getNamespace();
    var self = ResourceID.fromResource(agent);
    var problems = new ArrayList<String>();
    for (int i = 0; i < env.size(); i++) {
      var variable = env.get(i);
      var ref =
          variable == null || variable.getValueFrom() == null
              ? null
              : variable.getValueFrom().getSecretKeyRef();
      if (ref == null || ref.getName() == null || ref.getKey() == null) {
        continue;
      }
      var fingerprint = lookup.fingerprint(namespace, ref.getName(), ref.getKey());
      if (fingerprint.isEmpty()) {
        continue;
      }
      var holders = lookup.agentsWith(fingerprint.get());
      if (holders.isEmpty()) {
        continue;
      }
      var whose =
          holders.equals(Set.of(self))
              ? "this agent's own Discord token, which the operator already puts in spec.token.envName"
              : "the Discord token of agent "
                  + holders.stream()
                      .filter(h -> !h.equals(self))
                      .map(h -> h.getNamespace().map(ns -> ns + "/").orElse("") + h.getName())
                      .sorted()
                      .collect(Collectors.joining(", "));
      problems.add(
          "spec.env["
              + i
              + "] ("
              + variable.getName()
              + ") reads Secret "
              + ref.getName()
              + " key "
              + ref.getKey()
              + ", which holds "
              + whose
              + ": one process may hold one token only. Remove the variable or point it at a key"
              + " that holds no bot token; the agent starts by itself.");
    }
    return problems;
  }
}
