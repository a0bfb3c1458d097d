package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.HostileCorpus;
import io.atomizer.operator.support.HostileCorpus.Case;
import io.atomizer.operator.support.HostileCorpus.Outcome;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server's half of the hostile-input corpus, against the real kube-apiserver: a manifest
 * marked rejected must fail {@code kubectl apply --server-side} with an error naming the field;
 * every other one must be accepted, so that the operator (tested on its half in
 * it/HostileInputTest) is what answers it.
 */
@Tag("apiserver")
class HostileInputIT {

  static final String NAMESPACE = "hostile";
  static Kubectl kubectl;

  @BeforeAll
  static void installCrd() {
    kubectl = RealCluster.get().kubectl();
    E2eSetup.installCrd(kubectl);
    kubectl.run("create", "namespace", NAMESPACE);
  }

  static Stream<Case> corpus() {
    return HostileCorpus.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void apiServerRejectsWhatTheSchemaCatchesAndAdmitsTheRest(Case hostile) {
    var result =
        kubectl.run(
            "apply",
            "--server-side",
            "--dry-run=server",
            "-n",
            NAMESPACE,
            "-f",
            hostile.file().toString());
    if (hostile.outcome() == Outcome.REJECTED) {
      assertFalse(result.ok(), "the API server accepted " + hostile.file() + ": " + result);
      assertTrue(
          result.stderr().contains(hostile.detail()),
          hostile.file()
              + " should be rejected naming '"
              + hostile.detail()
              + "': "
              + brief(result.stderr()));
      System.out.printf("%-40s rejected: %s%n", hostile.name(), brief(result.stderr()));
    } else {
      assertTrue(
          result.ok(), hostile.file() + " should pass the schema: " + brief(result.stderr()));
    }
  }

  private static String brief(String text) {
    var line = text.strip().replace('\n', ' ');
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }
}
