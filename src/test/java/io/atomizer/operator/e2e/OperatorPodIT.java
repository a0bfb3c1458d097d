package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator as users run it: its own Jib image ({@code target/jib-image.tar}, built by {@code
 * mvn -Pimage}) imported into the real node's containerd, deployed by {@code helm install} of
 * {@code helm/atomizer-operator} with the chart's defaults (image {@code atomizer-operator}, tag
 * the appVersion, pull policy IfNotPresent, one replica, the release namespace watched) plus what a
 * user of this cluster sets: no Discord login (the node has no egress), a Lease, and {@code
 * operator.extraEnv} pointing the pod at the API server, because this cluster has no kube-proxy and
 * so no {@code kubernetes} Service a pod could reach (k3s has one; there the value is not needed).
 * Everything is checked through the cluster: the Deployment's pod Ready by its own readiness probe
 * on /readyz, /metrics and /readyz through the API server's pod proxy, the Lease held by the pod,
 * an agent applied with kubectl turning Ready, and the pod's memory from the kubelet's stats
 * summary.
 *
 * <p>The agent runs the STAND-IN image ({@link RealNode#STANDIN_IMAGE}), so this proves the
 * operator's pod, not OpenClaw.
 */
@Tag(RealNode.TAG)
@Tag("image")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorPodIT {

  static final Path IMAGE = Path.of("target", "jib-image.tar");
  static final String NS = "atomizer-pod";
  static final String RELEASE = "atomizer-operator";

  static RealNode node;
  static KubernetesClient client;
  static Kubectl kubectl;
  static ChartRelease release;

  @BeforeAll
  static void install() {
    if (!Files.exists(IMAGE)) {
      if (E2ePrerequisites.ci()) {
        throw E2ePrerequisites.missing("the operator image", IMAGE + " is missing");
      }
      // the image is built only under -Pimage (the README's test command)
      System.err.println("\n!!!!! E2E SKIPPED: " + IMAGE + " is missing: mvn -Pimage\n");
      Assumptions.abort(IMAGE + " is missing: run with -Pimage");
    }
    node = RealNode.get();
    client = node.client();
    kubectl = node.kubectl();
    var started = System.nanoTime();
    node.importImage(IMAGE);
    System.out.printf(
        "E2E: operator image imported in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    // the namespace, the token Secret and the workspaces claim, as the README's install makes them
    E2eSetup.teamNamespace(client, NS, Map.of("MANAGER_TOKEN", Agents.token("manager-pod")));
    release = new ChartRelease(node, RELEASE, NS);
    var env = node.apiServerEnv();
    started = System.nanoTime();
    release.install(
        """
        operator:
          discordVerify: false
          extraEnv:
            - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
            - {name: KUBERNETES_SERVICE_PORT, value: "%s"}
        leaderElection:
          enabled: true
        """
            .formatted(env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT")));
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> operatorPod() != null && ready(operatorPod()));
    System.out.printf(
        "E2E: helm install to the operator pod Ready: %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void uninstall() {
    if (release == null) {
      return;
    }
    release.uninstall();
    // gone before another class's in-JVM operator watches every namespace
    await().atMost(Duration.ofSeconds(60)).until(() -> operatorPod() == null);
  }

  static Pod operatorPod() {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/name", "atomizer-operator")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst()
        .orElse(null);
  }

  static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** GET of {@code path} through the API server ({@code kubectl get --raw}). */
  static String raw(String path) {
    var get = kubectl.run("get", "--raw", path);
    assertTrue(get.ok(), get.toString());
    return get.stdout();
  }

  static String proxy(Pod pod, String path) {
    return raw(
        "/api/v1/namespaces/%s/pods/%s:8080/proxy%s"
            .formatted(NS, pod.getMetadata().getName(), path));
  }

  @Test
  @Order(1)
  void theChartsPodRunsTheJibImageAndIsReadyByItsReadinessProbe() {
    var pod = operatorPod();
    var container = pod.getSpec().getContainers().get(0);
    assertEquals("atomizer-operator:0.1.0", container.getImage(), "the chart's default image");
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
    var status = pod.getStatus().getContainerStatuses().get(0);
    assertTrue(status.getReady());
    assertNotNull(status.getState().getRunning(), status.toString());
    assertEquals(0, status.getRestartCount(), "no restart: " + status);
    assertEquals("ready", proxy(pod, "/readyz").strip(), "/readyz through the pod proxy");
  }

  @Test
  @Order(2)
  void theLeaseIsHeldByThePod() {
    var pod = operatorPod();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var lease = client.leases().inNamespace(NS).withName(RELEASE).get();
              assertNotNull(lease, "the chart's Lease " + RELEASE);
              assertEquals(pod.getMetadata().getName(), lease.getSpec().getHolderIdentity());
            });
  }

  @Test
  @Order(3)
  void anAgentAppliedWithKubectlTurnsReadyAndShowsInTheScrapedMetrics() {
    var agent = Agents.agent(NS, "manager", "MANAGER_TOKEN");
    agent.getMetadata().setGeneration(null);
    agent.getSpec().setImage(RealNode.STANDIN_IMAGE);
    var apply = kubectl.runWithInput(Serialization.asYaml(agent), "apply", "-f", "-");
    assertTrue(apply.ok(), apply.toString());
    var started = System.nanoTime();
    E2eSetup.awaitReady(client, NS, "manager", 1);
    System.out.printf(
        "E2E: agent applied to Ready by the operator pod: %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    var agentPods = client.pods().inNamespace(NS).withLabel(Labels.AGENT, "manager").list();
    assertEquals(1, agentPods.getItems().size());
    assertEquals("Running", agentPods.getItems().get(0).getStatus().getPhase());

    var pod = operatorPod();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var metrics = proxy(pod, "/metrics");
              assertTrue(
                  metrics
                      .lines()
                      .anyMatch(
                          l ->
                              l.startsWith("atomizer_agent_ready{")
                                  && l.contains("agent=\"manager\"")
                                  && l.endsWith(" 1.0")),
                  metrics);
            });
  }

  @Test
  @Order(4)
  void thePodsMemoryFromTheKubeletsStatsSummaryIsWithinTheChartsLimit() throws IOException {
    var pod = operatorPod();
    JsonNode operator =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> operatorStats(pod), s -> s != null && s.path("rssBytes").asLong() > 0);
    var rss = operator.path("rssBytes").asLong();
    var workingSet = operator.path("workingSetBytes").asLong();
    System.out.printf(
        "E2E: operator pod memory (kubelet stats summary): rss %d MiB, working set %d MiB%n",
        rss >> 20, workingSet >> 20);
    assertTrue(rss < 192L << 20, "rss " + rss + " within the chart's 192Mi limit");
    assertTrue(workingSet < 192L << 20, "working set " + workingSet);
  }

  /** The operator container's memory block of the node's stats summary, or null. */
  static JsonNode operatorStats(Pod pod) throws IOException {
    var summary =
        new ObjectMapper()
            .readTree(raw("/api/v1/nodes/%s/proxy/stats/summary".formatted(node.nodeName())));
    for (var p : summary.path("pods")) {
      if (pod.getMetadata().getName().equals(p.path("podRef").path("name").asText())) {
        for (var c : p.path("containers")) {
          if ("operator".equals(c.path("name").asText())) {
            return c.path("memory");
          }
        }
      }
    }
    return null;
  }
}
