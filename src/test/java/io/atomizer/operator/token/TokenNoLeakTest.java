package io.atomizer.operator.token;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.MetricsPage.freePort;
import static io.atomizer.operator.support.MetricsPage.scrape;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.ClusterHistory;
import io.atomizer.operator.support.FakeDiscord;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.SecretEdits;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Invariant 3: the token never leaves its Secret. The operator runs with every agent holding a
 * recognisable token through create, rotate, duplicate, invalid (Discord says 401) and delete, with
 * its logs at TRACE. Then every captured log line, every request body the operator sent, every
 * version of every object a watch saw (statuses, Events, annotations, labels and all), everything
 * left in the mock API server, and the /metrics page are searched for every token, raw and base64.
 */
@Tag("mock")
class TokenNoLeakTest {

  private static final String MANAGER = "MTA-leakprobe-manager.GhXyZ.k8s-never-sees-this-1";
  private static final String MANAGER_ROTATED = "MTA-leakprobe-manager.GhXyZ.rotated-value-2";
  private static final String SECRETARY = "MTA-leakprobe-secretary.GhXyZ.k8s-never-sees-this-3";
  private static final String REVOKED = "MTA-leakprobe-webster.GhXyZ.revoked-value-4";
  private static final List<String> TOKENS = List.of(MANAGER, MANAGER_ROTATED, SECRETARY, REVOKED);

  /** Loggers raised to TRACE; the client library's wire log (io.fabric8) keeps its level. */
  private static final List<String> LOGGERS =
      List.of(Logger.ROOT_LOGGER_NAME, "io.atomizer", "io.javaoperatorsdk", "net.dv8tion");

  private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> captured =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          event.prepareForDeferredProcessing(); // the thread name, while still on that thread
          super.append(event);
        }
      };
  private final List<String> requestBodies = new CopyOnWriteArrayList<>();

  @Test
  void noTokenInLogsEventsStatusAnnotationsLabelsMetricsOrRequests() throws Exception {
    var levels = new HashMap<String, Level>();
    var root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
    var console = root.getAppender("STDOUT");
    captured.setContext(logging);
    captured.start();
    root.addAppender(captured);
    if (console != null) {
      root.detachAppender(console); // TRACE on the console would drown the build's output
    }
    LOGGERS.forEach(
        name -> {
          levels.put(name, logging.getLogger(name).getLevel());
          logging.getLogger(name).setLevel(Level.TRACE);
        });
    var port = freePort();
    try (var discord = new FakeDiscord()) {
      discord.bot(MANAGER, "1200000000000000001", "atomizer-manager");
      discord.bot(MANAGER_ROTATED, "1200000000000000001", "atomizer-manager");
      discord.bot(SECRETARY, "1200000000000000002", "atomizer-secretary");
      var metricsPages = new ArrayList<String>();
      try (var harness =
              new OperatorHarness(
                  Map.of(
                      "ATOMIZER_DISCORD_VERIFY", "true",
                      "ATOMIZER_DISCORD_API_URL", discord.apiUrl(),
                      "ATOMIZER_DISCORD_GATEWAY_URL", discord.gatewayUrl(),
                      "ATOMIZER_HTTP_PORT", Integer.toString(port)));
          var history = new ClusterHistory(harness.client())) {
        harness
            .cluster()
            .injectFaults(
                request -> {
                  if (request.getBody() != null) {
                    // a copy: the dispatcher still reads the body after this
                    try (var body = request.getBody().inputStream()) {
                      requestBodies.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                  return Optional.empty();
                });
        runThroughEveryTokenPath(harness, metricsPages, port);

        var haystack = new ArrayList<Map.Entry<String, String>>();
        captured.list.forEach(
            e ->
                haystack.add(
                    Map.entry(
                        "log line of " + e.getLoggerName() + " [" + e.getThreadName() + "]",
                        logLine(e))));
        requestBodies.forEach(b -> haystack.add(Map.entry("operator request", b)));
        history.watched().forEach(o -> haystack.add(Map.entry("watched object", o)));
        history.listNow().forEach(o -> haystack.add(Map.entry("object at the end", o)));
        metricsPages.forEach(m -> haystack.add(Map.entry("/metrics", m)));

        System.out.printf(
            "no-leak search: %d log lines, %d operator request bodies, %d watched object versions,"
                + " %d objects at the end, %d /metrics pages%n",
            captured.list.size(),
            requestBodies.size(),
            history.watched().size(),
            history.listNow().size(),
            metricsPages.size());
        assertCapturedEnough(harness, history, metricsPages);
        var secret = Serialization.asJson(Agents.tokens("x", Map.of("K", MANAGER)));
        assertFalse(leaks(List.of(Map.entry("probe", secret))).isEmpty(), "the search works");
        assertEquals(List.of(), leaks(haystack), "places that show a token");
      }
    } finally {
      root.detachAppender(captured);
      if (console != null) {
        root.addAppender(console);
      }
      levels.forEach((name, level) -> logging.getLogger(name).setLevel(level));
    }
  }

  private void runThroughEveryTokenPath(
      OperatorHarness harness, List<String> metricsPages, int port) throws Exception {
    // create
    var ns = harness.namespace(Map.of("MANAGER_TOKEN", MANAGER, "SECRETARY_TOKEN", SECRETARY));
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    harness.create(agent(ns, "secretary", "SECRETARY_TOKEN"));
    harness.awaitCondition(ns, "manager", "TokenVerified", "True", "Verified");
    harness.awaitReady(ns, "manager");
    harness.awaitReady(ns, "secretary");

    // rotate
    var before = harness.get(ns, "manager").getStatus().getTokenFingerprint();
    SecretEdits.put(harness.client(), ns, Agents.SECRET, "MANAGER_TOKEN", MANAGER_ROTATED);
    harness.awaitAgent(
        ns,
        "manager",
        a ->
            !before.equals(a.getStatus().getTokenFingerprint())
                && "True".equals(a.getStatus().condition("Ready").orElseThrow().getStatus()));

    // duplicate, in another namespace with its own Secret
    // younger: created later, and its namespace (team-NNNN, numbered in creation order) sorts after
    var other = harness.namespace(Map.of("COPY", MANAGER_ROTATED));
    harness.create(agent(other, "copycat", "COPY"));
    harness.awaitCondition(other, "copycat", "TokenReady", "False", "DuplicateToken");

    // invalid
    SecretEdits.put(harness.client(), ns, Agents.SECRET, "WEBSTER_TOKEN", REVOKED);
    harness.create(agent(ns, "webster", "WEBSTER_TOKEN"));
    harness.awaitCondition(ns, "webster", "TokenReady", "False", "InvalidToken");
    harness.awaitCondition(ns, "webster", "Stalled", "True", "InvalidToken");
    metricsPages.add(scrape(port));

    // delete: the holder goes, the duplicate takes the token over; then everyone goes
    delete(harness, ns, "manager");
    harness.awaitReady(other, "copycat");
    metricsPages.add(scrape(port));
    delete(harness, ns, "secretary");
    delete(harness, ns, "webster");
    delete(harness, other, "copycat");
    harness.awaitSettled(ns);
    harness.awaitSettled(other);
    metricsPages.add(scrape(port));
  }

  /** Deletes the agent and, as the garbage collector would, its pod. */
  private static void delete(OperatorHarness harness, String ns, String name) {
    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.get(ns, name) == null);
    harness.client().pods().inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.pod(ns, name).isEmpty());
  }

  /** Proof that each place searched held what it should: a search of nothing finds nothing. */
  private void assertCapturedEnough(
      OperatorHarness harness, ClusterHistory history, List<String> metricsPages) {
    var lines = captured.list.stream().map(TokenNoLeakTest::logLine).toList();
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("Discord rejected token")),
        "the verifier's lines were captured");
    assertTrue(
        captured.list.stream().anyMatch(e -> e.getLevel().toInt() <= Level.DEBUG.toInt()),
        "DEBUG and TRACE lines were captured");
    assertTrue(
        requestBodies.stream().anyMatch(b -> b.contains("\"tokenFingerprint\"")),
        "the operator's status writes were captured");
    assertTrue(
        requestBodies.stream().anyMatch(b -> b.contains("\"secretKeyRef\"")),
        "the operator's pod creations were captured");
    var watched = String.join("\n", history.watched());
    for (var reason : List.of("DuplicateToken", "InvalidToken", "atomizer.io/token-fingerprint")) {
      assertTrue(watched.contains(reason), reason + " was seen by the watches");
    }
    assertTrue(
        history.events().stream().anyMatch(e -> "InvalidToken".equals(e.getReason())),
        "the Events are still in the API server");
    assertTrue(
        metricsPages.get(0).contains("atomizer_agent_ready{"), "the per-agent gauges were scraped");
  }

  /** Where any token shows, raw or base64; the token itself is never part of the answer. */
  private static List<String> leaks(List<Map.Entry<String, String>> haystack) {
    var found = new ArrayList<String>();
    for (int i = 0; i < TOKENS.size(); i++) {
      var raw = TOKENS.get(i);
      var encoded = SecretEdits.base64(raw);
      for (var entry : haystack) {
        var text = entry.getValue();
        if (text.contains(raw) || text.contains(encoded)) {
          found.add(
              "token #" + (i + 1) + " in a " + entry.getKey() + " (" + text.length() + " chars)");
        }
      }
    }
    return found;
  }

  private static String logLine(ILoggingEvent e) {
    var line = new StringBuilder();
    line.append(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
    line.append(' ').append(e.getMDCPropertyMap());
    line.append(' ').append(Arrays.toString(e.getArgumentArray()));
    line.append(' ').append(e.getKeyValuePairs());
    if (e.getThrowableProxy() != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    return line.toString();
  }
}
