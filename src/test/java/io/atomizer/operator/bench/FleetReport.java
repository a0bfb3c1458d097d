package io.atomizer.operator.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's figures as markdown tables, with how they were counted. */
final class FleetReport {

  private final FleetRun.BenchSettings settings;
  private final String args;
  private final String loadAtStart;
  private final Instant startedAt = Instant.now();
  private final List<FleetRun.Result> fleets = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final java.util.Map<String, StartupRace.Result> start = new java.util.LinkedHashMap<>();
  private final List<FleetRun.BenchSettings> runtimes = new ArrayList<>();
  private List<SecretsHeap.Result> secrets = List.of();
  private String secretsServer = "";
  private String loadAtEnd = "";
  private Duration took = Duration.ZERO;

  FleetReport(FleetRun.BenchSettings settings, String args, String loadAtStart) {
    this.settings = settings;
    this.args = args;
    this.loadAtStart = loadAtStart;
  }

  void start(String runtime, StartupRace.Result result) {
    start.put(runtime, result);
  }

  void runtime(FleetRun.BenchSettings on) {
    runtimes.add(on);
  }

  void fleet(FleetRun.Result result) {
    fleets.add(result);
  }

  void secrets(List<SecretsHeap.Result> results, String server) {
    secrets = results;
    secretsServer = server;
  }

  void note(String note) {
    notes.add(note);
  }

  void finish(String loadAtEnd, Duration took) {
    this.loadAtEnd = loadAtEnd;
    this.took = took;
  }

  String markdown() {
    var md = new StringBuilder();
    md.append("## Fleet benchmark\n\n");
    md.append(
        "Run %s on %d cores, %s; load average %s at the start, %s at the end; took %d min.%n%n"
            .formatted(
                startedAt.toString().substring(0, 16).replace('T', ' '),
                Runtime.getRuntime().availableProcessors(),
                "Java " + System.getProperty("java.version"),
                loadAtStart,
                loadAtEnd,
                took.toMinutes()));
    md.append("Runtimes (operator and baseline each in its own JVM):\n\n");
    for (var on : runtimes) {
      md.append(
          "- **%s**: `%s` (Java %s) `%s -jar atomizer-operator.jar`; baseline `%s`%n"
              .formatted(
                  on.runtime().label(),
                  on.runtime().java(),
                  on.runtime().version(),
                  String.join(" ", on.jvmFlags()),
                  String.join(" ", on.runtime().baselineFlags())));
    }
    md.append('\n');
    if (!settings.env().isEmpty()) {
      md.append("Environment of the JVMs: `%s`.%n".formatted(settings.env()));
    }
    if (!settings.operatorArgs().isEmpty()) {
      md.append("Operator flags: `%s`.%n".formatted(String.join(" ", settings.operatorArgs())));
    }
    md.append(
        "Command: `mvn -B -q package -DskipTests && mvn -B -q test-compile exec:java"
            + " -Dexec.classpathScope=test -Dexec.mainClass=io.atomizer.operator.bench.FleetBenchmark"
            + (args.isBlank() ? "" : " " + args)
            + "`\n\n");
    if (!fleets.isEmpty()) {
      fleetTable(md);
    }
    if (!start.isEmpty()) {
      md.append(
          "\n| Start (median of runs, ms from JVM start) | runtime | operator first request |"
              + " operator first reconcile (first write, 8 agents existing) | baseline: a trivial"
              + " JVM's first request with a fabric8 client | ratio |\n|---|---|---:|---:|---:|---:|\n");
      start.forEach(
          (runtime, s) ->
              md.append(
                  "| | %s | %d | %d | %d | %.2f |%n"
                      .formatted(
                          runtime,
                          s.operatorFirstRequestMs(),
                          s.operatorFirstWriteMs(),
                          s.baselineFirstRequestMs(),
                          s.ratio())));
    }
    if (!secrets.isEmpty()) {
      md.append(
          "\nSecret cache with 200 Helm release Secrets (helm.sh/release.v1, 64 KB of data"
              + " each), 5 Opaque Secrets and 8 agents, "
              + secretsServer
              + ":\n\n");
      md.append(
          "| Secret informer scope | Secrets in scope | heap after full GC | metaspace |"
              + " peak RSS |\n|---|---:|---:|---:|---:|\n");
      for (var s : secrets) {
        md.append(
            "| %s | %d | %.1f MiB | %.1f MiB | %.0f MiB |%n"
                .formatted(
                    s.scoping(),
                    s.secretsCached(),
                    s.heap().usedKib() / 1024.0,
                    s.heap().metaspaceKib() / 1024.0,
                    s.usage().peakMib()));
      }
    }
    notes.forEach(n -> md.append("\n").append(n).append("\n"));
    return md.toString();
  }

  private void fleetTable(StringBuilder md) {
    md.append(
        "| server | runtime | N | apply→Ready reads/agent | writes/agent | idle %ds reads/writes |"
                .formatted(settings.idle().toSeconds())
            + " unchanged re-apply reads/writes | converge operator | baseline 8 threads | ratio |"
            + " operator peak RSS (VmHWM) | heap after full GC | baseline peak RSS | baseline heap after"
            + " full GC | CPU s: operator total / converge / baseline converge |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var r : fleets) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.2f | %.2f | %d / %d | %d / %d | %.1f s | %.1f s | %.2f | %.0f MiB |"
                  + " %.1f MiB | %.0f MiB | %.1f MiB | %.1f / %.1f / %.1f |%n",
              r.server(),
              r.runtime(),
              r.n(),
              r.apply().reads() / (double) r.n(),
              r.apply().writes() / (double) r.n(),
              r.idle().reads(),
              r.idle().writes(),
              r.reapply().reads(),
              r.reapply().writes(),
              r.operator().toMillis() / 1000.0,
              r.baseline().toMillis() / 1000.0,
              r.ratio(),
              r.usage().peakMib(),
              r.heap().usedKib() / 1024.0,
              r.baselinePeakMib(),
              r.baselineHeap().usedKib() / 1024.0,
              r.usage().cpuSeconds(),
              r.convergeCpuSeconds(),
              r.baselineCpuSeconds()));
    }
    md.append(
        "\nRequests as the API server received them from the operator's user agent (the mock"
            + " records them, the real kube-apiserver writes its audit log); a watch or a list is one"
            + " request however many objects it carries. apply→Ready runs from the first create to all"
            + " N agents Ready=True plus %d s; the operator had synced its caches before."
                .formatted(settings.settle().toSeconds())
            + " Re-apply: an update() of each stored agent on the mock, `kubectl apply --server-side`"
            + " on kube-apiserver, counted for %d s."
                .formatted(settings.reapplyWindow().toSeconds())
            + " Baseline: its own JVM with the same flags, 8 threads, a watch on agents and one on"
            + " pods; PVC POST and Pod POST per agent, one status PATCH when its pod is Ready.\n\n");
    md.append(
        "| server | runtime | N | operator requests apply→Ready, by kind | baseline |\n"
            + "|---|---|---:|---|---|\n");
    for (var r : fleets) {
      md.append(
          "| %s | %s | %d | %s | %s |%n"
              .formatted(
                  r.server(),
                  r.runtime(),
                  r.n(),
                  r.apply().breakdown(),
                  r.baselineApply().breakdown()));
    }
    md.append(
        "\nWhat each status write of the operator changed (seen through a watch), apply→Ready:\n");
    for (var r : fleets) {
      md.append("\n%s %s N=%d:%n".formatted(r.server(), r.runtime(), r.n()));
      r.statusChanges().entrySet().stream()
          .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
          .forEach(e -> md.append("- %d × %s%n".formatted(e.getValue(), e.getKey())));
    }
    for (var r : fleets) {
      if (r.idle().total() > 0 || r.reapply().total() > 0) {
        md.append(
            "\n%s %s N=%d idle: %s; re-apply: %s%n"
                .formatted(
                    r.server(), r.runtime(), r.n(), r.idle().breakdown(), r.reapply().breakdown()));
      }
    }
  }
}
