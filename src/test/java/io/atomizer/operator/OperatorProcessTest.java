package io.atomizer.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator as a user starts it: a separate JVM with a kubeconfig. */
@Tag("mock")
class OperatorProcessTest {

  @TempDir Path dir;

  @Test
  void unreachableClusterFailsFastWithOneLineNamingKubeconfigAndContext() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: t420
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        contexts:
        - name: t420-k3s
          context: {cluster: t420, user: admin}
        current-context: t420-k3s
        users:
        - name: admin
          user: {token: not-a-real-token}
        """
            .formatted(closedPort));
    var process = java(kubeconfig, List.of()).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "it must not hang");
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, process.exitValue(), stdout + stderr);
    var lines = stderr.strip().lines().toList();
    assertEquals(1, lines.size(), "one line, no stack trace: " + stderr);
    assertTrue(lines.get(0).contains(kubeconfig.toString()), lines.get(0));
    assertTrue(lines.get(0).contains("context t420-k3s"), lines.get(0));
    assertTrue(lines.get(0).contains("127.0.0.1:" + closedPort), lines.get(0));
  }

  @Test
  void badConfigurationIsOneLineNamingTheVariable() throws Exception {
    var process = java(dir.resolve("none"), List.of("--atomizer-reconcile-threads=lots")).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), stderr);
    assertTrue(
        stderr.strip().lines().count() == 1 && stderr.contains("ATOMIZER_RECONCILE_THREADS"),
        stderr);
  }

  @Test
  void sigtermStopsTheOperatorCleanlyWithinTheGracePeriod() throws Exception {
    try (var cluster = new MockCluster()) {
      var ns = "sigterm";
      var client = cluster.client();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      client.resource(Agents.tokens(ns, java.util.Map.of("K", Agents.token("k")))).create();
      client.resource(Agents.workspaces(ns)).create();
      client.resource(Agents.agent(ns, "manager", "K")).create();
      var kubeconfig = dir.resolve("mock.kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeconfig("mock", "default"));
      var builder =
          java(
              kubeconfig,
              List.of(
                  "--atomizer-server-side-apply=false", "--atomizer-secret-field-selector=",
                  "--atomizer-discord-verify=false", "--atomizer-http-port=0"));
      var log = dir.resolve("operator.log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      var process = builder.start();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> client.pods().inNamespace(ns).withName("manager").get() != null);

      var stopping = System.nanoTime();
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits within the pod's grace period");
      var took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
      var output = Files.readString(log);
      assertEquals(143, process.exitValue(), output);
      assertTrue(output.contains("shutting down"), output);
      assertTrue(took < 20_000, "took " + took + " ms");
    }
  }

  static ProcessBuilder java(Path kubeconfig, List<String> args) throws IOException {
    var command =
        new java.util.ArrayList<String>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AtomizerOperator.class.getName()));
    command.addAll(args);
    var builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    return builder;
  }
}
