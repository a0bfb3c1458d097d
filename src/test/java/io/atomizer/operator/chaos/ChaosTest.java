package io.atomizer.operator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.chaos.ApiFaults.Rates;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.LogCapture;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection suite: a fleet of agents on the mock API server, a random sequence of faults
 * for a bounded time, then the invariants checked over every recorded event. The short run (about
 * two minutes) is part of {@code mvn test}; the soak runs with
 *
 * <pre>mvn -B test -Dtest=ChaosTest -Datomizer.chaos.minutes=30</pre>
 *
 * in cycles of faults, convergence and a quiet period. {@code -Datomizer.chaos.seed=N} replays a
 * run's choices; the report goes to stdout and target/chaos/.
 */
@Tag("chaos")
class ChaosTest {

  static final long SEED = Long.getLong("atomizer.chaos.seed", 20260808L);
  static final double MINUTES =
      Double.parseDouble(System.getProperty("atomizer.chaos.minutes", "0"));
  static final Duration FAULTS =
      MINUTES > 0 ? Duration.ofSeconds((long) (MINUTES * 60)) : Duration.ofSeconds(50);
  static final Duration CYCLE =
      Duration.ofSeconds(Long.getLong("atomizer.chaos.cycleSeconds", MINUTES > 0 ? 240 : 50));
  static final int AGENTS = Integer.getInteger("atomizer.chaos.agents", 24);
  static final Duration QUIET = Duration.ofSeconds(Long.getLong("atomizer.chaos.quietSeconds", 30));
  static final Duration CONVERGE_WITHIN = Duration.ofSeconds(90);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Rates RATES = new Rates(0.08, 0.04, 0.05, 0.015, 0.2);

  @Test
  void invariantsHoldUnderRandomFaults() throws IOException {
    int cycles = (int) Math.max(1, Math.ceil(FAULTS.toSeconds() / (double) CYCLE.toSeconds()));
    System.out.printf(
        "== chaos: seed %d (replay with -Datomizer.chaos.seed=%d), %d agents + 2 twins sharing a"
            + " token, %d cycle(s) of %d s of faults%n",
        SEED, SEED, AGENTS, cycles, Math.min(CYCLE.toSeconds(), FAULTS.toSeconds()));
    var report = new ChaosReport(SEED, QUIET, Path.of("target", "chaos"));
    try (var logs = new LogCapture(true);
        var cluster = new ChaosCluster()) {
      var fleet = new Fleet(cluster.client(), "chaos", AGENTS);
      fleet.create();
      var convergence = new Convergence(cluster.client(), fleet);
      var initial = convergence.await(convergence.expected(), Convergence.now(), CONVERGE_WITHIN);
      report.line(
          "fleet of %d agents converged in %.1f s", fleet.members().size(), initial.fleetSeconds());
      var watched = cluster.mock().watchedResources();

      var faults = new ApiFaults(SEED, RATES, ChaosCluster.CLIENT_TIMEOUT);
      var monkey = new ChaosMonkey(cluster, fleet, SEED);
      long remaining = FAULTS.toNanos();
      for (int cycle = 1; cycle <= cycles; cycle++) {
        long length = Math.min(remaining, CYCLE.toNanos());
        remaining -= length;
        cluster.apiFaults(faults);
        monkey.run(System.nanoTime() + length);
        long lastFault = Convergence.now();
        cluster.apiFaults(null);
        monkey.quiesce();
        long lastRepair = Convergence.now();
        var expected = convergence.expected();
        Convergence.Result result;
        try {
          result = convergence.await(expected, lastFault, CONVERGE_WITHIN);
        } catch (AssertionError notConverged) {
          report.violation("3 converge after the faults", notConverged.getMessage());
          break;
        }
        report.repairs((lastRepair - lastFault) / 1e9);
        cluster.awaitKilledInstances();
        if (!watchesBack(cluster, watched)) {
          report.violation(
              "3 converge after the faults",
              "the operator's watches of "
                  + watched
                  + " not all open again within "
                  + CONVERGE_WITHIN.toSeconds()
                  + " s; open: "
                  + cluster.mock().watchedResources());
          break;
        }
        var mark = cluster.mock().operatorCalls().size();
        long quietFrom = Convergence.now();
        var before = statuses(cluster, fleet);
        ChaosCluster.sleep(QUIET.toMillis());
        var calls = cluster.mock().operatorCalls();
        var quiet = calls.subList(mark, calls.size());
        var writes = quiet.stream().filter(ApiCall::isWrite).toList();
        var after = statuses(cluster, fleet);
        writes.forEach(
            w ->
                report.violation(
                    "5 no writes after convergence",
                    w + ", status change: " + diff(before.get(w.name()), after.get(w.name()))));
        convergence
            .stillConverged(expected)
            .forEach(p -> report.violation("3 converge after the faults", "changed later: " + p));
        report.cycle(cycle, expected, result, quiet.size(), writes.size());
        report.line(
            "cycle %d: faults ended at %s, quiet period from %s",
            cycle, instant(lastFault), instant(quietFrom));
      }
      report.faults(monkey, faults, cluster);
      var recorder = cluster.recorder();
      recorder.closedWatches().forEach(w -> report.violation("recording complete", w));
      Invariants.twoPodsOfOneAgent(recorder.pods())
          .forEach(v -> report.violation("1a one pod per agent", v));
      Invariants.twoPodsWithOneToken(recorder.pods())
          .forEach(v -> report.violation("1b one pod per token", v));
      Invariants.retainedClaimsDeleted(
              recorder.claims(), recorder.agents(), cluster.gc().collected())
          .forEach(v -> report.violation("2 kept claims never deleted", v));
      Invariants.observedGenerationBackwards(recorder.agents())
          .forEach(v -> report.violation("4 observedGeneration never backwards", v));
      logs.containing(fleet.everUsedTokens())
          .forEach(v -> report.violation("secrets stay secret (logs)", v));
      tokensInClusterText(cluster, fleet)
          .forEach(v -> report.violation("secrets stay secret (status, events)", v));
      report.line(
          "recorded %d pod, %d claim and %d agent events; %d claims collected by the GC stand-in",
          recorder.pods().size(),
          recorder.claims().size(),
          recorder.agents().size(),
          cluster.gc().collected().size());
      report.line("operator log lines by level: %s", logs.countsByLevel());
      report.operatorLog(logs.texts(), logs.timedTexts());
      report.journal(monkey.journal());
    }
    report.print();
    assertEquals(Map.of(), report.violations(), "invariant violations (seed " + SEED + ")");
  }

  private static Map<String, JsonNode> statuses(ChaosCluster cluster, Fleet fleet) {
    var statuses = new HashMap<String, JsonNode>();
    cluster
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(fleet.namespace())
        .list()
        .getItems()
        .forEach(a -> statuses.put(a.getMetadata().getName(), JSON.valueToTree(a.getStatus())));
    return statuses;
  }

  /**
   * Whether the operator watches again everything it watched before the faults. Convergence is
   * judged from the cluster; an operator whose agent watch is still waiting to reconnect (its
   * backoff reaches 8 s after refused watches) acts on a view older than the cluster's and may
   * write a status that the resourceVersion precondition refuses: it has not settled yet.
   */
  private static boolean watchesBack(ChaosCluster cluster, Set<String> watched) {
    long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
    while (!cluster.mock().watchedResources().containsAll(watched)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      ChaosCluster.sleep(50);
    }
    return true;
  }

  private static String diff(JsonNode before, JsonNode after) {
    return before == null || after == null
        ? before + " -> " + after
        : JsonDiff.asJson(before, after).toString();
  }

  /** Agent statuses and Kubernetes Events must never contain a token. */
  private static List<String> tokensInClusterText(ChaosCluster cluster, Fleet fleet) {
    var texts = new ArrayList<String>();
    cluster
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(fleet.namespace())
        .list()
        .getItems()
        .forEach(a -> texts.add(String.valueOf(a)));
    cluster
        .client()
        .v1()
        .events()
        .inNamespace(fleet.namespace())
        .list()
        .getItems()
        .forEach(e -> texts.add(e.getReason() + ": " + e.getMessage()));
    var found = new ArrayList<String>();
    for (var text : texts) {
      for (var token : fleet.everUsedTokens()) {
        if (text.contains(token)) {
          found.add(text.replace(token, "<token>"));
        }
      }
    }
    return found;
  }

  /** The wall-clock instant of a {@link System#nanoTime} reading, to match log lines. */
  static Instant instant(long nanoTime) {
    return Instant.now().minusNanos(System.nanoTime() - nanoTime);
  }

  static long elapsed(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
