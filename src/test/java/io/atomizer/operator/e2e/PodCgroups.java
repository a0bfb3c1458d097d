package io.atomizer.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real node's pod cgroups (cgroupfs driver, under {@code atomizer-e2e} in every hierarchy; see
 * e2e/real-node.sh): a pod's folder is {@code pod<uid>} below {@code kubepods}.
 */
final class PodCgroups {

  static final String PARENT = "atomizer-e2e";

  private PodCgroups() {}

  /** The memory hierarchy's root: cgroup v1's memory controller, else the unified one. */
  static Path memoryRoot() {
    var v1 = Path.of("/sys/fs/cgroup/memory");
    return Files.isDirectory(v1.resolve(PARENT)) ? v1 : Path.of("/sys/fs/cgroup");
  }

  /** The pod's folder in the memory hierarchy, once the kubelet made it. */
  static Optional<Path> pod(String uid) {
    var name = "pod" + uid;
    try (var walk = Files.walk(memoryRoot().resolve(PARENT), 4)) {
      return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** A process of the pod (its sandbox's pause process, or any container's), if one runs yet. */
  static Optional<Long> anyProcess(String uid) {
    var pod = pod(uid);
    if (pod.isEmpty()) {
      return Optional.empty();
    }
    try (var walk = Files.walk(pod.get(), 2)) {
      return walk.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
          .flatMap(
              p -> {
                try {
                  return Files.readAllLines(p).stream();
                } catch (IOException e) {
                  return java.util.stream.Stream.empty();
                }
              })
          .filter(l -> !l.isBlank())
          .map(Long::parseLong)
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }
}
