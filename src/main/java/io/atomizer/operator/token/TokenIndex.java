package io.atomizer.operator.token;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 *
 * <p>The Secret cache holds {@link SecretDigest}s, not Secrets: fingerprints, no values. The one
 * moment that needs a value, a Discord login with a new token, reads that one Secret from the API
 * server ({@link #tokenValue}) and drops it after the login.
 */
public final class TokenIndex implements TokensInEnv.Lookup {

  static final String AGENTS_BY_SECRET = "atomizer.io/agents-by-secret";
  static final String SECRETS_BY_FINGERPRINT = "atomizer.io/secrets-by-fingerprint";
  static final String AGENTS_BY_ENV_SECRET = "atomizer.io/agents-by-env-secret";
  private static final String ALL_NAMESPACES = "";

  /** Orders agents by age: creation time, then namespace/name, so the older one wins a token. */
  static final Comparator<AtomizerAgent> OLDEST_FIRST =
      Comparator.comparing((AtomizerAgent a) -> a.getMetadata().getCreationTimestamp())
          .thenComparing(a -> a.getMetadata().getNamespace())
          .thenComparing(a -> a.getMetadata().getName());

  private IndexerResourceCache<AtomizerAgent> agents;
  private KubernetesClient client;

  /** The Secret event sources: one for all namespaces, or one per watched namespace. */
  private final Map<String, InformerEventSource<Secret, AtomizerAgent>> secrets =
      new LinkedHashMap<>();

  /**
   * Creates the Secret event sources and the two indexes. {@code scope} narrows which Secrets are
   * cached (a field or label selector), so that Helm release Secrets are not even digested. Each
   * source's informer stores digests ({@link DigestingItemStore}); since JOSDK gives a source's
   * store to each of its informers, there is one source per watched namespace.
   */
  public List<InformerEventSource<Secret, AtomizerAgent>> secretEventSources(
      EventSourceContext<AtomizerAgent> context,
      Consumer<InformerEventSourceConfiguration.Builder<Secret>> scope) {
    agents = context.getPrimaryCache();
    client = context.getClient();
    agents.addIndexers(
        Map.of(
            AGENTS_BY_SECRET,
            a -> List.of(secretKey(a)),
            AGENTS_BY_ENV_SECRET,
            a ->
                TokensInEnv.secretRefs(a).stream()
                    .map(ref -> a.getMetadata().getNamespace() + "/" + ref.getName())
                    .distinct()
                    .toList()));
    var informer = context.getControllerConfiguration().getInformerConfig();
    if (informer.watchAllNamespaces()) {
      secrets.put(ALL_NAMESPACES, secretSource(context, scope, "token-secrets", Set.of()));
    } else {
      for (var ns : informer.getEffectiveNamespaces(context.getControllerConfiguration())) {
        secrets.put(ns, secretSource(context, scope, "token-secrets-" + ns, Set.of(ns)));
      }
    }
    return List.copyOf(secrets.values());
  }

  private InformerEventSource<Secret, AtomizerAgent> secretSource(
      EventSourceContext<AtomizerAgent> context,
      Consumer<InformerEventSourceConfiguration.Builder<Secret>> scope,
      String name,
      Set<String> namespaces) {
    var builder =
        InformerEventSourceConfiguration.from(Secret.class, AtomizerAgent.class)
            .withName(name)
            .withSecondaryToPrimaryMapper(this::agentsAffectedBy)
            .withItemStore(new DigestingItemStore());
    if (!namespaces.isEmpty()) {
      builder.withNamespaces(namespaces);
    }
    scope.accept(builder);
    var source = new InformerEventSource<>(builder.build(), context);
    // the informer indexes the received Secret on insert and its digest on removal: the same keys
    source.addIndexers(
        Map.of(
            SECRETS_BY_FINGERPRINT, s -> List.copyOf(new HashSet<>(Fingerprints.all(s).values()))));
    return source;
  }

  /** The cached digest of Secret {@code name} in {@code namespace}. */
  private Optional<Secret> secret(String namespace, String name) {
    var source = secrets.getOrDefault(namespace, secrets.get(ALL_NAMESPACES));
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  /**
   * The fingerprint of {@code key} in Secret {@code secretName} of {@code namespace}, from the
   * cache; empty when the Secret is not cached (missing, or outside the operator's scope) or the
   * key is absent or blank.
   */
  @Override
  public Optional<String> fingerprint(String namespace, String secretName, String key) {
    return secret(namespace, secretName).flatMap(s -> Fingerprints.of(s, key));
  }

  /** Resolves the agent's token reference against the cached Secrets and the other agents. */
  public TokenResolution resolve(AtomizerAgent agent) {
    var ref = agent.getSpec().getToken();
    var secret = secret(agent.getMetadata().getNamespace(), ref.getSecretName());
    if (secret.isEmpty()) {
      return new TokenResolution.SecretMissing(ref.getSecretName());
    }
    var digest = SecretDigest.key(secret.get(), ref.getKey());
    if (digest.isEmpty()) {
      return new TokenResolution.KeyMissing(ref.getSecretName(), ref.getKey());
    }
    if (digest.get().problem() != null) {
      return new TokenResolution.Malformed(
          ref.getSecretName(), ref.getKey(), digest.get().problem());
    }
    var fingerprint = digest.get().fingerprint();
    var self = ResourceID.fromResource(agent);
    return holder(fingerprint)
        .filter(holder -> !holder.equals(self))
        .<TokenResolution>map(holder -> new TokenResolution.Duplicate(fingerprint, holder))
        .orElseGet(() -> new TokenResolution.Resolved(fingerprint));
  }

  /**
   * The agent's token, for the Discord login only: read from the API server, since the cache keeps
   * no values. A list with a field selector on the name, so that the operator needs no {@code get}
   * on Secrets (its Role grants list and watch). The caller checks it against the fingerprint and
   * drops it after the login.
   */
  public Optional<String> tokenValue(AtomizerAgent agent) {
    var ref = agent.getSpec().getToken();
    return client
        .secrets()
        .inNamespace(agent.getMetadata().getNamespace())
        .withField("metadata.name", ref.getSecretName())
        .list()
        .getItems()
        .stream()
        .filter(s -> ref.getSecretName().equals(s.getMetadata().getName()))
        .findFirst()
        .flatMap(secret -> Fingerprints.value(secret, ref.getKey()));
  }

  /**
   * A key of a Secret, for the gateway token the operator authenticates to an agent's gateway with;
   * read like {@link #tokenValue} (a list by name, no cache of values), off the reconcile threads.
   */
  public Optional<String> secretValue(String namespace, String secretName, String key) {
    return client
        .secrets()
        .inNamespace(namespace)
        .withField("metadata.name", secretName)
        .list()
        .getItems()
        .stream()
        .filter(s -> secretName.equals(s.getMetadata().getName()))
        .findFirst()
        .flatMap(secret -> Fingerprints.value(secret, key));
  }

  /** The agent entitled to the token: the oldest one that wants to run. */
  Optional<ResourceID> holder(String fingerprint) {
    return agentsUsing(fingerprint)
        .filter(TokenIndex::wantsToRun)
        .min(OLDEST_FIRST)
        .map(ResourceID::fromResource);
  }

  /** Every agent whose token reference resolves to {@code fingerprint}. */
  @Override
  public Set<ResourceID> agentsWith(String fingerprint) {
    return agentsUsing(fingerprint).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The agents to reconcile when a Secret changes: its users, and whoever shares its tokens. */
  Set<ResourceID> agentsAffectedBy(Secret secret) {
    var affected =
        agents.byIndex(AGENTS_BY_SECRET, secretKey(secret)).stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toCollection(HashSet::new));
    agents.byIndex(AGENTS_BY_ENV_SECRET, secretKey(secret)).stream()
        .map(ResourceID::fromResource)
        .forEach(affected::add);
    for (var fingerprint : new HashSet<>(Fingerprints.all(secret).values())) {
      affected.addAll(agentsWith(fingerprint));
      // agents whose env reads this value from another Secret: it may have become a token
      secrets.values().stream()
          .flatMap(source -> source.byIndex(SECRETS_BY_FINGERPRINT, fingerprint).stream())
          .flatMap(s -> agents.byIndex(AGENTS_BY_ENV_SECRET, secretKey(s)).stream())
          .map(ResourceID::fromResource)
          .forEach(affected::add);
    }
    return affected;
  }

  private Stream<AtomizerAgent> agentsUsing(String fingerprint) {
    return secrets.values().stream()
        .flatMap(source -> source.byIndex(SECRETS_BY_FINGERPRINT, fingerprint).stream())
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
