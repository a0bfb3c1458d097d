package io.atomizer.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The image build's AOT training (pom.xml, profile image, between the two Jib runs): unpacks the
 * first image, and writes what the final image adds under /app/aot:
 *
 * <ul>
 *   <li>{@code classpath}: Jib's class path with the libraries' jars before the operator's own
 *       classes and resources directories (an AOT cache archives classes from jars only, and no
 *       non-empty directory may come before the last jar it archives from; the operator's classes
 *       and resources are in no library, so the order changes nothing else);
 *   <li>{@code jvm.options}: the runtime's own JVM options, an argument file the entrypoint reads:
 *       on JDK 24+ compact object headers and the AOT cache; on 17 none;
 *   <li>{@code operator.aot} (JDK 24+): the cache, trained with the image's own java, flags and
 *       class path (relocated: the JVM accepts the same jars under another directory, with the same
 *       sizes and modification times, which Jib sets to 1970-01-01T00:00:01Z), the operator running
 *       against a mock fleet of {@code agents} until all are Ready.
 * </ul>
 *
 * <p>Usage: {@code ImageAotTraining <image.tar> <out dir, becomes /> <agents>}.
 */
public final class ImageAotTraining {

  static final String APP = "/app";
  static final String MAIN = "io.atomizer.operator.AtomizerOperator";

  /** On JDK 24+: what the image adds, chosen by the fleet benchmark (README, Performance). */
  static final List<String> LEAN_OPTIONS = BenchRuntime.LEAN_FLAGS;

  public static void main(String[] args) {
    int exit = 0;
    try {
      run(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    } catch (Throwable e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit); // the mock server's threads would keep the JVM up
  }

  static void run(Path image, Path out, int agents) throws Exception {
    var work = Files.createTempDirectory("aot-training-");
    try {
      var root = work.resolve("rootfs");
      var config = unpack(image, work.resolve("archive"), root);
      var aot = out.resolve(APP.substring(1)).resolve("aot");
      Files.createDirectories(aot);
      Files.deleteIfExists(aot.resolve("operator.aot"));
      var classpath = jarsFirst(Files.readString(root.resolve("app/jib-classpath-file")).strip());
      Files.writeString(aot.resolve("classpath"), classpath + "\n");
      int feature = feature(root.resolve("opt/java/release"));
      if (feature < 24) {
        Files.writeString(
            aot.resolve("jvm.options"),
            "# Java " + feature + ": no compact object headers and no AOT cache before JDK 24\n");
        log("Java %d runtime: no AOT cache (needs JDK 24+)", feature);
        return;
      }
      var flags = new ArrayList<>(entrypointFlags(config));
      flags.addAll(LEAN_OPTIONS);
      // the chart's memory limit, as the container gives it; the cache does not depend on it
      flags.add("-XX:MaxRAM=192m");
      var launch = List.of("-cp", classpath.replace(APP + "/", root.resolve("app") + "/"), MAIN);
      var cache = aot.resolve("operator.aot");
      var log = work.resolve("training.log");
      var started = System.nanoTime();
      try {
        AotTraining.train(
            root.resolve("opt/java/bin/java"), flags, launch, true, Map.of(), cache, agents, log);
      } catch (RuntimeException e) {
        System.err.println(Files.readString(log));
        throw e;
      }
      var options = new ArrayList<>(LEAN_OPTIONS);
      options.add("-XX:AOTCache=" + APP + "/aot/operator.aot");
      Files.writeString(aot.resolve("jvm.options"), String.join("\n", options) + "\n");
      log(
          "Java %d runtime: AOT cache %s (%d MiB), trained on %d agents in %d s; options %s",
          feature,
          cache,
          Files.size(cache) >> 20,
          agents,
          (System.nanoTime() - started) / 1_000_000_000L,
          options);
    } finally {
      delete(work);
    }
  }

  /** The image's config, after extracting every layer into {@code root}. */
  static JsonNode unpack(Path image, Path archive, Path root) throws Exception {
    Files.createDirectories(archive);
    Files.createDirectories(root);
    tar("-xf", image.toAbsolutePath().toString(), "-C", archive.toString());
    var mapper = new ObjectMapper();
    var manifest = mapper.readTree(archive.resolve("manifest.json").toFile()).get(0);
    for (var layer : manifest.get("Layers")) {
      // mtimes kept (tar's default): the AOT cache checks the jars' sizes and times
      tar("-xf", archive.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    return mapper.readTree(archive.resolve(manifest.get("Config").asText()).toFile());
  }

  /** The JVM flags of the image's entrypoint: everything between java and the class path. */
  static List<String> entrypointFlags(JsonNode config) {
    var flags = new ArrayList<String>();
    var entrypoint = config.at("/config/Entrypoint");
    for (int i = 1; i < entrypoint.size(); i++) {
      var arg = entrypoint.get(i).asText();
      if (arg.equals("-cp") || arg.equals("-classpath") || arg.startsWith("@")) {
        break;
      }
      flags.add(arg);
    }
    return flags;
  }

  /** A class path with its jars first, in their order, then everything else, in its order. */
  static String jarsFirst(String classpath) {
    var entries = Arrays.asList(classpath.split(":"));
    var jars = entries.stream().filter(e -> e.endsWith(".jar"));
    var others = entries.stream().filter(e -> !e.endsWith(".jar"));
    return java.util.stream.Stream.concat(jars, others).collect(Collectors.joining(":"));
  }

  static int feature(Path release) throws IOException {
    return Files.readAllLines(release).stream()
        .filter(l -> l.startsWith("JAVA_VERSION="))
        .map(l -> l.replaceAll("JAVA_VERSION=\"(\\d+).*", "$1"))
        .mapToInt(Integer::parseInt)
        .findFirst()
        .orElseThrow();
  }

  private static void tar(String... args) throws Exception {
    var command = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword"));
    command.addAll(Arrays.asList(args));
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command + " failed: " + output);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (var f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf("ImageAotTraining: " + format + "%n", args);
  }
}
