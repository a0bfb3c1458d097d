package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps every end-to-end class shares. */
final class E2eSetup {

  private E2eSetup() {}

  /** Installs crds/ as a user would, and waits until the API serves it. */
  static void installCrd(Kubectl kubectl) {
    var apply = kubectl.run("apply", "--server-side", "-f", "crds/");
    assertTrue(apply.ok(), apply.toString());
    var wait =
        kubectl.run(
            "wait",
            "--for=condition=Established",
            "crd/atomizeragents.atomizer.io",
            "--timeout=60s");
    assertTrue(wait.ok(), wait.toString());
  }
}
