package io.atomizer.operator.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary the way a user types it, against the e2e cluster. */
public final class Kubectl {

  /** Exit code and output of one kubectl run. */
  public record Result(int exitCode, String stdout, String stderr, Duration took) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + took.toMillis()
          + "ms\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }

  private final Path binary;
  private final Path kubeconfig;

  public Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /** The kubectl binary, for scripts that run it themselves. */
  public Path binary() {
    return binary;
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code stdin} (may be null) as standard input. */
  public Result runWithInput(String stdin, String... args) {
    var command =
        new ArrayList<String>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    var started = System.nanoTime();
    try {
      var process = new ProcessBuilder(command).start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      var out = readAll(process.getInputStream());
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + args[0] + " hung");
      }
      return new Result(
          process.exitValue(), out, err.join(), Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path kubeconfig() {
    return kubeconfig;
  }
}
