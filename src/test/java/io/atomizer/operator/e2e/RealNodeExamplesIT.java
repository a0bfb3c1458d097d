package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The team's {@code examples/} applied for real ({@code kubectl apply -k}) on the real node, the
 * Secret created the way the README says, with one kustomize override a user would not make: the
 * agents' image is the STAND-IN ({@link RealNode#STANDIN_IMAGE}), because the real OpenClaw image
 * is not built here yet. So this proves that the examples' pods (init container, config map, state
 * and workspaces claims, gateway token env, UID 1000 on a read-only root, probes) start and turn
 * Ready on a real kubelet; it cannot prove that OpenClaw itself starts with this configuration,
 * fits in the examples' memory limits or connects to Discord.
 */
@Tag(RealNode.TAG)
class RealNodeExamplesIT {

  static final Path WORK = Path.of("target", "real-node-examples");
  static RealNode node;
  static Kubectl kubectl;
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();

  @BeforeAll
  static void start() {
    node = RealNode.get();
    kubectl = node.kubectl();
    E2eSetup.installCrd(kubectl);
    operator.start(new KubernetesClientBuilder().withConfig(node.config()).build());
  }

  /** examples/ as a base, with the agents' spec.image replaced by the stand-in. */
  static Path overlay() throws IOException {
    Files.createDirectories(WORK);
    Files.writeString(
        WORK.resolve("image-fields.yaml"),
        """
        images:
          - path: spec/image
            kind: AtomizerAgent
        """);
    var standin = RealNode.STANDIN_IMAGE.split(":");
    Files.writeString(
        WORK.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../examples
        configurations:
          - image-fields.yaml
        images:
          - name: ghcr.io/openclaw/openclaw
            newName: %s
            newTag: "%s"
        """
            .formatted(standin[0], standin[1]));
    return WORK;
  }

  @Test
  void theTeamsEightAgentsTurnReady() throws IOException {
    // the team's .env, with fake tokens; the Secret as the README makes it
    var env =
        Agents.TEAM.stream()
                .map(a -> Agents.tokenKey(a) + "=" + Agents.token(a))
                .collect(Collectors.joining("\n"))
            + "\nGATEWAY_TOKEN=0123456789abcdef0123456789abcdef\n";
    var envFile = Files.writeString(Files.createDirectories(WORK).resolve(".env"), env);
    E2eSetup.removeNamespace(node.client(), "atomizer"); // QuickStartIT's, if it ran before
    var created = kubectl.run("create", "namespace", "atomizer");
    assertTrue(created.ok(), created.toString());
    var secret =
        kubectl.run(
            "-n",
            "atomizer",
            "create",
            "secret",
            "generic",
            "atomizer-discord-tokens",
            "--from-env-file=" + envFile);
    assertTrue(secret.ok(), secret.toString());

    var started = System.nanoTime();
    var apply = kubectl.run("apply", "-k", overlay().toString());
    assertTrue(apply.ok(), apply.toString());
    // kubectl wait fails at once on an object without status.conditions: first let the operator
    // report on all eight
    var agents = node.client().resources(AtomizerAgent.class).inNamespace("atomizer");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                agents.list().getItems().stream()
                        .filter(
                            a ->
                                a.getStatus() != null
                                    && a.getStatus().condition("Ready").isPresent())
                        .count()
                    == 8);
    var wait =
        kubectl.run(
            "-n",
            "atomizer",
            "wait",
            "--for=condition=Ready",
            "atomizeragents",
            "--all",
            "--timeout=300s");
    var took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(wait.ok(), wait + "\n" + kubectl.run("-n", "atomizer", "get", "atomizeragents"));
    System.out.printf("E2E: apply -k examples/ to all agents Ready: %d ms%n", took.toMillis());

    assertEquals(8, agents.list().getItems().size());
    for (var agent : agents.list().getItems()) {
      assertEquals(
          RealNode.STANDIN_IMAGE, agent.getSpec().getImage(), "the override reached spec.image");
    }
    var pods = node.client().pods().inNamespace("atomizer").list().getItems();
    assertEquals(8, pods.size());
    assertTrue(
        pods.stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())),
        "all eight pods run on the real kubelet");
  }
}
