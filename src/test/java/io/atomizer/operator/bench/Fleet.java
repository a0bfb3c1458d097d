package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.TokenSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * N agents in one namespace as a team would set them up: a token Secret per eight agents (the
 * team's layout, one key per agent, every token distinct), the shared workspaces claim, and each
 * agent's INBOX directory in a workspaces folder the operator scans.
 */
final class Fleet {

  static final int AGENTS_PER_SECRET = 8;

  final String namespace;
  final List<AtomizerAgent> agents = new ArrayList<>();
  final List<Secret> secrets = new ArrayList<>();

  Fleet(String namespace, int n) {
    this.namespace = namespace;
    var tokens = new LinkedHashMap<String, String>();
    for (int i = 0; i < n; i++) {
      var name = "agent-%04d".formatted(i);
      var secret = "tokens-%03d".formatted(i / AGENTS_PER_SECRET);
      var key = "AGENT_%04d_TOKEN".formatted(i);
      tokens.put(key, Agents.token(namespace + "-" + name));
      var agent = Agents.agent(namespace, name, key);
      agent.getMetadata().setGeneration(null);
      agent.getSpec().setToken(new TokenSpec(secret, key));
      agents.add(agent);
      if (tokens.size() == AGENTS_PER_SECRET || i == n - 1) {
        secrets.add(Agents.secret(namespace, secret, tokens));
        tokens.clear();
      }
    }
  }

  List<String> names() {
    return agents.stream().map(a -> a.getMetadata().getName()).toList();
  }

  /** The namespace, the token Secrets and the shared claim; not the agents. */
  void install(KubernetesClient admin) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    secrets.forEach(s -> admin.resource(s).create());
    admin.resource(Agents.workspaces(namespace)).create();
  }

  /** A workspaces folder holding every agent's (empty) INBOX, for the operator's inbox scan. */
  Path workspaces() {
    try {
      var root = Files.createTempDirectory("fleet-workspaces-");
      for (var agent : agents) {
        Files.createDirectories(root.resolve(AgentDir.of(agent)).resolve("INBOX"));
      }
      Files.createDirectories(root.resolve("shared_context"));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Secret secretOf(AtomizerAgent agent) {
    var name = agent.getSpec().getToken().getSecretName();
    return secrets.stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
