package io.atomizer.operator.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * kube-controller-manager with only the controllers the operator's guarantees depend on: the
 * garbage collector (owner references: a pod, or a claim with retainOnDelete=false, goes with its
 * agent), the PersistentVolume binder (claims really move from Pending to Bound), and claim and
 * volume protection (a claim in use by a pod is not removed under it).
 */
final class ControllerManager {

  static final List<String> CONTROLLERS =
      List.of(
          "garbage-collector-controller",
          "persistentvolume-binder-controller",
          "persistentvolumeclaim-protection-controller",
          "persistentvolume-protection-controller",
          "namespace-controller");

  private final Process process;

  private ControllerManager(Process process) {
    this.process = process;
  }

  static Optional<ControllerManager> startIfPresent(Path binaries, Path kubeconfig) {
    var binary = binaries.resolve("kube-controller-manager");
    if (!Files.isExecutable(binary)) {
      System.err.println(
          "E2E: " + binary + " is missing; running without garbage collection and volume binding");
      return Optional.empty();
    }
    try {
      var log = Files.createTempFile("kube-controller-manager-", ".log").toFile();
      var process =
          new ProcessBuilder(
                  binary.toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--controllers=" + String.join(",", CONTROLLERS),
                  "--use-service-account-credentials=false",
                  "--leader-elect=false",
                  "--secure-port=0",
                  "--concurrent-gc-syncs=5")
              .redirectErrorStream(true)
              .redirectOutput(log)
              .start();
      if (!process.waitFor(2, TimeUnit.SECONDS) || process.isAlive()) {
        return Optional.of(new ControllerManager(process));
      }
      System.err.println(
          "E2E: kube-controller-manager exited with " + process.exitValue() + ", see " + log);
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
