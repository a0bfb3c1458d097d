package io.atomizer.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Time from JVM start to the operator's first reconcile (its first write, for agents that existed
 * before it started), against a trivial JVM's time from start to its first request with a fabric8
 * client; both with the same flags, against a fresh mock server, alternating which goes first.
 */
final class StartupRace {

  /** Medians over the repetitions, in milliseconds from process start. */
  record Result(
      long operatorFirstRequestMs, long operatorFirstWriteMs, long baselineFirstRequestMs) {
    double ratio() {
      return operatorFirstWriteMs / (double) baselineFirstRequestMs;
    }
  }

  private final FleetRun.BenchSettings settings;

  StartupRace(FleetRun.BenchSettings settings) {
    this.settings = settings;
  }

  Result run(int repetitions) throws Exception {
    var firstRequest = new ArrayList<Long>();
    var firstWrite = new ArrayList<Long>();
    var baseline = new ArrayList<Long>();
    for (int i = 0; i < repetitions; i++) {
      for (boolean operatorTurn : i % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
        try (var server = new MockFleetServer(Duration.ZERO)) {
          var fleet = new Fleet("start", 8);
          fleet.install(server.admin());
          server.apply(fleet.namespace, fleet.agents);
          if (operatorTurn) {
            var times = operator(server, fleet, i);
            firstRequest.add(times[0]);
            firstWrite.add(times[1]);
          } else {
            baseline.add(baseline(server, i));
          }
        }
      }
    }
    return new Result(median(firstRequest), median(firstWrite), median(baseline));
  }

  private long[] operator(MockFleetServer server, Fleet fleet, int i) throws Exception {
    var args = new ArrayList<>(List.of("-jar", settings.jar().toString()));
    args.addAll(server.operatorArgs());
    args.add("--atomizer-workspaces-root=" + fleet.workspaces());
    args.addAll(settings.operatorArgs());
    var log =
        settings.out().resolve("operator-start-" + settings.runtime().label() + "-" + i + ".log");
    try (var jvm =
        JvmProcess.start(
            settings.runtime().java(),
            settings.jvmFlags(),
            args,
            server.kubeconfig(),
            log,
            settings.env())) {
      Predicate<ApiRequest> operator = r -> r.userAgent().startsWith(MockFleetServer.OPERATOR);
      var write = await(server, jvm, operator.and(ApiRequest::isWrite));
      var first = await(server, jvm, operator);
      return new long[] {
        Duration.between(jvm.startedAt(), first).toMillis(),
        Duration.between(jvm.startedAt(), write).toMillis()
      };
    }
  }

  private long baseline(MockFleetServer server, int i) throws Exception {
    var classpath = BaselineJar.classpath(settings.jar(), settings.out());
    var log =
        settings.out().resolve("baseline-start-" + settings.runtime().label() + "-" + i + ".log");
    try (var jvm =
        JvmProcess.start(
            settings.runtime().java(),
            settings.runtime().baselineFlags(),
            List.of("-cp", classpath, FirstRequest.class.getName(), "start"),
            server.kubeconfig(),
            log,
            settings.env())) {
      var first = await(server, jvm, r -> r.userAgent().equals(FirstRequest.USER_AGENT));
      jvm.waitFor(30);
      return Duration.between(jvm.startedAt(), first).toMillis();
    }
  }

  private static Instant await(MockFleetServer server, JvmProcess jvm, Predicate<ApiRequest> which)
      throws InterruptedException {
    var deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      var hit =
          server.requests().stream()
              .filter(r -> !r.at().isBefore(jvm.startedAt()))
              .filter(which)
              .findFirst();
      if (hit.isPresent()) {
        return hit.get().at();
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no such request within 120 s");
  }

  static Path testClasses() throws Exception {
    return Path.of(FirstRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static long median(List<Long> values) {
    var sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
