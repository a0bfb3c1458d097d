package io.atomizer.operator.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a tier that needs more than a JVM (the end-to-end tiers, the image's own java, the migration
 * against a real API server) does when a prerequisite (a binary, root) is missing: in CI ({@code
 * CI=true}) the test fails with the reason, so a broken set-up can never pass as "skipped"; on a
 * developer's machine without Go (nothing could have built the binaries) or without root it is
 * skipped with one loud line; with Go present it fails, because {@code mvn verify} builds them.
 */
public final class E2ePrerequisites {

  private E2ePrerequisites() {}

  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Never returns: fails or aborts the calling test. */
  public static RuntimeException missing(String what, String reason) {
    return missing(what, reason, null);
  }

  /** Never returns: fails or aborts the calling test; {@code cause} (may be null) is kept. */
  public static RuntimeException missing(String what, String reason, Throwable cause) {
    var message = what + " unavailable: " + reason;
    if (!ci() && (!onPath("go") || !root())) {
      System.err.println("\n!!!!! E2E SKIPPED: " + message + "\n");
      Assumptions.abort(message);
    }
    return Assertions.<RuntimeException>fail(message, cause);
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  static boolean onPath(String name) {
    var path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (var dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
