package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.MetricsPage;
import io.atomizer.operator.support.OperatorHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GitOps-quiet: a converged fleet makes no writes, idle or when its manifests are re-applied. Idle
 * includes the periodic reconciles of JOSDK's max reconcile interval, set short here so that the
 * idle window holds several of each agent.
 */
@Tag("mock")
class SteadyStateTest {

  static final List<String> TEAM = Agents.TEAM;
  static final Duration IDLE = Duration.ofSeconds(Long.getLong("atomizer.idleSeconds", 30));
  static final Duration PERIOD = Duration.ofSeconds(5);

  static OperatorHarness harness;
  static String ns;
  static int port;

  @BeforeAll
  static void converge() throws IOException {
    port = MetricsPage.freePort();
    harness =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_HTTP_PORT",
                Integer.toString(port),
                "ATOMIZER_MAX_RECONCILE_INTERVAL_SECONDS",
                Long.toString(PERIOD.toSeconds())));
    var tokens = new LinkedHashMap<String, String>();
    TEAM.forEach(a -> tokens.put(Agents.tokenKey(a), token(a)));
    ns = harness.namespace(tokens);
    TEAM.forEach(a -> harness.create(agent(ns, a, Agents.tokenKey(a))));
    TEAM.forEach(a -> harness.awaitReady(ns, a));
    TEAM.forEach(a -> harness.awaitCondition(ns, a, "StorageReady", "True", "Bound"));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void eightConvergedAgentsMakeNoRequestsWhileIdle() throws Exception {
    harness.awaitSettled(ns);
    var mark = harness.mark();
    double before = reconciled(MetricsPage.scrape(port));
    Thread.sleep(IDLE.toMillis());
    var calls = harness.callsSince(mark);
    double periodic = reconciled(MetricsPage.scrape(port)) - before;
    System.out.printf(
        "idle %ds with %d agents: %.0f reconciles, %d API requests by the operator (%d writes)%n",
        IDLE.toSeconds(),
        TEAM.size(),
        periodic,
        calls.size(),
        calls.stream().filter(ApiCall::isWrite).count());
    assertEquals(List.of(), calls, "no requests at all in steady state");
    long expected = TEAM.size() * (IDLE.dividedBy(PERIOD) - 1);
    assertTrue(
        periodic >= expected,
        periodic + " reconciles while idle, expected at least " + expected + " periodic ones");
  }

  /**
   * Idle, nothing wakes the reconciler; a restart reconciles every agent, which is how a build that
   * writes an unchanged status would show.
   */
  @Test
  void aRestartedOperatorReconcilesTheConvergedFleetWithoutWrites() throws InterruptedException {
    var mark = harness.mark();
    harness.stopOperator();
    harness.startOperator();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                harness.callsSince(mark).stream()
                    .anyMatch(
                        c -> c.verb().equals("list") && c.resource().equals("atomizeragents")));
    // the fixed point: the new operator finished a reconcile of every agent
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> reconciled(MetricsPage.scrape(port)) >= TEAM.size());
    harness.awaitSettled(ns);
    var writes = harness.callsSince(mark).stream().filter(ApiCall::isWrite).toList();
    assertEquals(List.of(), writes, "no writes when a restarted operator reconciles the fleet");
  }

  /** Reconciles JOSDK finished successfully since the operator started (its own counter). */
  static double reconciled(String metricsPage) {
    return metricsPage
        .lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_success_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void reapplyingUnchangedManifestsCausesNoWrites() throws InterruptedException {
    var before = new LinkedHashMap<String, Object>();
    TEAM.forEach(a -> before.put(a, harness.get(ns, a).getStatus()));
    var mark = harness.mark();
    for (var a : TEAM) {
      harness
          .client()
          .resources(AtomizerAgent.class)
          .inNamespace(ns)
          .resource(agent(ns, a, Agents.tokenKey(a)))
          .update();
    }
    Thread.sleep(3000);
    var writes = harness.callsSince(mark).stream().filter(ApiCall::isWrite).toList();
    assertEquals(List.of(), writes, "no writes after re-applying the same manifests");
    TEAM.forEach(
        a -> assertEquals(1L, harness.get(ns, a).getMetadata().getGeneration(), a + " generation"));
    TEAM.forEach(a -> assertEquals(before.get(a), harness.get(ns, a).getStatus(), a + " status"));
  }
}
