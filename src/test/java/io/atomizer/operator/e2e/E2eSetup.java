package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/** Steps every end-to-end class shares. */
final class E2eSetup {

  private E2eSetup() {}

  /**
   * Installs crds/ as a user would, and waits until the API serves it. With --force-conflicts, as
   * the chart's README says, because HelmChartIT may have left a CRD that Helm created.
   */
  static void installCrd(Kubectl kubectl) {
    var apply = kubectl.run("apply", "--server-side", "--force-conflicts", "-f", "crds/");
    assertTrue(apply.ok(), apply.toString());
    // kubectl wait fails at once while a new CRD has no status.conditions yet (seen on the real
    // node's fresh API server), so ask again until it answers or a minute has passed
    var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    var wait = establishedWithin(kubectl);
    while (!wait.ok() && System.nanoTime() < deadline) {
      wait = establishedWithin(kubectl);
    }
    assertTrue(wait.ok(), wait.toString());
  }

  private static Kubectl.Result establishedWithin(Kubectl kubectl) {
    var wait =
        kubectl.run(
            "wait",
            "--for=condition=Established",
            "crd/atomizeragents.atomizer.io",
            "--timeout=60s");
    if (!wait.ok()) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return wait;
  }

  /**
   * Deletes namespace {@code ns} if an earlier class of this JVM left it, and waits until it is
   * gone, for a class that creates it as a user on a fresh cluster would (the examples' and the
   * quick start's "atomizer").
   */
  static void removeNamespace(KubernetesClient client, String ns) {
    client.namespaces().withName(ns).delete();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.namespaces().withName(ns).get() == null);
  }

  /** A namespace with the team's token Secret (one key per entry) and the workspaces claim. */
  static void teamNamespace(KubernetesClient client, String ns, Map<String, String> tokens) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client.resource(Agents.tokens(ns, tokens)).create();
    client.resource(Agents.workspaces(ns)).create();
  }

  /** Creates agent {@code name} with token key {@code key}, as a user would. */
  static void createAgent(KubernetesClient client, String ns, String name, String key) {
    var agent = Agents.agent(ns, name, key);
    agent.getMetadata().setGeneration(null);
    client.resource(agent).create();
  }

  /** Waits until the agent is Ready with status.observedGeneration {@code generation}. */
  static void awaitReady(KubernetesClient client, String ns, String name, long generation) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var agent =
                  client.resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
              return agent != null
                  && agent.getStatus() != null
                  && agent.getStatus().getObservedGeneration() != null
                  && agent.getStatus().getObservedGeneration() == generation
                  && agent
                      .getStatus()
                      .condition("Ready")
                      .map(c -> "True".equals(c.getStatus()))
                      .orElse(false);
            });
  }
}
