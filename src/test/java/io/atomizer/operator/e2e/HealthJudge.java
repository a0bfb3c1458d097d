package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How Flux and Argo CD judge an object: {@code health-judge} (e2e/kstatus/, built by {@code
 * e2e/build-health-judge.sh}) runs sigs.k8s.io/cli-utils' {@code status.Compute} and the shipped
 * Argo CD health script in gopher-lua, Argo CD's Lua engine. One process judges a whole batch.
 */
final class HealthJudge {

  static final Path ARGOCD_HEALTH_LUA = Path.of("examples/gitops/argocd/health.lua");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What kstatus and the Argo CD health script say of one object. */
  record Verdict(
      String kstatus, String kstatusMessage, String argocd, String argocdMessage, String error) {}

  private HealthJudge() {}

  /** Where the build script installs the binary. */
  static Path binary() {
    var cache = System.getenv("ATOMIZER_CACHE_DIR");
    var root =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "atomizer");
    return root.resolve("health-judge").resolve("health-judge");
  }

  /** One verdict per object (JSON), in order. */
  static List<Verdict> judge(List<String> objects) {
    var binary = binary();
    assertTrue(
        Files.isExecutable(binary),
        binary + " is missing: build it with 'bash e2e/build-health-judge.sh' (needs Go)");
    try {
      var process =
          new ProcessBuilder(binary.toString(), "-lua", ARGOCD_HEALTH_LUA.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      // the verdicts are few lines, so writing everything before reading cannot fill a pipe
      try (var in = process.getOutputStream()) {
        for (var object : objects) {
          in.write((object.replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      var verdicts = new ArrayList<Verdict>();
      for (var line : new String(process.getInputStream().readAllBytes()).split("\n")) {
        if (!line.isBlank()) {
          verdicts.add(JSON.readValue(line, Verdict.class));
        }
      }
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "health-judge did not finish");
      assertEquals(0, process.exitValue(), "health-judge failed");
      assertEquals(objects.size(), verdicts.size(), "one verdict per object");
      return verdicts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
