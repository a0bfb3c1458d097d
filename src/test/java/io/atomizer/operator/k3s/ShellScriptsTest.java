package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every script under k3s/ passes shellcheck (installed in CI with apt-get install shellcheck). */
class ShellScriptsTest {

  @Test
  void everyK3sScriptPassesShellcheck() throws IOException {
    var shellcheck = Scripts.onPath("shellcheck");
    if (shellcheck == null) {
      System.err.println(
          "SKIPPED ShellScriptsTest: shellcheck is not installed (apt-get install -y shellcheck)");
      Assumptions.abort("shellcheck not installed");
    }
    List<Path> scripts;
    try (Stream<Path> files = Files.list(Scripts.K3S)) {
      scripts = files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
    }
    assertTrue(scripts.size() >= 4, "expected the k3s scripts, found " + scripts);
    var command = new ArrayList<String>(List.of(shellcheck.toString(), "--external-sources"));
    scripts.forEach(s -> command.add(s.toString()));

    var run = Scripts.exec(Map.of(), command);

    assertEquals(0, run.exitCode(), run::toString);
  }

  @Test
  void everyK3sScriptIsExecutable() throws IOException {
    try (Stream<Path> files = Files.list(Scripts.K3S)) {
      var notExecutable =
          files
              .filter(f -> f.toString().endsWith(".sh"))
              .filter(f -> !Files.isExecutable(f))
              .toList();
      assertEquals(List.of(), notExecutable);
    }
  }
}
