package io.atomizer.operator.chaos;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agents under test and what the chaos driver last told the cluster about them: which token
 * each Secret key holds, and which Secrets exist. The cluster's own state (agents, pods, claims) is
 * always read back from the API server. Two agents, the twins, share one token on purpose for the
 * whole run: the older must run, the younger must say why it does not.
 */
final class Fleet {

  static final String IMAGE = "ghcr.io/openclaw/openclaw:";
  static final List<String> TAGS =
      List.of("2026.8.1-slim", "2026.8.2-slim", "2026.8.3-slim", "2026.9.0-slim");
  static final int SECRETS = 4;

  /** One agent of the roster: its name and where its token lives. */
  record Member(String name, String secret, String key, boolean twin) {}

  private final KubernetesClient client;
  private final String namespace;
  private final List<Member> members = new ArrayList<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Set<String> missingSecrets = ConcurrentHashMap.newKeySet();
  private final Set<String> everUsedTokens = ConcurrentHashMap.newKeySet();
  private int version;

  Fleet(KubernetesClient client, String namespace, int agents) {
    this.client = client;
    this.namespace = namespace;
    for (int i = 0; i < agents; i++) {
      var name = String.format("agent-%02d", i);
      members.add(new Member(name, "tokens-" + (i % SECRETS), key(name), false));
    }
    members.add(new Member("twin-a", "tokens-twins", "TWIN_A_TOKEN", true));
    members.add(new Member("twin-b", "tokens-twins", "TWIN_B_TOKEN", true));
    for (var m : members) {
      tokens.put(m.name(), m.twin() ? Agents.token("twins") : fresh(m));
    }
    everUsedTokens.addAll(tokens.values());
  }

  /**
   * Creates the namespace, the workspaces claim, the Secrets and every agent; every third agent
   * discards its state on deletion, the others keep it.
   */
  void create() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    client.resource(Agents.workspaces(namespace)).create();
    secrets().forEach(s -> client.resource(secret(s)).create());
    for (int i = 0; i < members.size(); i++) {
      createAgent(members.get(i), i % 3 != 2);
    }
  }

  String namespace() {
    return namespace;
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  Member member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  Set<String> secrets() {
    var names = new TreeSet<String>();
    members.forEach(m -> names.add(m.secret()));
    return names;
  }

  /** Every token value any Secret held during the run, for the check that logs never show one. */
  Set<String> everUsedTokens() {
    return Set.copyOf(everUsedTokens);
  }

  String token(Member m) {
    return tokens.get(m.name());
  }

  /** A token no agent has had before. */
  synchronized String fresh(Member m) {
    return Agents.token(m.name() + "-v" + (++version));
  }

  /** Puts {@code value} in the member's Secret key (in the model only while the Secret is gone). */
  void setToken(Member m, String value) {
    tokens.put(m.name(), value);
    everUsedTokens.add(value);
    if (!missingSecrets.contains(m.secret())) {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(m.secret())
          .edit(
              s -> {
                s.getData().put(m.key(), base64(value));
                return s;
              });
    }
  }

  void deleteSecret(String secret) {
    missingSecrets.add(secret);
    client.secrets().inNamespace(namespace).withName(secret).delete();
  }

  void restoreSecret(String secret) {
    client.resource(secret(secret)).createOr(NonDeletingOperation::update);
    missingSecrets.remove(secret);
  }

  boolean secretMissing(String secret) {
    return missingSecrets.contains(secret);
  }

  private io.fabric8.kubernetes.api.model.Secret secret(String secret) {
    var values = new LinkedHashMap<String, String>();
    members.stream()
        .filter(m -> m.secret().equals(secret))
        .forEach(m -> values.put(m.key(), tokens.get(m.name())));
    return Agents.secret(namespace, secret, values);
  }

  void createAgent(Member m, boolean retain) {
    var agent = Agents.agent(namespace, m.name(), m.key());
    agent.getMetadata().setGeneration(null);
    agent.getSpec().getToken().setSecretName(m.secret());
    agent.getSpec().setImage(IMAGE + TAGS.get(0));
    agent.getSpec().getState().setRetainOnDelete(retain);
    client.resource(agent).create();
  }

  void deleteAgent(Member m) {
    client.resources(AtomizerAgent.class).inNamespace(namespace).withName(m.name()).delete();
  }

  AtomizerAgent agent(Member m) {
    return client.resources(AtomizerAgent.class).inNamespace(namespace).withName(m.name()).get();
  }

  void edit(Member m, Consumer<AtomizerAgent> change) {
    AgentEdits.edit(client, namespace, m.name(), change);
  }

  /** Which members hold the same token value as an earlier member, twins left out. */
  Map<Member, Member> sharedTokens() {
    var firstWith = new HashMap<String, Member>();
    var shared = new LinkedHashMap<Member, Member>();
    for (var m : members) {
      if (m.twin()) {
        continue;
      }
      var first = firstWith.putIfAbsent(tokens.get(m.name()), m);
      if (first != null) {
        shared.put(m, first);
      }
    }
    return shared;
  }

  private static String key(String name) {
    return name.toUpperCase().replace('-', '_') + "_TOKEN";
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
