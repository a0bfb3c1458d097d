package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

/** The OpenClaw image of e2e/agent-image/build-openclaw-image.sh (cached; built when missing). */
final class OpenClawImage {

  private OpenClawImage() {}

  /** The image's OCI tarball, or with {@code rootfs} its unpacked root filesystem. */
  static String build(boolean rootfs) throws IOException, InterruptedException {
    var command =
        rootfs
            ? new ProcessBuilder("e2e/agent-image/build-openclaw-image.sh", "--print-rootfs")
            : new ProcessBuilder("e2e/agent-image/build-openclaw-image.sh");
    var build = command.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    var out = new String(build.getInputStream().readAllBytes()).trim();
    assertEquals(0, build.waitFor(), "build-openclaw-image.sh failed; see its output above");
    return out;
  }
}
