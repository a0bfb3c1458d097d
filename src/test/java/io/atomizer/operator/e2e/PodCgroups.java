package io.atomizer.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

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
    return find(memoryRoot().resolve(PARENT), "pod" + uid);
  }

  /**
   * The CPU time all of the pod's processes have used so far (cgroup v1 cpuacct.usage, v2 cpu.stat
   * usage_usec), or -1 before the kubelet made its cgroup.
   */
  static long cpuNanos(String uid) {
    var v1 = Path.of("/sys/fs/cgroup/cpuacct");
    var v1Pod = find(v1.resolve(PARENT), "pod" + uid);
    try {
      if (v1Pod.isPresent()) {
        return Long.parseLong(Files.readString(v1Pod.get().resolve("cpuacct.usage")).strip());
      }
      var v2Pod = find(Path.of("/sys/fs/cgroup").resolve(PARENT), "pod" + uid);
      if (v2Pod.isPresent()) {
        return Files.readAllLines(v2Pod.get().resolve("cpu.stat")).stream()
            .filter(l -> l.startsWith("usage_usec "))
            .mapToLong(l -> Long.parseLong(l.substring("usage_usec ".length()).strip()) * 1000)
            .findFirst()
            .orElse(-1);
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      // the pod's cgroup went away while read
    }
    return -1;
  }

  private static Optional<Path> find(Path root, String name) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (var walk = Files.walk(root, 4)) {
      return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * The pod's sandbox process (its pause container), in the pod's network namespace for its whole
   * life. Another process of the pod's cgroups may not be there yet: runc puts a container's first
   * process into the cgroup before it joins the pod's namespaces.
   */
  static Optional<Long> sandboxProcess(String uid) {
    return processes(uid)
        .filter(
            pid -> {
              try {
                return Files.readString(Path.of("/proc", pid.toString(), "comm"))
                    .strip()
                    .equals("pause");
              } catch (IOException e) {
                return false; // gone meanwhile
              }
            })
        .findFirst();
  }

  private static Stream<Long> processes(String uid) {
    var pod = pod(uid);
    if (pod.isEmpty()) {
      return Stream.empty();
    }
    try (var walk = Files.walk(pod.get(), 2)) {
      return walk
          .filter(p -> p.getFileName().toString().equals("cgroup.procs"))
          .flatMap(
              p -> {
                try {
                  return Files.readAllLines(p).stream();
                } catch (IOException e) {
                  return Stream.empty();
                }
              })
          .filter(l -> !l.isBlank())
          .map(Long::parseLong)
          .toList()
          .stream();
    } catch (IOException | UncheckedIOException e) {
      return Stream.empty();
    }
  }
}
