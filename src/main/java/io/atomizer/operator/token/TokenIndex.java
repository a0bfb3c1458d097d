package io.atomizer.operator.token;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Answers "which agents use this token?" from the operator's caches alone: agents are indexed by
 * the Secret they reference, Secrets by the fingerprints of their values. Nothing is kept beside
 * the informers, so the answer is the same after a restart and never goes stale.
 */
public final class TokenIndex {

  static final String AGENTS_BY_SECRET = "atomizer.io/agents-by-secret";
  static final String SECRETS_BY_FINGERPRINT = "atomizer.io/secrets-by-fingerprint";

  /** Orders agents by age: creation time, then namespace/name, so the older one wins a token. */
  static final Comparator<AtomizerAgent> OLDEST_FIRST =
      Comparator.comparing((AtomizerAgent a) -> a.getMetadata().getCreationTimestamp())
          .thenComparing(a -> a.getMetadata().getNamespace())
          .thenComparing(a -> a.getMetadata().getName());

  private IndexerResourceCache<AtomizerAgent> agents;
  private InformerEventSource<Secret, AtomizerAgent> secrets;

  /**
   * Creates the Secret event source and the two indexes. {@code scope} narrows which Secrets are
   * cached (a field or label selector), so that Helm release Secrets do not fill the heap.
   */
  public InformerEventSource<Secret, AtomizerAgent> secretEventSource(
      EventSourceContext<AtomizerAgent> context,
      Consumer<InformerEventSourceConfiguration.Builder<Secret>> scope) {
    agents = context.getPrimaryCache();
    agents.addIndexers(Map.of(AGENTS_BY_SECRET, a -> List.of(secretKey(a))));
    var builder =
        InformerEventSourceConfiguration.from(Secret.class, AtomizerAgent.class)
            .withName("token-secrets")
            .withSecondaryToPrimaryMapper(this::agentsAffectedBy);
    scope.accept(builder);
    secrets = new InformerEventSource<>(builder.build(), context);
    secrets.addIndexers(
        Map.of(
            SECRETS_BY_FINGERPRINT, s -> List.copyOf(new HashSet<>(Fingerprints.all(s).values()))));
    return secrets;
  }

  /** Resolves the agent's token reference against the cached Secrets and the other agents. */
  public TokenResolution resolve(AtomizerAgent agent) {
    var ref = agent.getSpec().getToken();
    var secret =
        secrets.get(new ResourceID(ref.getSecretName(), agent.getMetadata().getNamespace()));
    if (secret.isEmpty()) {
      return new TokenResolution.SecretMissing(ref.getSecretName());
    }
    var fingerprint = Fingerprints.of(secret.get(), ref.getKey());
    if (fingerprint.isEmpty()) {
      return new TokenResolution.KeyMissing(ref.getSecretName(), ref.getKey());
    }
    var malformed = Fingerprints.value(secret.get(), ref.getKey()).flatMap(TokenShape::problem);
    if (malformed.isPresent()) {
      return new TokenResolution.Malformed(ref.getSecretName(), ref.getKey(), malformed.get());
    }
    var self = ResourceID.fromResource(agent);
    return holder(fingerprint.get())
        .filter(holder -> !holder.equals(self))
        .<TokenResolution>map(holder -> new TokenResolution.Duplicate(fingerprint.get(), holder))
        .orElseGet(() -> new TokenResolution.Resolved(fingerprint.get()));
  }

  /** The agent's token, read from the cached Secret, for the Discord login only. */
  public Optional<String> tokenValue(AtomizerAgent agent) {
    var ref = agent.getSpec().getToken();
    return secrets
        .get(new ResourceID(ref.getSecretName(), agent.getMetadata().getNamespace()))
        .flatMap(secret -> Fingerprints.value(secret, ref.getKey()));
  }

  /** The agent entitled to the token: the oldest one that wants to run. */
  Optional<ResourceID> holder(String fingerprint) {
    return agentsUsing(fingerprint)
        .filter(TokenIndex::wantsToRun)
        .min(OLDEST_FIRST)
        .map(ResourceID::fromResource);
  }

  /** Every agent whose token reference resolves to {@code fingerprint}. */
  public Set<ResourceID> agentsWith(String fingerprint) {
    return agentsUsing(fingerprint).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The agents to reconcile when a Secret changes: its users, and whoever shares its tokens. */
  Set<ResourceID> agentsAffectedBy(Secret secret) {
    var affected =
        agents.byIndex(AGENTS_BY_SECRET, secretKey(secret)).stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toCollection(HashSet::new));
    Fingerprints.all(secret).values().forEach(f -> affected.addAll(agentsWith(f)));
    return affected;
  }

  private Stream<AtomizerAgent> agentsUsing(String fingerprint) {
    return secrets.byIndex(SECRETS_BY_FINGERPRINT, fingerprint).stream()
        .flatMap(
            secret -> {
              var keys =
                  Fingerprints.all(secret).entrySet().stream()
                      .filter(e -> e.getValue().equals(fingerprint))
                      .map(Map.Entry::getKey)
                      .collect(Collectors.toSet());
              return agents.byIndex(AGENTS_BY_SECRET, secretKey(secret)).stream()
                  .filter(a -> keys.contains(a.getSpec().getToken().getKey()));
            });
  }

  static boolean wantsToRun(AtomizerAgent agent) {
    return !Boolean.TRUE.equals(agent.getSpec().getSuspend()) && !agent.isMarkedForDeletion();
  }

  private static String secretKey(AtomizerAgent agent) {
    var token = agent.getSpec() == null ? null : agent.getSpec().getToken();
    return agent.getMetadata().getNamespace() + "/" + (token == null ? "" : token.getSecretName());
  }

  private static String secretKey(HasMetadata secret) {
    return secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
  }
}
