package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRD as users install it, and bad agents rejected by the API server at apply time. */
class CrdValidationIT {

  static Kubectl kubectl;

  @BeforeAll
  static void installCrd() {
    kubectl = RealCluster.get().kubectl();
    E2eSetup.installCrd(kubectl);
  }

  @Test
  void kubectlApplyOfCrdsEstablishesTheCrd() {
    E2eSetup.installCrd(kubectl); // idempotent: applying crds/ again is how users upgrade it
    var names = kubectl.run("api-resources", "--api-group=atomizer.io", "-o", "wide");
    assertTrue(names.stdout().contains("atomizeragents"), names.toString());
    assertTrue(names.stdout().contains("atomizer"), "category shown: " + names.stdout());
  }

  @Test
  void theTeamsExamplesPassServerSideValidation() {
    var namespace = kubectl.run("apply", "--server-side", "-f", "examples/namespace.yaml");
    assertTrue(namespace.ok(), namespace.toString());
    var apply = kubectl.run("apply", "--server-side", "--dry-run=server", "-k", "examples/");
    assertTrue(apply.ok(), apply.toString());
    for (var agent : Agents.TEAM) {
      assertTrue(
          apply.stdout().contains("atomizeragent.atomizer.io/" + agent + " serverside-applied"),
          apply.stdout());
    }
  }

  static Stream<Path> invalidAgents() throws IOException {
    return Files.list(Path.of("src/test/resources/invalid-agents")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidAgents")
  void invalidAgentIsRejectedWithAMessageNamingTheField(Path manifest) throws IOException {
    var expected = Files.readAllLines(manifest).get(0).replaceFirst("^# expect: ", "").strip();
    var result =
        kubectl.run(
            "apply",
            "--server-side",
            "--dry-run=server",
            "-n",
            "default",
            "-f",
            manifest.toString());
    assertFalse(result.ok(), "the API server accepted " + manifest + ": " + result);
    assertTrue(
        result.stderr().contains(expected),
        manifest + " should be rejected naming '" + expected + "': " + result.stderr());
  }
}
