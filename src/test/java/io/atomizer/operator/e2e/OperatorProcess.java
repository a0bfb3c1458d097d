package io.atomizer.operator.e2e;

import io.atomizer.operator.AtomizerOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a separate JVM, started the way a container starts it: the shaded jar (built by
 * {@code mvn package}, which runs before the integration tests), else the test classpath, with a
 * kubeconfig and settings in the environment. Separate processes are needed where the operator may
 * end its own JVM (JOSDK exits when it loses the leader Lease) or must be killed.
 */
final class OperatorProcess implements AutoCloseable {

  static final Path JAR = Path.of("target/atomizer-operator.jar");

  private final String name;
  private final Process process;
  private final Path log;

  private OperatorProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts an operator named {@code name} (its POD_NAME) against {@code kubeconfig}. */
  static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env) {
    var command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the chart's JVM flags, and a small heap: two of these share the test machine
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx192m",
                "-Xss512k"));
    if (Files.isRegularFile(JAR)) {
      command.addAll(List.of("-jar", JAR.toString()));
    } else {
      command.addAll(
          List.of("-cp", System.getProperty("java.class.path"), AtomizerOperator.class.getName()));
    }
    try {
      var log = Files.createTempFile("atomizer-operator-" + name + "-", ".log");
      var builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().remove("KUBERNETES_SERVICE_HOST");
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("POD_NAME", name);
      builder.environment().put("ATOMIZER_HTTP_PORT", "0");
      builder.environment().put("ATOMIZER_DISCORD_VERIFY", "false");
      builder.environment().putAll(env);
      return new OperatorProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  /** The user agent its requests carry (see AtomizerOperator.userAgent). */
  String userAgent() {
    return AtomizerOperator.USER_AGENT + " (" + name + ")";
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kill -9: no shutdown hook, no lease release, as when a node dies. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM, as the kubelet sends it. */
  void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to end; true when it did. */
  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
