package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static io.atomizer.operator.support.MetricsPage.freePort;
import static io.atomizer.operator.support.MetricsPage.scrape;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.SecretEdits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /metrics page of a running operator: per-agent gauges with the true values, no token. */
@Tag("mock")
class MetricsEndpointTest {

  @TempDir Path workspaces;

  @Test
  void metricsShowEachAgentsInboxAndReadinessAndNoToken() throws Exception {
    var port = freePort();
    var tokens = List.of(token("metrics-manager"), token("metrics-secretary"));
    try (var harness =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_WORKSPACES_ROOT", workspaces.toString(),
                "ATOMIZER_INBOX_INTERVAL_SECONDS", "1",
                "ATOMIZER_HTTP_PORT", Integer.toString(port)))) {
      var ns =
          harness.namespace(
              Map.of("MANAGER_TOKEN", tokens.get(0), "SECRETARY_TOKEN", tokens.get(1)));
      var inbox = Files.createDirectories(workspaces.resolve("manager").resolve("INBOX"));
      for (int i = 0; i < 3; i++) {
        Files.writeString(inbox.resolve("task-" + i + ".json"), "{\"n\":" + i + "}");
      }
      harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
      harness.create(agent(ns, "secretary", "SECRETARY_TOKEN"));
      harness.awaitReady(ns, "manager");
      harness.awaitReady(ns, "secretary");

      var page =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> scrape(port),
                  p ->
                      gauge(p, "atomizer_agent_inbox_pending", ns, "manager")
                              .equals(Optional.of(3.0))
                          && gauge(p, "atomizer_agent_ready", ns, "secretary")
                              .equals(Optional.of(1.0)));
      assertEquals(Optional.of(1.0), gauge(page, "atomizer_agent_ready", ns, "manager"));
      assertEquals(Optional.of(0.0), gauge(page, "atomizer_agent_inbox_pending", ns, "secretary"));
      assertEquals(Optional.of(0.0), gauge(page, "atomizer_agent_inbox_invalid", ns, "manager"));
      assertTrue(page.contains("operator_sdk_"), "JOSDK's own metrics are on the page");
      for (var t : tokens) {
        assertFalse(page.contains(t), "a token on /metrics");
        assertFalse(page.contains(SecretEdits.base64(t)), "a base64 token on /metrics");
      }
    }
  }

  /** The value of {@code name}{namespace,agent} on the page, if the series is there. */
  private static Optional<Double> gauge(String page, String name, String ns, String agent) {
    var series =
        Pattern.compile(
            "^"
                + name
                + "\\{(?=[^}]*\\bnamespace=\""
                + Pattern.quote(ns)
                + "\")(?=[^}]*\\bagent=\""
                + Pattern.quote(agent)
                + "\")[^}]*\\} (\\S+)$",
            Pattern.MULTILINE);
    var m = series.matcher(page);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }
}
