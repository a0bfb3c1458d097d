package io.atomizer.operator.support;

import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every event of every managed pod, in the API server's order, and answers questions over
 * the whole history: did two pods of one agent, or with one token, ever exist at the same time?
 */
public final class PodEventRecorder implements AutoCloseable {

  /** One pod event. */
  public record PodEvent(
      String action,
      String namespace,
      String name,
      String uid,
      String agent,
      String fingerprint,
      boolean terminating) {}

  private final List<PodEvent> events = new CopyOnWriteArrayList<>();
  private final Watch watch;

  public PodEventRecorder(KubernetesClient client) {
    watch =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    var agent = Labels.agentOf(pod);
                    events.add(
                        new PodEvent(
                            action.name(),
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            pod.getMetadata().getUid(),
                            agent == null
                                ? null
                                : pod.getMetadata().getNamespace() + "/" + agent.getName(),
                            Labels.fingerprintOf(pod),
                            pod.isMarkedForDeletion()));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  public List<PodEvent> events() {
    return List.copyOf(events);
  }

  /** The largest number of pods that existed at once for any one agent. */
  public int maxPodsPerAgent() {
    return maxAtOnce(PodEvent::agent);
  }

  /** The largest number of pods that existed at once carrying any one token fingerprint. */
  public int maxPodsPerToken() {
    return maxAtOnce(PodEvent::fingerprint);
  }

  /** How many distinct pods (by uid) ever existed for {@code namespace/agent}. */
  public int podsCreatedFor(String namespace, String agent) {
    Set<String> uids = new HashSet<>();
    events.stream()
        .filter(e -> e.action().equals("ADDED") && (namespace + "/" + agent).equals(agentKey(e)))
        .forEach(e -> uids.add(e.uid()));
    return uids.size();
  }

  private static String agentKey(PodEvent e) {
    return e.namespace() + "/" + e.name();
  }

  private int maxAtOnce(java.util.function.Function<PodEvent, String> key) {
    Map<String, Set<String>> alive = new HashMap<>();
    int max = 0;
    for (var e : new ArrayList<>(events)) {
      var k = key.apply(e);
      if (k == null) {
        continue;
      }
      var set = alive.computeIfAbsent(k, x -> new HashSet<>());
      if (e.action().equals("DELETED")) {
        set.remove(e.uid());
      } else {
        set.add(e.uid());
      }
      max = Math.max(max, set.size());
    }
    return max;
  }

  @Override
  public void close() {
    watch.close();
  }
}
