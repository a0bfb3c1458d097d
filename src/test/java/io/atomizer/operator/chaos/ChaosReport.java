package io.atomizer.operator.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one run, printed and written to target/chaos/. */
final class ChaosReport {

  /** How many of the operator's last warnings and errors the report keeps. */
  static final int LAST_WARNINGS = 200;

  private final long seed;
  private final Duration quiet;
  private final Path dir;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, List<String>> violations = new LinkedHashMap<>();
  private final List<Double> perAgent = new ArrayList<>();
  private final List<Double> repairs = new ArrayList<>();

  void repairs(double seconds) {
    repairs.add(seconds);
  }

  private final List<Double> fleet = new ArrayList<>();
  private List<String> journal = List.of();
  private List<String> operatorLog = List.of();
  private List<String> lastWarnings = List.of();
  private int warnings;

  /**
   * The operator's whole log: the report keeps its last {@link #LAST_WARNINGS} warnings and errors
   * (the ones nearest a failure), and a failing run writes all of it, each line with the instant it
   * was logged at, beside the report.
   */
  void operatorLog(List<String> lines, List<String> timedLines) {
    operatorLog = List.copyOf(timedLines);
    var all = lines.stream().filter(t -> t.startsWith("ERROR") || t.startsWith("WARN")).toList();
    warnings = all.size();
    lastWarnings = all.subList(Math.max(0, all.size() - LAST_WARNINGS), all.size());
  }

  ChaosReport(long seed, Duration quiet, Path dir) {
    this.seed = seed;
    this.quiet = quiet;
    this.dir = dir;
    for (var check :
        List.of(
            "1a one pod per agent",
            "1b one pod per token",
            "2 kept claims never deleted",
            "3 converge after the faults",
            "4 observedGeneration never backwards",
            "5 no writes after convergence",
            "secrets stay secret (logs)",
            "secrets stay secret (status, events)",
            "recording complete")) {
      violations.put(check, new ArrayList<>());
    }
  }

  void line(String format, Object... args) {
    lines.add(String.format(format, args));
  }

  void violation(String check, String detail) {
    violations.computeIfAbsent(check, c -> new ArrayList<>()).add(detail);
  }

  void cycle(
      int cycle,
      Map<String, Convergence.Expectation> expected,
      Convergence.Result result,
      int quietRequests,
      int quietWrites) {
    perAgent.addAll(result.seconds().values());
    fleet.add(result.fleetSeconds());
    var outcomes = new LinkedHashMap<Convergence.Outcome, Integer>();
    expected.values().forEach(e -> outcomes.merge(e.outcome(), 1, Integer::sum));
    line(
        "cycle %d: %s; converged per agent median %.1f s, max %.1f s (%s; fleet %.1f s) after"
            + " the last fault; then %d s quiet: %d requests, %d writes",
        cycle,
        outcomes,
        result.median(),
        result.max(),
        result.seconds().entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse("-"),
        result.fleetSeconds(),
        quiet.toSeconds(),
        quietRequests,
        quietWrites);
  }

  void faults(ChaosMonkey monkey, ApiFaults faults, ChaosCluster cluster) {
    line("faults by kind: %s", monkey.counts());
    line(
        "API faults on operator requests: %s; watch connections dropped: %d",
        faults.counts(), monkey.watchesDropped());
    line(
        "operator kills with its requests in flight: %d of %d; failed operator starts: %d;"
            + " instances ended by a watch that stopped for good: %d; operator requests in all: %d",
        monkey.killsWithRequestsInFlight(),
        monkey.counts().getOrDefault(ChaosMonkey.Fault.OPERATOR_KILL_MID_RECONCILE, 0),
        cluster.failedStarts(),
        cluster.watchRestarts(),
        cluster.mock().operatorCalls().size());
    journal = monkey.journal();
  }

  void journal(List<String> journal) {
    this.journal = journal;
  }

  Map<String, List<String>> violations() {
    var found = new LinkedHashMap<String, List<String>>();
    violations.forEach(
        (check, list) -> {
          if (!list.isEmpty()) {
            found.put(check, list.subList(0, Math.min(10, list.size())));
          }
        });
    return found;
  }

  void print() throws IOException {
    var out = new StringBuilder();
    out.append("== chaos report, seed ").append(seed).append('\n');
    lines.forEach(l -> out.append(l).append('\n'));
    if (!perAgent.isEmpty()) {
      var sorted = perAgent.stream().sorted().toList();
      out.append(
          String.format(
              "convergence after the last fault (repairs included: they took %s s), over %d"
                  + " agent-cycles: median %.1f s, max %.1f s; fleet (all agents) per cycle: %s"
                  + " s%n",
              repairs.stream().map(d -> String.format("%.1f", d)).toList(),
              sorted.size(),
              sorted.get(sorted.size() / 2),
              sorted.get(sorted.size() - 1),
              fleet.stream().map(d -> String.format("%.1f", d)).toList()));
    }
    out.append("invariant violations:\n");
    violations.forEach(
        (check, list) -> {
          out.append(String.format("  %-40s %d%n", check, list.size()));
          list.stream().limit(5).forEach(v -> out.append("      ").append(v).append('\n'));
        });
    System.out.print(out);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("chaos-" + seed + ".txt"),
        out
            + "\nfault journal:\n"
            + String.join("\n", journal)
            + "\n\noperator warnings and errors (the last "
            + lastWarnings.size()
            + " of "
            + warnings
            + "):\n"
            + String.join("\n", lastWarnings)
            + "\n");
    System.out.println("report and fault journal: " + dir.resolve("chaos-" + seed + ".txt"));
    if (!violations().isEmpty()) {
      var log = dir.resolve("chaos-" + seed + "-operator.log");
      Files.write(log, operatorLog);
      System.out.println("the run failed; the operator's whole log: " + log);
    }
  }
}
