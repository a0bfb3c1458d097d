package io.atomizer.operator.bench;

import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.MetricsPage;
import io.atomizer.operator.support.OperatorHarness;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one reconcile of an unchanged, Ready agent costs, to size the max reconcile interval
 * (ATOMIZER_MAX_RECONCILE_INTERVAL_SECONDS): a converged fleet on the mock API server sits idle
 * twice, first with periodic reconciles an hour apart (none happen), then one second apart; the
 * process CPU of the second window minus the first, over the reconciles counted by JOSDK's metric,
 * is the cost of one. Not a test: it prints figures.
 *
 * <pre>
 * mvn -B -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.atomizer.operator.bench.PeriodicReconcileCost \
 *     -Dbench.agents=50 -Dbench.seconds=20
 * </pre>
 */
public final class PeriodicReconcileCost {

  private PeriodicReconcileCost() {}

  public static void main(String[] args) throws Exception {
    int agents = Integer.getInteger("bench.agents", 50);
    var window = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    var idle = measure(agents, window, Duration.ofHours(1));
    var periodic = measure(agents, window, Duration.ofSeconds(1));
    double perReconcileMs =
        (periodic.cpuMs() - idle.cpuMs()) / (periodic.reconciles() - idle.reconciles());
    System.out.printf(
        Locale.ROOT,
        "%d agents, %d s idle: no periodic reconcile: %.0f reconciles, %.0f ms CPU, %d requests;"
            + " every 1 s: %.0f reconciles, %.0f ms CPU, %d requests; %.3f ms CPU per reconcile;"
            + " 1000 agents every 30 s: %.1f%% of one core%n",
        agents,
        window.toSeconds(),
        idle.reconciles(),
        idle.cpuMs(),
        idle.requests(),
        periodic.reconciles(),
        periodic.cpuMs(),
        periodic.requests(),
        perReconcileMs,
        100 * perReconcileMs * 1000 / 30 / 1000);
    System.exit(0);
  }

  record Window(double reconciles, double cpuMs, int requests) {}

  static Window measure(int agents, Duration window, Duration interval) throws Exception {
    int port = MetricsPage.freePort();
    try (var harness =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_HTTP_PORT",
                Integer.toString(port),
                "ATOMIZER_MAX_RECONCILE_INTERVAL_SECONDS",
                Long.toString(interval.toSeconds())))) {
      var tokens = new LinkedHashMap<String, String>();
      for (int i = 0; i < agents; i++) {
        tokens.put("K" + i, Agents.token("cost-" + i));
      }
      var ns = harness.namespace(tokens);
      for (int i = 0; i < agents; i++) {
        harness.create(Agents.agent(ns, "agent-" + i, "K" + i));
      }
      for (int i = 0; i < agents; i++) {
        harness.awaitReady(ns, "agent-" + i);
      }
      harness.awaitSettled(ns);
      Thread.sleep(3000);
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      int mark = harness.mark();
      double before = reconciled(port);
      long cpu = os.getProcessCpuTime();
      Thread.sleep(window.toMillis());
      double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6;
      var calls = harness.callsSince(mark);
      return new Window(reconciled(port) - before, cpuMs, calls.size());
    }
  }

  static double reconciled(int port) throws Exception {
    return MetricsPage.scrape(port)
        .lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_success_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
