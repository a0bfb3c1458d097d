package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD as users install it. Bad agents rejected by the API server at apply time are the
 * hostile-input corpus, checked by {@link HostileInputIT}.
 */
class CrdValidationIT {

  static Kubectl kubectl;

  @BeforeAll
  static void installCrd() {
    kubectl = RealCluster.get().kubectl();
    E2eSetup.installCrd(kubectl);
  }

  @Test
  void kubectlApplyOfCrdsEstablishesTheCrd() {
    var apply = kubectl.run("apply", "--server-side", "-f", "crds/");
    assertTrue(apply.ok(), apply.toString());
    var wait =
        kubectl.run(
            "wait",
            "--for=condition=Established",
            "crd/atomizeragents.atomizer.io",
            "--timeout=60s");
    assertTrue(wait.ok(), wait.toString());
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
    for (var agent :
        List.of(
            "manager",
            "tech-lead",
            "secretary",
            "auditor",
            "optimizer",
            "study-builder",
            "nx-expert",
            "webster")) {
      assertTrue(
          apply.stdout().contains("atomizeragent.atomizer.io/" + agent + " serverside-applied"),
          apply.stdout());
    }
  }
}
