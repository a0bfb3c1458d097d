package io.atomizer.operator.chaos;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Records every event of every managed pod, every claim and every agent, each stream in the API
 * server's order, as compact facts (not whole objects, so that a 30-minute soak fits in memory).
 * The recorder watches with the harness's client, which no fault touches.
 */
final class ClusterRecorder implements AutoCloseable {

  /** One pod event; {@code agent} is namespace/name from the pod's labels. */
  record PodRecord(
      long at,
      String action,
      String namespace,
      String name,
      String uid,
      String agent,
      String fingerprint,
      boolean terminating) {}

  /** One claim event, with the uids of the claim's AtomizerAgent owners. */
  record ClaimRecord(
      long at,
      String action,
      String namespace,
      String name,
      String uid,
      List<String> ownerUids,
      boolean terminating) {}

  /** One agent event: its generation, status.observedGeneration and the state-keeping choice. */
  record AgentRecord(
      long at,
      String action,
      String namespace,
      String name,
      String uid,
      long generation,
      Long observedGeneration,
      boolean retained,
      boolean suspended) {}

  private final List<PodRecord> pods = new CopyOnWriteArrayList<>();
  private final List<ClaimRecord> claims = new CopyOnWriteArrayList<>();
  private final List<AgentRecord> agents = new CopyOnWriteArrayList<>();
  private final List<String> closedWatches = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  ClusterRecorder(KubernetesClient client) {
    watches.add(
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .watch(recording("pods", pods, ClusterRecorder::pod)));
    watches.add(
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
            .watch(recording("claims", claims, ClusterRecorder::claim)));
    watches.add(
        client
            .resources(AtomizerAgent.class)
            .inAnyNamespace()
            .watch(recording("agents", agents, ClusterRecorder::agent)));
  }

  List<PodRecord> pods() {
    return List.copyOf(pods);
  }

  List<ClaimRecord> claims() {
    return List.copyOf(claims);
  }

  List<AgentRecord> agents() {
    return List.copyOf(agents);
  }

  /** Watches that ended early: the record of those streams is incomplete. */
  List<String> closedWatches() {
    return List.copyOf(closedWatches);
  }

  int size() {
    return pods.size() + claims.size() + agents.size();
  }

  private <T extends HasMetadata, R> Watcher<T> recording(
      String stream, List<R> into, RecordMaker<T, R> make) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T object) {
        into.add(make.make(System.nanoTime(), action.name(), object));
      }

      @Override
      public void onClose(WatcherException cause) {
        closedWatches.add(stream + ": " + cause);
      }
    };
  }

  @FunctionalInterface
  private interface RecordMaker<T, R> {
    R make(long at, String action, T object);
  }

  private static PodRecord pod(long at, String action, Pod pod) {
    var meta = pod.getMetadata();
    var agent = Labels.agentOf(pod);
    return new PodRecord(
        at,
        action,
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        agent == null ? null : meta.getNamespace() + "/" + agent.getName(),
        Labels.fingerprintOf(pod),
        pod.isMarkedForDeletion());
  }

  private static ClaimRecord claim(long at, String action, PersistentVolumeClaim claim) {
    var meta = claim.getMetadata();
    return new ClaimRecord(
        at,
        action,
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        agentOwners(claim, OwnerReference::getUid),
        claim.isMarkedForDeletion());
  }

  private static AgentRecord agent(long at, String action, AtomizerAgent agent) {
    var meta = agent.getMetadata();
    var spec = agent.getSpec();
    return new AgentRecord(
        at,
        action,
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        meta.getGeneration() == null ? 0 : meta.getGeneration(),
        agent.getStatus() == null ? null : agent.getStatus().getObservedGeneration(),
        spec == null || spec.getState() == null || spec.getState().retained(),
        spec != null && Boolean.TRUE.equals(spec.getSuspend()));
  }

  static <T> List<T> agentOwners(HasMetadata object, Function<OwnerReference, T> what) {
    var owners = object.getMetadata().getOwnerReferences();
    return owners == null
        ? List.of()
        : owners.stream().filter(o -> "AtomizerAgent".equals(o.getKind())).map(what).toList();
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
