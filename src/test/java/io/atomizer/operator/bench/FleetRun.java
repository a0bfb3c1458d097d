package io.atomizer.operator.bench;

import io.atomizer.operator.AtomizerOperator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One fleet size against one kind of server: the operator in its own JVM, then the baseline in its
 * own JVM with the same flags, each on a clean server (a fresh mock, or a fresh namespace on the
 * real one with the operator stopped).
 */
final class FleetRun {

  /** The informers whose watches mean the operator has synced its caches. */
  static final Set<String> OPERATOR_WATCHES =
      Set.of("atomizeragents", "pods", "persistentvolumeclaims", "secrets");

  static final Set<String> BASELINE_WATCHES = Set.of("atomizeragents", "pods");

  /** What one run found. */
  record Result(
      String server,
      String runtime,
      int n,
      ApiRequest.Counts apply,
      ApiRequest.Counts idle,
      ApiRequest.Counts reapply,
      Duration operator,
      Duration baseline,
      ApiRequest.Counts baselineApply,
      JvmProcess.Usage usage,
      JvmProcess.Heap heap,
      double convergeCpuSeconds,
      double baselineCpuSeconds,
      double baselinePeakMib,
      JvmProcess.Heap baselineHeap,
      Map<String, Integer> statusChanges) {

    double ratio() {
      return operator.toNanos() / (double) baseline.toNanos();
    }
  }

  /** One phase: how long all agents took to be Ready, and what was counted. */
  private record Phase(
      Duration converged,
      ApiRequest.Counts apply,
      ApiRequest.Counts idle,
      ApiRequest.Counts reapply,
      JvmProcess.Usage usage,
      JvmProcess.Heap heap,
      double convergeCpuSeconds,
      Map<String, Integer> statusChanges) {}

  private final BenchSettings settings;

  FleetRun(BenchSettings settings) {
    this.settings = settings;
  }

  Result run(Supplier<FleetServer> servers, boolean freshServerPerPhase, String prefix, int n)
      throws Exception {
    Phase operator;
    Phase baseline;
    String name;
    var server = servers.get();
    try {
      name = server.name();
      operator = operator(server, new Fleet(prefix + "-op", n));
    } finally {
      if (freshServerPerPhase) {
        server.close();
      }
    }
    server = freshServerPerPhase ? servers.get() : server;
    try {
      baseline = baseline(server, new Fleet(prefix + "-base", n));
    } finally {
      if (freshServerPerPhase) {
        server.close();
      }
    }
    return new Result(
        name,
        settings.runtime().label(),
        n,
        operator.apply(),
        operator.idle(),
        operator.reapply(),
        operator.converged(),
        baseline.converged(),
        baseline.apply(),
        operator.usage(),
        operator.heap(),
        operator.convergeCpuSeconds(),
        baseline.convergeCpuSeconds(),
        baseline.usage().peakMib(),
        baseline.heap(),
        operator.statusChanges());
  }

  private Phase operator(FleetServer server, Fleet fleet) throws Exception {
    fleet.install(server.admin());
    var args = new ArrayList<>(List.of("-jar", settings.jar().toString()));
    args.addAll(server.operatorArgs());
    args.add("--atomizer-workspaces-root=" + fleet.workspaces());
    args.addAll(settings.operatorArgs());
    var log = settings.out().resolve("operator-" + fleet.namespace + ".log");
    // the operator's user agent carries its identity (POD_NAME): this run's requests alone count,
    // even on a shared API server whose audit log holds every earlier run's
    var env = new java.util.TreeMap<>(settings.env());
    env.put("POD_NAME", fleet.namespace);
    var userAgent = operatorUserAgent(fleet.namespace);
    try (var jvm =
        JvmProcess.start(
            settings.runtime().java(),
            settings.jvmFlags(fleet.namespace),
            args,
            server.kubeconfig(),
            log,
            env)) {
      var phase = converge(server, fleet, jvm, userAgent, OPERATOR_WATCHES);
      var settled = Instant.now();
      Thread.sleep(settings.idle().toMillis());
      var idleEnd = Instant.now();
      server.reapply(fleet.namespace, fleet.agents);
      Thread.sleep(settings.reapplyWindow().toMillis());
      var requests = requestsOf(server, userAgent);
      if (!jvm.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + log);
      }
      var usage = jvm.usage();
      if (settings.diagnose()) {
        diagnose(jvm, settings.out().resolve("diagnosis-" + fleet.namespace + ".txt"));
      }
      return new Phase(
          phase.converged(),
          phase.apply(),
          ApiRequest.Counts.of(requests, settled, idleEnd),
          ApiRequest.Counts.of(requests, idleEnd, Instant.now()),
          usage,
          jvm.heapAfterFullGc(),
          phase.convergeCpuSeconds(),
          phase.statusChanges());
    }
  }

  private Phase baseline(FleetServer server, Fleet fleet) throws Exception {
    fleet.install(server.admin());
    var classpath = BaselineJar.classpath(settings.jar(), settings.out());
    var launch = List.of("-cp", classpath, BaselineController.class.getName(), fleet.namespace);
    var log = settings.out().resolve("baseline-" + fleet.namespace + ".log");
    try (var jvm =
        JvmProcess.start(
            settings.runtime().java(),
            settings.runtime().baselineFlags(),
            launch,
            server.kubeconfig(),
            log,
            settings.env())) {
      var phase = converge(server, fleet, jvm, BaselineController.USER_AGENT, BASELINE_WATCHES);
      return new Phase(
          phase.converged(),
          phase.apply(),
          null,
          null,
          jvm.usage(),
          jvm.heapAfterFullGc(),
          phase.convergeCpuSeconds(),
          phase.statusChanges());
    }
  }

  /** Applies the fleet once the program watches, and waits until every agent is Ready. */
  private Phase converge(
      FleetServer server, Fleet fleet, JvmProcess jvm, String userAgent, Set<String> watches)
      throws Exception {
    awaitWatching(server, jvm, userAgent, watches, Duration.ofMinutes(3));
    var before = jvm.usage();
    try (var watch = new ReadyWatch(server.admin(), fleet.namespace, fleet.agents.size())) {
      var start = Instant.now();
      server.apply(fleet.namespace, fleet.agents);
      var allReady = watch.awaitAll(settings.timeout());
      var converged = jvm.usage();
      var took = Duration.between(start, allReady);
      progress("%s N=%d: %s converged in %s", server.name(), fleet.agents.size(), userAgent, took);
      Thread.sleep(settings.settle().toMillis());
      var apply = ApiRequest.Counts.of(requestsOf(server, userAgent), start, Instant.now());
      return new Phase(
          took,
          apply,
          null,
          null,
          converged,
          null,
          converged.cpuSeconds() - before.cpuSeconds(),
          watch.statusChanges());
    }
  }

  /** Native memory (when the JVM tracks it) and the biggest classes on the heap, to a file. */
  private static void diagnose(JvmProcess jvm, Path file) throws java.io.IOException {
    var text = new StringBuilder();
    var proc = Path.of("/proc", String.valueOf(jvm.pid()));
    java.nio.file.Files.readAllLines(proc.resolve("status")).stream()
        .filter(l -> l.startsWith("Vm") || l.startsWith("Rss") || l.startsWith("Threads"))
        .forEach(l -> text.append(l).append('\n'));
    text.append(jvm.jcmd("VM.native_memory summary")).append('\n');
    jvm.jcmd("GC.class_histogram").lines().limit(45).forEach(l -> text.append(l).append('\n'));
    java.nio.file.Files.writeString(file, text);
  }

  /** The user agent of an operator whose identity (POD_NAME) is {@code identity}. */
  static String operatorUserAgent(String identity) {
    return AtomizerOperator.USER_AGENT + " (" + identity + ")";
  }

  static List<ApiRequest> requestsOf(FleetServer server, String userAgent) {
    return server.requests().stream()
        .filter(r -> userAgent.equals(r.userAgent()))
        .collect(Collectors.toList());
  }

  /** Waits until the program watches everything it caches, then two seconds more. */
  static void awaitWatching(
      FleetServer server, JvmProcess jvm, String userAgent, Set<String> watches, Duration timeout)
      throws InterruptedException {
    var deadline = Instant.now().plus(timeout);
    while (true) {
      var watching =
          requestsOf(server, userAgent).stream()
              .filter(r -> r.at().isAfter(jvm.startedAt()))
              .filter(r -> r.call().verb().equals("watch"))
              .map(r -> r.call().resource())
              .collect(Collectors.toSet());
      if (watching.containsAll(watches)) {
        break;
      }
      if (!jvm.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            userAgent + " did not start watching " + watches + "; it watches " + watching);
      }
      Thread.sleep(100);
    }
    Thread.sleep(2000);
  }

  static void progress(String format, Object... args) {
    System.err.printf("[fleet] " + format + "%n", args);
  }

  /** Where the operator jar is, how it runs, and how long each window lasts. */
  record BenchSettings(
      Path jar,
      BenchRuntime runtime,
      List<String> operatorArgs,
      Path out,
      Duration settle,
      Duration idle,
      Duration reapplyWindow,
      Duration timeout,
      boolean diagnose,
      Map<String, String> env,
      List<String> operatorExtraFlags) {

    /** The operator's JVM flags on this runtime. */
    List<String> jvmFlags() {
      return runtime.operatorFlags();
    }

    /**
     * The operator's JVM flags for one run: the runtime's, then the extra ones (a profiler, say)
     * with {@code {run}} replaced by the run's namespace; the baseline never gets the extra ones.
     */
    List<String> jvmFlags(String run) {
      var flags = new ArrayList<>(runtime.operatorFlags());
      operatorExtraFlags.forEach(f -> flags.add(f.replace("{run}", run)));
      return flags;
    }

    BenchSettings on(BenchRuntime other) {
      return new BenchSettings(
          jar,
          other,
          operatorArgs,
          out,
          settle,
          idle,
          reapplyWindow,
          timeout,
          diagnose,
          env,
          operatorExtraFlags);
    }
  }
}
