package io.atomizer.operator.observability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.PodFacts;
import io.atomizer.operator.inbox.InboxEventSource;
import io.atomizer.operator.inbox.InboxRecorder;
import io.atomizer.operator.inbox.InboxScanner;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's HTTP endpoint, with a real operator, inbox event source and metrics. */
@Tag("mock")
class OperatorHttpServerTest {

  static final String NS = "team";
  static final String LABELS = "{agent=\"manager\",namespace=\"team\"}";

  @TempDir Path root;
  final MockCluster cluster = new MockCluster();
  final OperatorMetrics metrics = new OperatorMetrics(Clock.systemUTC());
  final HttpClient http = HttpClient.newHttpClient();
  Operator operator;
  OperatorHttpServer server;

  @BeforeEach
  void startOperator() throws IOException {
    var inbox = Files.createDirectories(root.resolve("manager/INBOX"));
    var hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Files.setLastModifiedTime(Files.writeString(inbox.resolve("a.json"), "{}"), hourAgo);
    Files.setLastModifiedTime(Files.writeString(inbox.resolve("b.json"), "[]"), hourAgo);
    Files.setLastModifiedTime(Files.writeString(inbox.resolve("c.json"), "{oops"), hourAgo);
    var recorder =
        new InboxRecorder(
            new InboxScanner(root, Clock.systemUTC()),
            InboxEventSource.Settings.every(Duration.ofMillis(100)),
            metrics.agents());
    operator = recorder.start(cluster, metrics.forOperator());
    server = OperatorHttpServer.start(0, metrics, OperatorHttpServer.readiness(operator));
  }

  @AfterEach
  void stop() {
    server.close();
    operator.stop();
    cluster.close();
  }

  @Test
  void metricsShowEachAgentsInboxReadinessAndRestartsWithNamespaceAndAgentLabels()
      throws Exception {
    cluster.client().resource(Agents.agent(NS, "manager", "manager")).create();
    metrics.agents().recordStatus(new ResourceID("manager", NS), readyWithRestarts(3));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> value(get("/metrics").body(), "atomizer_agent_inbox_pending").isPresent());
    var body = get("/metrics").body();

    assertEquals(Optional.of(2.0), value(body, "atomizer_agent_inbox_pending"));
    assertEquals(Optional.of(1.0), value(body, "atomizer_agent_inbox_invalid"));
    var age = value(body, "atomizer_agent_inbox_oldest_pending_seconds").orElseThrow();
    assertTrue(age >= 3600 && age < 3700, "oldest task is an hour old: " + age);
    assertTrue(value(body, "atomizer_agent_inbox_last_scan_timestamp_seconds").isPresent());
    assertEquals(Optional.of(1.0), value(body, "atomizer_agent_ready"));
    assertEquals(Optional.of(3.0), value(body, "atomizer_agent_restarts"));
    assertTrue(
        body.contains("# TYPE atomizer_agent_inbox_pending gauge"), "Prometheus text format");
  }

  @Test
  void metricsIncludeJosdkReconcileMetrics() {
    cluster.client().resource(Agents.agent(NS, "manager", "manager")).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              var body = get("/metrics").body();
              return body.contains("operator_sdk_reconciliations_started_total")
                  && body.contains("operator_sdk_reconciliations_success_total");
            });
  }

  @Test
  void deletedAgentsGaugesDisappear() {
    cluster.client().resource(Agents.agent(NS, "manager", "manager")).create();
    metrics.agents().recordStatus(new ResourceID("manager", NS), readyWithRestarts(0));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/metrics").body().contains("atomizer_agent_inbox_pending" + LABELS));

    cluster.client().resources(AtomizerAgent.class).inNamespace(NS).withName("manager").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !get("/metrics").body().contains("agent=\"manager\""));
    assertEquals(0, metrics.agents().agentCount());
  }

  @Test
  void healthzAnswersWhileTheOperatorIsAliveAndReadyzOnceItHasStarted() throws Exception {
    var notStarted = new Operator(o -> o.withKubernetesClient(cluster.operatorClient()));
    try (var early =
        OperatorHttpServer.start(0, metrics, OperatorHttpServer.readiness(notStarted))) {
      assertEquals(200, get(early, "/healthz").statusCode());
      assertEquals(503, get(early, "/readyz").statusCode());
    } finally {
      notStarted.stop();
    }
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/readyz").statusCode());
  }

  @Test
  void unknownPathsAndWritesAreRefused() throws Exception {
    assertEquals(404, get("/secrets").statusCode());
    var post =
        http.send(
            HttpRequest.newBuilder(uri(server, "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void agentGaugesCarryOnlyTheNamespaceAndAgentLabels() {
    cluster.client().resource(Agents.agent(NS, "manager", "manager")).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/metrics").body().contains("atomizer_agent_inbox_pending" + LABELS));
    var agentLines =
        get("/metrics")
            .body()
            .lines()
            .filter(l -> l.startsWith("atomizer_agent_"))
            .map(l -> l.substring(l.indexOf('{'), l.indexOf('}') + 1))
            .distinct()
            .toList();
    assertEquals(List.of(LABELS), agentLines);
    assertFalse(get("/metrics").body().contains(Agents.token("manager")));
  }

  static AtomizerAgentStatus readyWithRestarts(int restarts) {
    var status = new AtomizerAgentStatus();
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("Running")
                .build()));
    var pod = new PodFacts();
    pod.setRestartCount(restarts);
    status.setPod(pod);
    return status;
  }

  static Optional<Double> value(String body, String metric) {
    var m = Pattern.compile("(?m)^" + Pattern.quote(metric + LABELS) + " (\\S+)$").matcher(body);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }

  HttpResponse<String> get(String path) {
    return get(server, path);
  }

  HttpResponse<String> get(OperatorHttpServer target, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri(target, path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static URI uri(OperatorHttpServer target, String path) {
    return URI.create("http://127.0.0.1:" + target.port() + path);
  }
}
