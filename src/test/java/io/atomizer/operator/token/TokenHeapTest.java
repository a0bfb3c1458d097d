package io.atomizer.operator.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.playground.SimulatedNode;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No token stays in the operator's heap: the operator runs in its own JVM against the mock API
 * server, with Discord verification on (against a fake Discord, so each token is read once for its
 * login) and 8 agents that converge to Ready; then a heap dump of its live objects ({@code jcmd
 * GC.heap_dump}) is searched for every token, raw and base64-encoded as the API server sends it.
 * The token Secret also carries kubectl's last-applied-configuration annotation, which repeats the
 * values. No string may hold a token (the cache, the Secrets and their maps are gone); the only
 * copies allowed are the bytes last received in the HTTP client's reused buffers. As a control, the
 * dump must hold each token's fingerprint, which the cache keeps.
 */
@Tag("mock")
class TokenHeapTest {

  static final String NS = "heap";
  static final int AGENTS = 8;

  /**
   * The JDK HTTP client's reused buffers, which keep the bytes last received until later traffic
   * overwrites them: the socket read buffer, a WebSocket's (watch's) message builder, a finished
   * response body. They are never parsed again; a token there is not a value the operator holds.
   */
  static final java.util.Set<String> TRANSPORT_BUFFERS =
      java.util.Set.of(
          "java.nio.HeapByteBuffer",
          "java.nio.HeapByteBufferR",
          "java.lang.StringBuilder",
          "java.util.concurrent.CompletableFuture");

  @TempDir Path dir;

  @Test
  void convergedOperatorHoldsNoTokenInItsHeap() throws Exception {
    var tokens = new LinkedHashMap<String, String>();
    for (int i = 0; i < AGENTS; i++) {
      tokens.put("AGENT_" + i + "_TOKEN", Agents.token("heap-agent-" + i));
    }
    try (var cluster = new MockCluster();
        var discord = new FakeDiscord()) {
      var client = cluster.client();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      client.resource(withLastApplied(Agents.tokens(NS, tokens))).create();
      client.resource(Agents.workspaces(NS)).create();
      int i = 0;
      for (var key : tokens.keySet()) {
        discord.bot(tokens.get(key), String.valueOf(1_000_000_000_000_000_001L + i), "bot" + i);
        client.resource(Agents.agent(NS, "agent-" + i++, key)).create();
      }
      var kubeconfig = dir.resolve("mock.kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeconfig("mock", "default"));
      var log = dir.resolve("operator.log");
      var process =
          operator(
                  kubeconfig,
                  List.of(
                      "--watch-namespaces=" + NS,
                      "--atomizer-server-side-apply=false",
                      "--atomizer-secret-field-selector=",
                      "--atomizer-discord-verify=true",
                      "--atomizer-discord-api-url=" + discord.apiUrl(),
                      "--atomizer-discord-gateway-url=" + discord.gatewayUrl(),
                      "--atomizer-http-port=0"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try (var node =
          new SimulatedNode(client, false, Duration.ofMillis(200), Duration.ofMillis(500))
              .start()) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> readyAgents(client) == AGENTS && discord.logins().size() >= AGENTS);
        var dump = heapDump(process.pid());
        var needles = new ArrayList<String>();
        var missingFingerprints = new ArrayList<String>();
        for (var entry : tokens.entrySet()) {
          var token = entry.getValue().getBytes(StandardCharsets.UTF_8);
          needles.add(entry.getValue());
          needles.add(Base64.getEncoder().encodeToString(token));
          if (!dump.contains(Fingerprints.digest(token))) {
            missingFingerprints.add(entry.getKey());
          }
        }
        assertEquals(
            List.of(), missingFingerprints, "the control: the dump holds each fingerprint");
        var holders = dump.holders(needles);
        // a dump can catch a response being read (its chunks in a list of the HTTP client): what
        // the operator holds is in every dump, so a dump with other holders is taken again, at most
        // twice, and the last one decides
        for (int retake = 0; retake < 2 && !unexpected(holders).isEmpty(); retake++) {
          System.out.println("TokenHeapTest: holders in flight? " + holders + "; dumping again");
          Thread.sleep(3_000);
          holders = heapDump(process.pid()).holders(needles);
        }
        var strings =
            holders.entrySet().stream()
                .filter(e -> e.getValue().contains("java.lang.String"))
                .map(e -> e.getKey().substring(0, 12) + "...")
                .toList();
        // what may remain: bytes last received, in buffers the HTTP client reuses
        System.out.println("TokenHeapTest: tokens left in the dump, by holder: " + holders);
        assertEquals(List.of(), strings, "tokens held as strings; all holders: " + holders);
        assertEquals(java.util.Set.of(), unexpected(holders), "tokens held by: " + holders);
      } finally {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      }
    }
  }

  /** The holders of a token that are not the HTTP client's reused buffers (strings included). */
  private static java.util.Set<String> unexpected(
      java.util.Map<String, java.util.Set<String>> holders) {
    var unexpected = new java.util.TreeSet<String>();
    holders.values().forEach(unexpected::addAll);
    unexpected.removeAll(TRANSPORT_BUFFERS);
    return unexpected;
  }

  /** The token Secret as {@code kubectl apply} leaves it: with its values in an annotation. */
  private static Secret withLastApplied(Secret secret) {
    var applied = io.fabric8.kubernetes.client.utils.Serialization.asJson(secret).replace("\n", "");
    secret
        .getMetadata()
        .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", applied));
    return secret;
  }

  private static long readyAgents(io.fabric8.kubernetes.client.KubernetesClient client) {
    return client.resources(AtomizerAgent.class).inNamespace(NS).list().getItems().stream()
        .filter(
            a ->
                a.getStatus() != null
                    && a.getStatus()
                        .condition("Ready")
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false))
        .count();
  }

  /** The live objects of process {@code pid}, after a full GC. */
  private HeapDump heapDump(long pid) throws Exception {
    var file = dir.resolve("operator.hprof");
    var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    var run =
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_dump", file.toString())
            .redirectErrorStream(true)
            .start();
    var output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(120, TimeUnit.SECONDS), "jcmd finishes");
    assertTrue(Files.size(file) > 1_000_000, "a heap dump: " + output);
    return HeapDump.read(file);
  }

  private static ProcessBuilder operator(Path kubeconfig, List<String> args) {
    var command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
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
