package io.atomizer.operator.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A plain test whose tool is missing from the machine (mkfifo, setpriv): in CI ({@code CI=true}) it
 * fails with the reason, so a broken machine never passes as "skipped"; elsewhere it is skipped
 * with one loud line. The tiers that need Go or root use {@code e2e.E2ePrerequisites}.
 */
public final class Prerequisites {

  private Prerequisites() {}

  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Never returns: fails (CI) or aborts the calling test. */
  public static RuntimeException missing(String what, String reason) {
    var message = what + " NOT TESTED: " + reason;
    if (!ci()) {
      System.err.println("\n!!!!! SKIPPED: " + message + "\n");
      Assumptions.abort(message);
    }
    return Assertions.<RuntimeException>fail(message);
  }
}
