package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.HostileCorpus;
import io.atomizer.operator.support.HostileCorpus.Case;
import io.atomizer.operator.support.LogCapture;
import io.atomizer.operator.support.Manifests;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's half of the hostile-input corpus, on the mock API server (which has no schema):
 * every manifest the real API server accepts must end Stalled=True with a message saying what to
 * fix, or run; either way without crashing the operator, without spinning (requests for the agent
 * are counted for a few seconds), and without the token in logs, status or events. The API server's
 * half is e2e/HostileInputIT.
 */
@Tag("mock")
class HostileInputTest {

  static final long WATCH_MILLIS = 3000;

  static final ObjectMapper JSON = new ObjectMapper();
  static OperatorHarness harness;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = new LogCapture(false);
    harness = new OperatorHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  static Stream<Case> operatorCases() {
    return HostileCorpus.forTheOperator().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operatorCases")
  void operatorAnswersWhatTheSchemaLetsThrough(Case hostile) throws InterruptedException {
    var teamTokens =
        Map.of(
            "MANAGER_TOKEN", token(hostile.name() + "-manager"),
            "TECH_LEAD_TOKEN", token(hostile.name() + "-tech-lead"));
    var ns = harness.namespace(teamTokens);
    var secrets = new ArrayList<>(teamTokens.values());
    String name = null;
    // applied as kubectl would: untyped, so that the operator is the first to read the agent
    for (var doc : Manifests.documents(hostile.yaml())) {
      var object = JSON.convertValue(doc, GenericKubernetesResource.class);
      object.getMetadata().setNamespace(ns);
      if (object.getKind().equals("Secret")) {
        secrets.addAll(values(JSON.convertValue(doc, Secret.class)));
      }
      if (object.getKind().equals("AtomizerAgent")) {
        name = object.getMetadata().getName();
      }
      harness.client().resource(object).create();
    }

    if (hostile.outcome() == HostileCorpus.Outcome.STALLED) {
      var stalled = harness.awaitCondition(ns, name, "Stalled", "True", hostile.detail());
      for (var mention : hostile.mentions()) {
        assertTrue(
            stalled.getMessage().contains(mention),
            "the message should mention '" + mention + "': " + stalled.getMessage());
      }
      assertEquals("False", harness.condition(ns, name, "Ready").orElseThrow().getStatus());
      assertTrue(harness.pod(ns, name).isEmpty(), "no pod for a stalled agent");
    } else {
      harness.awaitReady(ns, name);
      var pod = harness.pod(ns, name).orElseThrow();
      assertEquals(name, pod.getMetadata().getLabels().get(Labels.AGENT), "its own agent label");
      assertEquals(Labels.OPERATOR, pod.getMetadata().getLabels().get(Labels.MANAGED_BY));
      assertEquals(
          harness.get(ns, name).getStatus().getTokenFingerprint(),
          Labels.fingerprintOf(pod),
          "the fingerprint of its own token");
    }

    harness.awaitSettled(ns);
    var mark = harness.mark();
    Thread.sleep(WATCH_MILLIS);
    var calls = harness.callsSince(mark).stream().filter(c -> c.namespace().equals(ns)).toList();
    System.out.printf(
        "%-40s %s; then %d requests in %d ms%n",
        hostile.name(),
        harness.condition(ns, name, "Ready").map(c -> c.getReason()).orElse("?"),
        calls.size(),
        WATCH_MILLIS);
    assertEquals(
        List.of(), calls.stream().filter(ApiCall::isWrite).toList(), "no writes once answered");
    assertTrue(calls.size() <= 2, "no spinning: " + calls);

    assertEquals(List.of(), logs.containing(secrets), "no token in the operator's logs");
    var text = new ArrayList<String>();
    text.add(String.valueOf(harness.get(ns, name)));
    harness
        .client()
        .v1()
        .events()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(e -> text.add(e.getMessage()));
    for (var secret : secrets) {
      assertFalse(
          text.stream().anyMatch(t -> t.contains(secret)), "no token in the status or events");
    }
  }

  private static List<String> values(Secret secret) {
    var values = new ArrayList<String>();
    if (secret.getStringData() != null) {
      secret.getStringData().values().forEach(v -> values.add(v.strip()));
    }
    if (secret.getData() != null) {
      secret
          .getData()
          .values()
          .forEach(
              v ->
                  values.add(
                      new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip()));
    }
    values.removeIf(String::isBlank);
    return values;
  }
}
