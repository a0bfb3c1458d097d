package io.atomizer.operator.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The image build's AOT training (pom.xml, profile image, between the two Jib runs): unpacks the
 * first image, and writes what the final image adds under /app/aot:
 *
 * <ul>
 *   <li>{@code operator.jar}: the operator's own resources and classes (Jib's /app/resources and
 *       /app/classes) as one jar: an AOT cache refuses a class path holding a non-empty directory;
 *   <li>{@code classpath}: Jib's class path with that jar in place of the two directories, in their
 *       place (first), so that the same class or resource wins as before;
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
      var jar = aot.resolve("operator.jar");
      var jibClasspath = Files.readString(root.resolve("app/jib-classpath-file")).strip();
      var classpath = withJar(jibClasspath, APP + "/aot/operator.jar");
      writeJar(root, jibClasspath, jar);
      Files.writeString(aot.resolve("classpath"), classpath + "\n");
      // as in the image: Jib gives every file it adds this time; the cache checks it
      Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1000));
      Files.createDirectories(root.resolve("app/aot"));
      Files.copy(
          jar,
          root.resolve("app/aot/operator.jar"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
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
      var java = root.resolve("opt/java/bin/java");
      var store = AotCacheStore.inUserCache();
      var key = trainingKey(work.resolve("archive"), flags, agents);
      var started = System.nanoTime();
      var reused = store.find(key).filter(stored -> loads(java, flags, launch, stored, cache));
      if (reused.isEmpty()) {
        var log = work.resolve("training.log");
        try {
          AotTraining.train(java, flags, launch, true, Map.of(), cache, agents, log);
        } catch (RuntimeException e) {
          System.err.println(Files.readString(log));
          throw e;
        }
        store.store(key, cache);
      }
      var options = new ArrayList<>(LEAN_OPTIONS);
      options.add("-XX:AOTCache=" + APP + "/aot/operator.aot");
      Files.writeString(aot.resolve("jvm.options"), String.join("\n", options) + "\n");
      log(
          "Java %d runtime: AOT cache %s (%d MiB), %s on %d agents, in %d s; options %s",
          feature,
          cache,
          Files.size(cache) >> 20,
          reused.isPresent()
              ? "reused (same image and training: " + key + ") from training"
              : "trained",
          agents,
          (System.nanoTime() - started) / 1_000_000_000L,
          options);
    } finally {
      delete(work);
    }
  }

  /**
   * What the cache depends on: the untrained image (its manifest and config, which name each layer
   * by content digest), the training JVM's flags, the fleet size and the training code.
   */
  static String trainingKey(Path archive, List<String> flags, int agents) throws IOException {
    var parts = new ArrayList<byte[]>();
    parts.add(Files.readAllBytes(archive.resolve("manifest.json")));
    parts.add(Files.readAllBytes(archive.resolve("config.json")));
    parts.add((String.join("\n", flags) + "\nagents=" + agents).getBytes(UTF_8));
    parts.addAll(AotCacheStore.trainingClasses());
    return AotCacheStore.key(parts);
  }

  /**
   * Whether the stored cache maps for this image's java and flags with {@code -XX:AOTMode=on} (a
   * JVM that cannot use it does not start); if so it is left at {@code target}. This does not check
   * the class path: JDK 25.0.3 maps a cache even after a jar on it changed size (seen here), so
   * what makes a reused cache right for this image is the key, which covers every layer's content.
   */
  static boolean loads(
      Path java, List<String> flags, List<String> launch, Path stored, Path target) {
    try {
      Files.copy(stored, target, StandardCopyOption.REPLACE_EXISTING);
      var command = new ArrayList<String>();
      command.add(java.toString());
      command.addAll(flags);
      command.add("-XX:AOTCache=" + target);
      command.add("-XX:AOTMode=on");
      command.addAll(launch.subList(0, launch.size() - 1)); // -cp <class path>, no main class
      command.add("-version");
      var p = new ProcessBuilder(command).redirectErrorStream(true).start();
      var output = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (p.waitFor() == 0) {
        return true;
      }
      log("stored AOT cache %s does not load, training again: %s", stored, output.strip());
    } catch (IOException e) {
      log("stored AOT cache %s cannot be checked, training again: %s", stored, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      log("cannot delete %s: %s", target, e);
    }
    return false;
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

  /** The class path with {@code jar} where its first directory was, and no directory. */
  static String withJar(String classpath, String jar) {
    var out = new ArrayList<String>();
    for (var entry : classpath.split(":")) {
      if (entry.endsWith(".jar")) {
        out.add(entry);
      } else if (!out.contains(jar)) {
        out.add(jar);
      }
    }
    return String.join(":", out);
  }

  /**
   * The class path's directories (under {@code root}) as one jar, reproducibly: sorted entries, a
   * fixed time; a path in two directories is taken from the first, as the class loader would.
   */
  static void writeJar(Path root, String classpath, Path jar) throws IOException {
    var seen = new java.util.HashSet<String>();
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      for (var entry : classpath.split(":")) {
        if (entry.endsWith(".jar")) {
          continue;
        }
        var dir = root.resolve(entry.substring(1));
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> files;
        try (var walk = Files.walk(dir)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (var file : files) {
          var name = dir.relativize(file).toString();
          // directory entries too: a resource lookup of a directory needs them, as in any jar
          for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            var parent = name.substring(0, slash + 1);
            if (seen.add(parent)) {
              var e = new java.util.jar.JarEntry(parent);
              e.setTime(1000);
              out.putNextEntry(e);
              out.closeEntry();
            }
          }
          if (seen.add(name)) {
            var e = new java.util.jar.JarEntry(name);
            e.setTime(1000);
            out.putNextEntry(e);
            out.write(Files.readAllBytes(file));
            out.closeEntry();
          }
        }
      }
    }
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
