package io.atomizer.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A separate JVM (the operator's, or the baseline's first-request program), with its memory and CPU
 * read from /proc and its heap from jcmd.
 */
final class JvmProcess implements AutoCloseable {

  private static final Pattern HEAP_USED =
      Pattern.compile("(?:generation|heap|DefNew|Tenured)\\s+total \\d+K, used (\\d+)K");
  private static final long CLOCK_TICKS = clockTicks();

  /** Peak and current resident set (VmHWM, VmRSS) in KiB, and utime+stime in seconds. */
  record Usage(long peakRssKib, long rssKib, double cpuSeconds) {
    double peakMib() {
      return peakRssKib / 1024.0;
    }
  }

  /** Heap in use after a full GC, and metaspace, in KiB. */
  record Heap(long usedKib, long metaspaceKib) {}

  private final Process process;
  private final Instant startedAt;
  private final Path java;
  private Usage last = new Usage(0, 0, 0);

  private JvmProcess(Process process, Instant startedAt, Path java) {
    this.process = process;
    this.startedAt = startedAt;
    this.java = java;
  }

  /** Starts {@code java <jvmFlags> <launch...>} with KUBECONFIG, output to {@code log}. */
  static JvmProcess start(List<String> jvmFlags, List<String> launch, Path kubeconfig, Path log) {
    return start(thisJava(), jvmFlags, launch, kubeconfig, log, Map.of());
  }

  /** The java of this JVM. */
  static Path thisJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * The same with another java, and further environment variables (for example MALLOC_ARENA_MAX).
   */
  static JvmProcess start(
      Path java,
      List<String> jvmFlags,
      List<String> launch,
      Path kubeconfig,
      Path log,
      Map<String, String> env) {
    var command = new ArrayList<String>();
    command.add(java.toString());
    command.addAll(jvmFlags);
    command.addAll(launch);
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      var startedAt = Instant.now();
      return new JvmProcess(builder.start(), startedAt, java);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  Instant startedAt() {
    return startedAt;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Memory and CPU now; the last reading once the process has exited. */
  synchronized Usage usage() {
    if (!process.isAlive()) {
      return last;
    }
    try {
      var status = Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"));
      long hwm = kib(status, "VmHWM:");
      long rss = kib(status, "VmRSS:");
      var stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
      // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      last = new Usage(hwm, rss, ticks / (double) CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      // exited between the check and the read: keep the last reading
    }
    return last;
  }

  private static long kib(List<String> status, String key) {
    return status.stream()
        .filter(l -> l.startsWith(key))
        .map(l -> l.substring(key.length()).replace("kB", "").strip())
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  /** Runs a full GC through jcmd and reads the heap in use afterwards. */
  Heap heapAfterFullGc() {
    jcmd("GC.run");
    var info = jcmd("GC.heap_info");
    long used = 0;
    var m = HEAP_USED.matcher(info);
    while (m.find()) {
      used += Long.parseLong(m.group(1));
    }
    var meta = Pattern.compile("Metaspace\\s+used (\\d+)K").matcher(info);
    return new Heap(used, meta.find() ? Long.parseLong(meta.group(1)) : 0);
  }

  String jcmd(String command) {
    // the JVM's own jcmd when its java has one (a jlinked runtime has none)
    var own = java.resolveSibling("jcmd");
    var jcmd =
        (Files.isExecutable(own) ? own : Path.of(System.getProperty("java.home"), "bin", "jcmd"))
            .toString();
    try {
      var p =
          new ProcessBuilder(jcmd, String.valueOf(pid()), command)
              .redirectErrorStream(true)
              .start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("jcmd " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the process to exit by itself. */
  boolean waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** SIGTERM, as the kubelet stops a pod; forcibly after 30 s. */
  @Override
  public void close() {
    stop(30);
  }

  /** SIGTERM; forcibly after {@code seconds} (an AOT training run writes its cache at exit). */
  void stop(long seconds) {
    usage();
    process.destroy();
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static long clockTicks() {
    try {
      var p = new ProcessBuilder("getconf", "CLK_TCK").start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
