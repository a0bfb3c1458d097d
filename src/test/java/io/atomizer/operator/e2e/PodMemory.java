package io.atomizer.operator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pod's memory as its cgroup on the real node charges it (what the kubelet and the OOM killer
 * see), all processes of all its containers together.
 *
 * @param usage now (v1 memory.usage_in_bytes, v2 memory.current; includes page cache)
 * @param maxUsage the peak since the pod started (v1 memory.max_usage_in_bytes, v2 memory.peak)
 * @param limit the pod's limit
 * @param rss anonymous memory now (v1 total_rss, v2 anon in memory.stat)
 */
record PodMemory(long usage, long maxUsage, long limit, long rss) {

  static PodMemory of(Pod pod) {
    var uid = pod.getMetadata().getUid();
    var dir =
        PodCgroups.pod(uid)
            .orElseThrow(() -> new IllegalStateException("no cgroup for pod " + uid));
    try {
      if (Files.exists(dir.resolve("memory.usage_in_bytes"))) {
        return new PodMemory(
            number(dir, "memory.usage_in_bytes"),
            number(dir, "memory.max_usage_in_bytes"),
            number(dir, "memory.limit_in_bytes"),
            stat(dir, "total_rss"));
      }
      return new PodMemory(
          number(dir, "memory.current"),
          number(dir, "memory.peak"),
          number(dir, "memory.max"),
          stat(dir, "anon"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long number(Path dir, String file) throws IOException {
    var text = Files.readString(dir.resolve(file)).strip();
    return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
  }

  private static long stat(Path dir, String key) throws IOException {
    return Files.readAllLines(dir.resolve("memory.stat")).stream()
        .filter(l -> l.startsWith(key + " "))
        .mapToLong(l -> Long.parseLong(l.substring(key.length() + 1).strip()))
        .findFirst()
        .orElse(-1);
  }

  @Override
  public String toString() {
    return "usage %d MiB, peak %d MiB, limit %d MiB, rss %d MiB"
        .formatted(usage >> 20, maxUsage >> 20, limit >> 20, rss >> 20);
  }
}
