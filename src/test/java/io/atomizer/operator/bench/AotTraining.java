package io.atomizer.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AOT caches of a JDK 24+ runtime (JEPs 483, 514, 515), trained on a representative run: the
 * program with its flags and {@code -XX:AOTCacheOutput}, against a mock fleet of N agents until all
 * are Ready and a few seconds more, then stopped with SIGTERM (the JVM writes the cache as it
 * exits). Used by the benchmark (operator and baseline each get their own cache) and by the image
 * build ({@link ImageAotTraining}).
 */
final class AotTraining {

  private AotTraining() {}

  /** The benchmark runtime with both caches in use; each cache is trained anew. */
  static BenchRuntime train(FleetRun.BenchSettings settings, int n) throws Exception {
    var runtime = settings.runtime();
    var operatorCache = settings.out().resolve("aot-operator-" + runtime.label() + ".aot");
    var baselineCache = settings.out().resolve("aot-baseline-" + runtime.label() + ".aot");
    var java = runtime.java();
    var log = settings.out().resolve("aot-training-operator-" + runtime.label() + ".log");
    var operator = new ArrayList<>(List.of("-jar", settings.jar().toString()));
    operator.addAll(settings.operatorArgs());
    train(java, runtime.operatorFlags(), operator, true, settings.env(), operatorCache, n, log);
    var classpath = BaselineJar.classpath(settings.jar(), settings.out());
    log = settings.out().resolve("aot-training-baseline-" + runtime.label() + ".log");
    var baseline = List.of("-cp", classpath, BaselineController.class.getName());
    train(java, runtime.baselineFlags(), baseline, false, settings.env(), baselineCache, n, log);
    FleetRun.progress(
        "%s: AOT caches %d MiB (operator), %d MiB (baseline)",
        runtime.label(), Files.size(operatorCache) >> 20, Files.size(baselineCache) >> 20);
    return runtime.withCaches(operatorCache, baselineCache);
  }

  /**
   * Trains one cache: {@code java flags -XX:AOTCacheOutput=cache launch...}, where launch is the
   * operator's (its mock-server arguments and a workspaces folder are added) or the baseline's (the
   * namespace is added).
   */
  static void train(
      Path java,
      List<String> flags,
      List<String> launch,
      boolean operator,
      Map<String, String> environment,
      Path cache,
      int n,
      Path log)
      throws Exception {
    Files.deleteIfExists(cache);
    Files.createDirectories(cache.toAbsolutePath().getParent());
    var namespace = operator ? "aot-op" : "aot-base";
    try (var server = new MockFleetServer(Duration.ZERO)) {
      var fleet = new Fleet(namespace, n);
      fleet.install(server.admin());
      var withOutput = new ArrayList<>(flags);
      withOutput.add("-XX:AOTCacheOutput=" + cache.toAbsolutePath());
      var command = new ArrayList<>(launch);
      var env = new java.util.TreeMap<>(environment);
      String userAgent;
      if (operator) {
        command.addAll(server.operatorArgs());
        command.add("--atomizer-workspaces-root=" + fleet.workspaces());
        env.put("POD_NAME", namespace);
        userAgent = FleetRun.operatorUserAgent(namespace);
      } else {
        command.add(namespace);
        userAgent = BaselineController.USER_AGENT;
      }
      var jvm = JvmProcess.start(java, withOutput, command, server.kubeconfig(), log, env);
      try (var watch = new ReadyWatch(server.admin(), fleet.namespace, n)) {
        FleetRun.awaitWatching(
            server,
            jvm,
            userAgent,
            operator ? FleetRun.OPERATOR_WATCHES : FleetRun.BASELINE_WATCHES,
            Duration.ofMinutes(3));
        server.apply(fleet.namespace, fleet.agents);
        watch.awaitAll(Duration.ofMinutes(5));
        Thread.sleep(3000);
      } finally {
        jvm.stop(600);
      }
      if (!Files.isRegularFile(cache)) {
        throw new IllegalStateException("no AOT cache written; see " + log);
      }
    }
  }
}
