package io.atomizer.operator.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The fleet benchmark: N agents applied at once, the operator in its own JVM (the shaded jar, as
 * shipped), the API server and the simulated node in this JVM, and beside each run a plain 8-thread
 * fabric8 baseline on the same kind of server. Not a test: it prints figures.
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.atomizer.operator.bench.FleetBenchmark
 * </pre>
 *
 * Options, as {@code -Dfleet.name=value} (exec.args would also reach the build's own exec:java
 * step): {@code fleet.n=8,100,1000} mock sizes, {@code fleet.real-n=8,100} real kube-apiserver
 * sizes (empty to skip), {@code fleet.idle=60} idle window in seconds, {@code fleet.start-reps=3},
 * {@code fleet.secrets=true} (the Secret-cache heap measurement, real server; {@code
 * fleet.secrets-server=mock} runs it on the mock server instead), {@code fleet.jvm-flags="..."}
 * (default: the chart's JAVA_TOOL_OPTIONS with -XX:MaxRAM at the chart's memory limit, as in the
 * container; "jvm-defaults" for none), {@code fleet.operator-args="..."}, {@code fleet.label=x}
 * (writes target/bench/fleet-x.md instead of fleet.md), {@code fleet.env="MALLOC_ARENA_MAX=2"}
 * (environment of the operator and baseline JVMs), {@code fleet.diagnose=true} (native memory and
 * heap histogram of each operator run in target/bench; add -XX:NativeMemoryTracking=summary to the
 * flags), {@code fleet.jar=...}, {@code fleet.runtimes=17,25} (the Java runtimes side by side, see
 * {@link BenchRuntime}; 25 is found in /usr/lib/jvm unless {@code fleet.java25=<java home>}),
 * {@code fleet.aot-training-n=100} (the mock fleet an AOT cache is trained on), {@code
 * fleet.operator-jvm-extra="..."} (further flags for the operator's JVM only, {@code {run}}
 * replaced by the run's namespace; for example a flight recording per run:
 * -XX:StartFlightRecording=filename=target/bench/{run}.jfr,settings=profile).
 */
public final class FleetBenchmark {

  static final Path CHART_VALUES = Path.of("helm/atomizer-operator/values.yaml");

  public static void main(String[] args) {
    int exit = 0;
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit); // the in-process servers' informer threads would keep the JVM up
  }

  static void run(String[] args) throws Exception {
    for (var name :
        List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.fabric8", "io.javaoperatorsdk")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
    var options = options(args);
    var out = Path.of("target/bench");
    Files.createDirectories(out);
    var jvmFlags = jvmFlags(options.getOrDefault("jvm-flags", ""));
    var java25 = Optional.ofNullable(options.get("java25")).map(Path::of);
    var runtimes =
        Arrays.stream(options.getOrDefault("runtimes", "17,25").split(","))
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .map(l -> BenchRuntime.of(l, jvmFlags, java25))
            .toList();
    var settings =
        new FleetRun.BenchSettings(
            Path.of(options.getOrDefault("jar", "target/atomizer-operator.jar")).toAbsolutePath(),
            runtimes.get(0),
            split(options.getOrDefault("operator-args", "")),
            out.toAbsolutePath(),
            Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle", "5"))),
            Duration.ofSeconds(Long.parseLong(options.getOrDefault("idle", "60"))),
            Duration.ofSeconds(Long.parseLong(options.getOrDefault("reapply", "15"))),
            Duration.ofMinutes(10),
            Boolean.parseBoolean(options.getOrDefault("diagnose", "false")),
            environment(options.getOrDefault("env", "")),
            split(options.getOrDefault("operator-jvm-extra", "")));
    if (!Files.isRegularFile(settings.jar())) {
      throw new IllegalStateException(
          settings.jar() + " is missing: run mvn -B -q package -DskipTests");
    }
    var report = new FleetReport(settings, commandLine(options), loadAverage());
    var started = Instant.now();

    var trained = new ArrayList<FleetRun.BenchSettings>();
    int trainingN = Integer.parseInt(options.getOrDefault("aot-training-n", "100"));
    for (var runtime : runtimes) {
      var on = settings.on(runtime);
      trained.add(runtime.aotCache() ? on.on(AotTraining.train(on, trainingN)) : on);
    }
    trained.forEach(report::runtime);
    int reps = Integer.parseInt(options.getOrDefault("start-reps", "3"));
    if (reps > 0) {
      for (var on : trained) {
        report.start(on.runtime().label(), new StartupRace(on).run(reps));
      }
    }
    for (int n : sizes(options.getOrDefault("n", "8,100,1000"))) {
      for (var on : trained) {
        report.fleet(
            new FleetRun(on)
                .run(
                    () -> new MockFleetServer(Duration.ZERO),
                    true,
                    "mock-" + n + "-j" + on.runtime().label(),
                    n));
      }
    }
    var realSizes = sizes(options.getOrDefault("real-n", "8,100"));
    boolean secrets = Boolean.parseBoolean(options.getOrDefault("secrets", "true"));
    if (secrets && "mock".equals(options.get("secrets-server"))) {
      secrets = false;
      try (var mock = new MockFleetServer(Duration.ZERO)) {
        report.secrets(
            new SecretsHeap(settings, false).run(mock),
            "mock API server (it ignores field selectors: every Secret is cached)");
      }
    }
    if (!realSizes.isEmpty() || secrets) {
      var real = RealFleetServer.startOrNull(Duration.ZERO);
      if (real == null) {
        report.note("Real kube-apiserver tier skipped: the control plane is not available here.");
      } else {
        for (int n : realSizes) {
          for (var on : trained) {
            var prefix = "real-" + n + "-j" + on.runtime().label();
            report.fleet(new FleetRun(on).run(() -> real, false, prefix, n));
            deleteNamespaces(real.admin(), prefix + "-op", prefix + "-base");
          }
        }
        if (secrets) {
          report.secrets(new SecretsHeap(settings, true).run(real), "real kube-apiserver");
          deleteNamespaces(real.admin(), "secrets-heap");
        }
        real.close();
      }
    }
    report.finish(loadAverage(), Duration.between(started, Instant.now()));
    var file =
        out.resolve(
            options.containsKey("label") ? "fleet-" + options.get("label") + ".md" : "fleet.md");
    Files.writeString(file, report.markdown());
    System.out.println(report.markdown());
    System.out.println("Written to " + file);
  }

  /** Removes a finished run's namespaces, so the next operator starts on an empty cluster. */
  static void deleteNamespaces(KubernetesClient admin, String... names)
      throws InterruptedException {
    for (var name : names) {
      admin.namespaces().withName(name).delete();
    }
    var deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)
        && Arrays.stream(names).anyMatch(n -> admin.namespaces().withName(n).get() != null)) {
      Thread.sleep(500);
    }
  }

  /** The chart's JVM flags with the chart's memory limit as the JVM's RAM, unless given. */
  static List<String> jvmFlags(String given) throws IOException {
    if ("jvm-defaults".equals(given)) {
      return List.of();
    }
    if (!given.isBlank()) {
      return split(given);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> values = Serialization.unmarshal(Files.readString(CHART_VALUES), Map.class);
    @SuppressWarnings("unchecked")
    var operator = (Map<String, Object>) values.get("operator");
    @SuppressWarnings("unchecked")
    var limits =
        (Map<String, Object>) ((Map<String, Object>) values.get("resources")).get("limits");
    var flags = new ArrayList<>(split(String.valueOf(operator.get("javaToolOptions"))));
    var memory = String.valueOf(limits.get("memory"));
    // a container's memory limit is the JVM's physical memory; outside one, say so explicitly
    flags.add("-XX:MaxRAM=" + memory.replace("Mi", "m").replace("Gi", "g"));
    return flags;
  }

  /** "NAME=value NAME2=value2" as a map. */
  static Map<String, String> environment(String assignments) {
    var env = new java.util.TreeMap<String, String>();
    for (var a : split(assignments)) {
      env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return env;
  }

  static List<String> split(String words) {
    return Arrays.stream(words.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  static List<Integer> sizes(String list) {
    return Arrays.stream(list.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(Integer::parseInt)
        .toList();
  }

  /** Options from {@code -Dfleet.name=value} (exec:java) and {@code --name=value} arguments. */
  static Map<String, String> options(String[] args) {
    var options = new HashMap<String, String>();
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            key -> {
              if (key.startsWith("fleet.")) {
                options.put(key.substring("fleet.".length()), System.getProperty(key));
              }
            });
    for (var arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg + "; see the class Javadoc");
      }
    }
    return options;
  }

  /** The options as they are typed: -Dfleet.name=value, quoted when they hold spaces. */
  static String commandLine(Map<String, String> options) {
    return options.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                "-Dfleet."
                    + e.getKey()
                    + "="
                    + (e.getValue().contains(" ") ? "'" + e.getValue() + "'" : e.getValue()))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  static String loadAverage() {
    try {
      return String.join(
          " ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (IOException e) {
      return "unknown";
    }
  }
}
