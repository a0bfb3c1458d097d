package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every script under k3s/ and e2e/ passes shellcheck (installed in CI with apt-get install
 * shellcheck) and is executable. In CI a missing shellcheck fails the test instead of skipping it.
 */
class ShellScriptsTest {

  private static final List<Path> ROOTS = List.of(Scripts.K3S, Path.of("e2e").toAbsolutePath());

  private static List<Path> scripts() throws IOException {
    var scripts = new ArrayList<Path>();
    for (var root : ROOTS) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(scripts::add);
      }
    }
    return scripts;
  }

  @Test
  void everyScriptPassesShellcheck() throws IOException {
    var shellcheck = Scripts.onPath("shellcheck");
    if (shellcheck == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("shellcheck is not installed; .ci/run installs it with apt-get install -y shellcheck");
      }
      System.err.println(
          "SKIPPED ShellScriptsTest: shellcheck is not installed (apt-get install -y shellcheck)");
      Assumptions.abort("shellcheck not installed");
    }
    var scripts = scripts();
    assertTrue(scripts.size() >= 6, "expected the k3s and e2e scripts, found " + scripts);
    var command = new ArrayList<String>(List.of(shellcheck.toString(), "--external-sources"));
    scripts.forEach(s -> command.add(s.toString()));

    var run = Scripts.exec(Map.of(), command);

    assertEquals(0, run.exitCode(), run::toString);
  }

  @Test
  void everyScriptIsExecutable() throws IOException {
    var notExecutable =
        scripts().stream()
            .filter(f -> !f.getParent().getFileName().toString().equals("lib")) // sourced, not run
            .filter(f -> !Files.isExecutable(f))
            .toList();
    assertEquals(List.of(), notExecutable);
  }
}
