package io.atomizer.operator.chaos;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for kube-controller-manager's garbage collector, which the mock API server lacks: when
 * an agent is deleted it deletes the pods and claims whose owner references name that agent's uid,
 * and every second it sweeps up managed objects all of whose agent owners are gone (as the real
 * collector does for owner references it finds dangling). Before deleting a claim it writes down
 * why, so that the chaos suite can tell a legitimate collection from the loss of kept state.
 */
final class GarbageCollector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

  /**
   * Why a claim was collected: its owner's uid, and whether a pod of a newer agent of the claim's
   * name existed at that moment (the claim was then in use by an agent that did not give it up).
   */
  record Collection(String namespace, String claim, String ownerUid, boolean liveAgent) {}

  private final KubernetesClient client;
  private final Map<String, Collection> collected = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-gc"));
  private final SharedIndexInformer<AtomizerAgent> agents;

  GarbageCollector(KubernetesClient client) {
    this.client = client;
    agents =
        client
            .resources(AtomizerAgent.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(AtomizerAgent obj) {}

                  @Override
                  public void onUpdate(AtomizerAgent oldObj, AtomizerAgent newObj) {}

                  @Override
                  public void onDelete(AtomizerAgent agent, boolean finalStateUnknown) {
                    executor.execute(GarbageCollector.this::sweep);
                  }
                });
    executor.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /** Claims collected so far, by claim uid. */
  Map<String, Collection> collected() {
    return Map.copyOf(collected);
  }

  /** Deletes every managed pod and claim none of whose agent owners exists any more. */
  private void sweep() {
    try {
      var pods =
          client
              .pods()
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
              .list()
              .getItems();
      var claims =
          client
              .persistentVolumeClaims()
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
              .list()
              .getItems();
      Stream.concat(pods.stream(), claims.stream())
          .filter(o -> !o.isMarkedForDeletion())
          .forEach(this::collectIfOrphaned);
    } catch (KubernetesClientException | IllegalStateException e) {
      log.debug("garbage collection sweep failed: {}", e.toString());
    }
  }

  private void collectIfOrphaned(HasMetadata object) {
    List<OwnerReference> owners = ClusterRecorder.agentOwners(object, o -> o);
    if (owners.isEmpty() || owners.stream().anyMatch(o -> exists(object, o))) {
      return;
    }
    var ns = object.getMetadata().getNamespace();
    if (object instanceof io.fabric8.kubernetes.api.model.PersistentVolumeClaim) {
      var agentName = Labels.agentOf(object) == null ? null : Labels.agentOf(object).getName();
      var oldOwner = owners.get(0).getUid();
      var pod = agentName == null ? null : client.pods().inNamespace(ns).withName(agentName).get();
      // a pod of a newer agent of the same name would lose its claim under it
      var live =
          pod != null
              && !pod.isMarkedForDeletion()
              && !ClusterRecorder.agentOwners(pod, OwnerReference::getUid).contains(oldOwner);
      collected.put(
          object.getMetadata().getUid(),
          new Collection(ns, object.getMetadata().getName(), owners.get(0).getUid(), live));
    }
    try {
      client.resource(object).withTimeout(0, TimeUnit.SECONDS).delete();
    } catch (KubernetesClientException e) {
      log.debug("could not collect {}: {}", object.getMetadata().getName(), e.toString());
    }
  }

  /** Whether the owner still exists, checked against the server (not a cache), as the GC does. */
  private boolean exists(HasMetadata dependent, OwnerReference owner) {
    var agent =
        client
            .resources(AtomizerAgent.class)
            .inNamespace(dependent.getMetadata().getNamespace())
            .withName(owner.getName())
            .get();
    return agent != null && owner.getUid().equals(agent.getMetadata().getUid());
  }

  @Override
  public void close() {
    agents.close();
    executor.shutdownNow();
  }
}
