package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The newcomer's INBOX scenario of issue 15 on the real node: the team's eight examples ({@code
 * kubectl apply -k}, image swapped to the stand-in, in their own namespace) exist before the
 * operator starts, as after any operator restart; once they run, task files are written INSIDE the
 * tech-lead's pod ({@code kubectl exec ... tee}) into the workspaces volume the kubelet mounted.
 * Every agent's INBOX must show within two scan intervals, the tech-lead's with every file dropped.
 * The operator (in the test JVM) reads the same volume through its host folder, as the chart's
 * operator pod mounts the workspaces claim. Its scan interval is the production default.
 */
@Tag(RealNode.TAG)
class RealNodeInboxIT {

  static final String NS = "inbox-team";
  static final int DROPPED = 25;
  static final Duration INTERVAL =
      Duration.ofSeconds(10); // ATOMIZER_INBOX_INTERVAL_SECONDS default
  static final Path WORK = Path.of("target", "real-node-inbox");
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();

  /** examples/ in namespace {@link #NS}, the agents' image replaced by the stand-in. */
  static Path overlay() throws IOException {
    Files.createDirectories(WORK);
    Files.writeString(
        WORK.resolve("image-fields.yaml"),
        "images:\n  - path: spec/image\n    kind: AtomizerAgent\n");
    var standin = RealNode.STANDIN_IMAGE.split(":");
    Files.writeString(
        WORK.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: %s
        resources:
          - ../../examples
        configurations:
          - image-fields.yaml
        images:
          - name: ghcr.io/openclaw/openclaw
            newName: %s
            newTag: "%s"
        """
            .formatted(NS, standin[0], standin[1]));
    return WORK;
  }

  @Test
  void everyAgentsInboxShowsAndTheTechLeadCountsTheFilesWrittenInItsPod() throws IOException {
    var node = RealNode.get();
    var kubectl = node.kubectl();
    E2eSetup.installCrd(kubectl);
    var apply = kubectl.run("apply", "-k", overlay().toString());
    assertTrue(apply.ok(), apply.toString());
    var env =
        Agents.TEAM.stream()
                .map(a -> Agents.tokenKey(a) + "=" + Agents.token("inbox-" + a))
                .collect(Collectors.joining("\n"))
            + "\nGATEWAY_TOKEN=0123456789abcdef0123456789abcdef\n";
    var secret =
        kubectl.runWithInput(
            env,
            "-n",
            NS,
            "create",
            "secret",
            "generic",
            "atomizer-discord-tokens",
            "--from-env-file=/dev/stdin");
    assertTrue(secret.ok(), secret.toString());
    var workspaces = node.volumeFolder(NS, Agents.WORKSPACES);
    operator.start(
        new KubernetesClientBuilder().withConfig(node.config()).build(),
        Map.of("ATOMIZER_WORKSPACES_ROOT", workspaces.toString(), "WATCH_NAMESPACES", NS));
    var agents = node.client().resources(AtomizerAgent.class).inNamespace(NS);
    await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                agents.list().getItems().stream()
                        .filter(
                            a ->
                                a.getStatus() != null
                                    && a.getStatus()
                                        .condition("Ready")
                                        .filter(c -> "True".equals(c.getStatus()))
                                        .isPresent())
                        .count()
                    == 8);
    var none = new TreeMap<String, Integer>();
    Agents.TEAM.forEach(a -> none.put(a, 0));
    await()
        .atMost(INTERVAL.multipliedBy(2))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertEquals(none, pending(node)));

    var techLead = agents.withName("tech-lead").get();
    var inbox =
        techLead.getSpec().getWorkspaces().getMountPath() + "/" + AgentDir.of(techLead) + "/INBOX/";
    for (int i = 1; i <= DROPPED; i++) {
      var tee =
          kubectl.runWithInput(
              "{\"task\": " + i + "}\n",
              "exec",
              "-n",
              NS,
              "-i",
              "tech-lead",
              "-c",
              AgentPodTemplate.CONTAINER,
              "--",
              "tee",
              inbox + "task-" + i + ".json");
      assertTrue(tee.ok(), tee.toString());
    }
    var dropped = System.nanoTime();
    var expected = new TreeMap<>(none);
    expected.put("tech-lead", DROPPED);
    await()
        .atMost(INTERVAL.multipliedBy(2))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertEquals(expected, pending(node)));
    System.out.printf(
        "E2E: %d task files written in the tech-lead's pod, all 8 INBOX counts right %d ms after"
            + " the last%n",
        DROPPED, Duration.ofNanos(System.nanoTime() - dropped).toMillis());
    assertTrue(
        Files.isRegularFile(workspaces.resolve("technical-lead/INBOX/task-" + DROPPED + ".json")),
        "written through the kubelet's mount of the workspaces claim");
  }

  /** Each agent's status.inbox.pending (null while not scanned). */
  static Map<String, Integer> pending(RealNode node) {
    var out = new TreeMap<String, Integer>();
    for (var a : node.client().resources(AtomizerAgent.class).inNamespace(NS).list().getItems()) {
      var inbox = a.getStatus() == null ? null : a.getStatus().getInbox();
      out.put(a.getMetadata().getName(), inbox == null ? null : inbox.getPending());
    }
    return out;
  }
}
