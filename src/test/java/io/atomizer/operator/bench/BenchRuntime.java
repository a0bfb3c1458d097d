package io.atomizer.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Java runtime one column of the benchmark runs on: which java, with which flags for the
 * operator and for the baseline. The chart's flags are common to all; a runtime of JDK 24 or later
 * adds the image's lean flags (compact object headers, an AOT cache trained on a mock fleet) unless
 * its label says otherwise: {@code 17}, {@code 25} (lean), {@code 25-plain} (the chart's flags
 * only), {@code 25-coh} (compact headers, no AOT cache), {@code 25-aot} (AOT cache only).
 */
record BenchRuntime(
    String label,
    Path java,
    String version,
    List<String> operatorFlags,
    List<String> baselineFlags,
    boolean compactHeaders,
    boolean aotCache) {

  /** What the image adds on JDK 24+ (k3s/build-base-image.sh, JDK_JAVA_OPTIONS of the image). */
  static final List<String> LEAN_FLAGS = List.of("-XX:+UseCompactObjectHeaders");

  /** The runtime a label names, with the chart's flags {@code common}. */
  static BenchRuntime of(String label, List<String> common, Optional<Path> java25) {
    var feature = Integer.parseInt(label.split("-", 2)[0]);
    var variant = label.contains("-") ? label.substring(label.indexOf('-') + 1) : "lean";
    Path home = feature == 17 ? jdk17() : java25.orElseGet(() -> newestJdk(feature));
    var java = home.resolve("bin/java");
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("no java " + feature + " at " + home);
    }
    boolean coh = feature >= 24 && (variant.equals("lean") || variant.equals("coh"));
    boolean aot = feature >= 24 && (variant.equals("lean") || variant.equals("aot"));
    var flags = new ArrayList<>(common);
    if (coh) {
      flags.addAll(LEAN_FLAGS);
    }
    return new BenchRuntime(
        label, java, version(home), List.copyOf(flags), List.copyOf(flags), coh, aot);
  }

  /** The same runtime with its AOT caches in use. */
  BenchRuntime withCaches(Path operatorCache, Path baselineCache) {
    var op = new ArrayList<>(operatorFlags);
    op.add("-XX:AOTCache=" + operatorCache);
    var base = new ArrayList<>(baselineFlags);
    base.add("-XX:AOTCache=" + baselineCache);
    return new BenchRuntime(
        label, java, version, List.copyOf(op), List.copyOf(base), compactHeaders, aotCache);
  }

  /** JDK 17: this JVM's when it is one, else Debian's. */
  static Path jdk17() {
    var home = Path.of(System.getProperty("java.home"));
    return Runtime.version().feature() == 17 ? home : newestJdk(17);
  }

  /** The JDK in /usr/lib/jvm whose release file says JAVA_VERSION="feature...". */
  static Path newestJdk(int feature) {
    try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(
              h ->
                  version(h).equals(String.valueOf(feature))
                      || version(h).startsWith(feature + "."))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(() -> new IllegalStateException("no JDK " + feature + " in /usr/lib/jvm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JAVA_VERSION of a Java home's release file. */
  static String version(Path home) {
    try {
      return Files.readAllLines(home.resolve("release")).stream()
          .filter(l -> l.startsWith("JAVA_VERSION="))
          .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
