package io.atomizer.operator.token;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Keeps one token in one pod. Before a pod is created, it checks under a per-token lock that no pod
 * of another agent carries the same fingerprint, Terminating pods included. The pod informer is
 * indexed by fingerprint; pods this process created and the informer has not yet delivered are
 * found through the informer's own-write cache.
 */
final class TokenGuard {

  static final String PODS_BY_FINGERPRINT = "atomizer.io/pods-by-fingerprint";

  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, ResourceID> lastCreated = new ConcurrentHashMap<>();
  private InformerEventSource<Pod, AtomizerAgent> pods;

  /** Indexes the pod informer by fingerprint; call before the informer starts. */
  void watch(InformerEventSource<Pod, AtomizerAgent> podSource) {
    this.pods = podSource;
    podSource.addIndexers(
        Map.of(
            PODS_BY_FINGERPRINT,
            p -> Optional.ofNullable(Labels.fingerprintOf(p)).map(List::of).orElse(List.of())));
  }

  /** A pod of another agent that carries {@code fingerprint}, if any exists or is terminating. */
  Optional<Pod> foreignPod(String fingerprint, ResourceID agent) {
    var recent =
        Optional.ofNullable(lastCreated.get(fingerprint)).flatMap(pods::get).stream()
            .filter(p -> fingerprint.equals(Labels.fingerprintOf(p)));
    return Stream.concat(pods.byIndex(PODS_BY_FINGERPRINT, fingerprint).stream(), recent)
        .filter(p -> !agent.equals(Labels.agentOf(p)))
        .findFirst();
  }

  /**
   * Runs {@code create} only while no other agent's pod carries the token, atomically with respect
   * to every other creation of a pod with the same token in this process; otherwise names the pod
   * that holds the token and creates nothing.
   */
  TokenClaim claim(String fingerprint, ResourceID agent, Supplier<Pod> create) {
    synchronized (locks.computeIfAbsent(fingerprint, f -> new Object())) {
      var other = foreignPod(fingerprint, agent);
      if (other.isPresent()) {
        return new TokenClaim.HeldBy(other.get());
      }
      var created = create.get();
      lastCreated.put(fingerprint, ResourceID.fromResource(created));
      return new TokenClaim.Created(created);
    }
  }
}
