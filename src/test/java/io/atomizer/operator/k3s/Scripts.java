package io.atomizer.operator.k3s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the scripts under k3s/ the way a user would, and captures what they print. */
public final class Scripts {

  static final Path K3S = Path.of("k3s").toAbsolutePath();

  private Scripts() {}

  /** Exit code and combined stdout and stderr of one run. */
  public record Run(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + ":\n" + output;
    }
  }

  public static Run run(Map<String, String> env, String script, String... args) {
    var command = new ArrayList<String>();
    command.add(K3S.resolve(script).toString());
    command.addAll(List.of(args));
    return exec(env, command);
  }

  static Run exec(Map<String, String> env, List<String> command) {
    try {
      var log = Files.createTempFile("k3s-script", ".log");
      try {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(env);
        var process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError(command + " did not finish in 3 minutes");
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The executable {@code name} on PATH, or null. */
  static Path onPath(String name) {
    for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      var candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
