package io.atomizer.operator.examples;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.SimulatedNode.Behavior;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check (examples/gitops/argocd/health.lua), run with luaj as Argo CD runs it
 * with gopher-lua: on sample statuses, and on statuses the real operator wrote.
 */
@Tag("mock")
class ArgoCdHealthCheckTest {

  static final Path LUA = Path.of("examples/gitops/argocd/health.lua");
  static final Path ARGOCD_CM = Path.of("examples/gitops/argocd/argocd-cm.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Health and message of an agent, as Argo CD would show them. */
  record Health(String status, String message) {}

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no status yet               | Progressing | {metadata: {generation: 1}}
          generation not observed yet | Progressing | {metadata: {generation: 3}, status: {observedGeneration: 2, phase: Running, conditions: [{type: Ready, status: 'True', reason: Running}]}}
          ready                       | Healthy     | {metadata: {generation: 2}, status: {observedGeneration: 2, phase: Running, conditions: [{type: Ready, status: 'True', reason: Running, message: pod ready}, {type: Reconciling, status: 'False'}, {type: Stalled, status: 'False'}]}}
          ready without generation    | Healthy     | {metadata: {}, status: {phase: Running, conditions: [{type: Ready, status: 'True', reason: Running}]}}
          reconciling                 | Progressing | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Pending, conditions: [{type: Ready, status: 'False', reason: PodPending}, {type: Reconciling, status: 'True', reason: PodPending, message: waiting}]}}
          not ready, nothing stalled  | Progressing | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Degraded, conditions: [{type: Ready, status: 'False', reason: NotReady}]}}
          stalled                     | Degraded    | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Failed, conditions: [{type: Ready, status: 'False', reason: CrashLoopBackOff}, {type: Stalled, status: 'True', reason: CrashLoopBackOff, message: see kubectl logs}]}}
          suspended                   | Suspended   | {metadata: {generation: 4}, status: {observedGeneration: 4, phase: Suspended, conditions: [{type: Ready, status: 'False', reason: Suspended}, {type: Reconciling, status: 'False', reason: Reconciled}]}}
          suspending, pod terminating | Progressing | {metadata: {generation: 4}, status: {observedGeneration: 4, phase: Suspended, conditions: [{type: Ready, status: 'False', reason: Suspended}, {type: Reconciling, status: 'True', reason: Progressing}]}}
          stalled while suspended     | Degraded    | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Suspended, conditions: [{type: Stalled, status: 'True', reason: InvalidSpec, message: fix it}]}}
          """)
  void mapsSampleStatuses(String what, String expected, String agentYaml) throws IOException {
    var health = health(YAML.readTree(agentYaml));
    assertEquals(expected, health.status(), what + ": " + health);
    assertTrue(!health.message().isBlank(), what + " has a message");
  }

  @Test
  void stalledMessageCarriesReasonAndMessage() throws IOException {
    var health =
        health(
            YAML.readTree(
                "{metadata: {generation: 1}, status: {observedGeneration: 1, conditions:"
                    + " [{type: Stalled, status: 'True', reason: SecretNotFound,"
                    + " message: create Secret x}]}}"));
    assertEquals(new Health("Degraded", "SecretNotFound: create Secret x"), health);
  }

  @Test
  void backloggedInboxStaysHealthyButSaysSo() throws IOException {
    var health =
        health(
            YAML.readTree(
                "{metadata: {generation: 1}, status: {observedGeneration: 1, phase: Degraded,"
                    + " conditions: [{type: Ready, status: 'True', reason: Running, message: up},"
                    + " {type: InboxHealthy, status: 'False', reason: Backlogged,"
                    + " message: 40 tasks}]}}"));
    assertEquals("Healthy", health.status());
    assertTrue(health.message().contains("Backlogged: 40 tasks"), health.message());
  }

  /** The operator's own statuses: healthy, crash-looping, missing its Secret, suspended. */
  @Test
  void mapsStatusesTheOperatorWrites() {
    try (var harness = new OperatorHarness()) {
      var ns = harness.namespace(Map.of("A", token("a"), "B", token("b"), "C", token("c")));
      harness.create(agent(ns, "manager", "A"));
      harness.node().setBehavior(ns, "auditor", Behavior.CRASH_LOOP);
      harness.create(agent(ns, "auditor", "B"));
      var orphan = agent(ns, "secretary", "C");
      orphan.getSpec().getToken().setSecretName("missing");
      harness.create(orphan);
      harness.create(agent(ns, "webster", "C"));

      harness.awaitReady(ns, "manager");
      assertEquals("Healthy", health(harness.get(ns, "manager")).status());

      harness.awaitCondition(ns, "auditor", "Stalled", "True", "CrashLoopBackOff");
      assertEquals("Degraded", health(harness.get(ns, "auditor")).status());

      harness.awaitCondition(ns, "secretary", "Stalled", "True", "SecretNotFound");
      var missing = health(harness.get(ns, "secretary"));
      assertEquals("Degraded", missing.status());
      assertTrue(missing.message().contains("missing"), missing.message());

      harness.awaitReady(ns, "webster");
      AgentEdits.edit(harness.client(), ns, "webster", a -> a.getSpec().setSuspend(true));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> health(harness.get(ns, "webster")).status().equals("Suspended"));
      assertTrue(harness.pod(ns, "webster").isEmpty(), "Suspended only once the pod is gone");
    }
  }

  @Test
  void argoCdConfigMapEmbedsTheHealthCheckVerbatim() throws IOException {
    var configMap = YAML.readTree(ARGOCD_CM.toFile());
    assertEquals("argocd-cm", configMap.path("metadata").path("name").asText());
    assertEquals(
        Files.readString(LUA),
        configMap
            .path("data")
            .path("resource.customizations.health.atomizer.io_AtomizerAgent")
            .asText());
  }

  private static Health health(AtomizerAgent agent) {
    return health(JSON.valueToTree(agent));
  }

  /** Runs the health check with {@code obj} set to the agent, as Argo CD does. */
  static Health health(JsonNode agent) {
    try {
      var globals = JsePlatform.standardGlobals();
      globals.set("obj", lua(agent));
      var result = globals.load(Files.readString(LUA), "health.lua").call();
      return new Health(result.get("status").tojstring(), result.get("message").optjstring(""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables, arrays from index 1. */
  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      var table = new LuaTable();
      node.properties().forEach(e -> table.set(e.getKey(), lua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      var table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return LuaValue.valueOf(node.asText());
  }
}
