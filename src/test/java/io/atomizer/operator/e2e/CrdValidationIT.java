package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The CRD as users install it. Bad agents rejected by the API server at apply time are the
 * hostile-input corpus, checked by {@link HostileInputIT}.
 */
@Tag("apiserver")
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
}
