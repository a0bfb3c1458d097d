package io.atomizer.operator.playground;

import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet (and the volume binder) for the operator's pods, since an API server alone runs
 * nothing. It binds pods to one fake node, reports them Running and Ready, binds claims, and
 * finishes deletions after a grace period, so that Terminating is a real, observable state. On
 * request it makes an agent's pod crash-loop, get OOM-killed, fail to pull its image, stay
 * unschedulable, or be evicted.
 */
public final class SimulatedNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedNode.class);

  public static final String NODE = "simulated-node";
  public static final String FINALIZER = "atomizer.io/simulated-kubelet";

  /** What the node does with an agent's pod. */
  public enum Behavior {
    READY,
    NOT_READY,
    CRASH_LOOP,
    OOM_KILLED,
    IMAGE_PULL_BACK_OFF,
    CONFIG_ERROR,
    UNSCHEDULABLE
  }

  private final KubernetesClient client;
  private final boolean realApiServer;
  private final Duration startDelay;
  private final Duration gracePeriod;
  private final Clock clock;
  private final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "simulated-node"));
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private volatile boolean persistentVolumes;
  private volatile Duration provisioningDelay = Duration.ZERO;

  /**
   * @param realApiServer bind through the binding subresource (a real API server refuses a changed
   *     spec.nodeName); the mock server takes a plain patch
   * @param startDelay how long a bound pod takes to become Running
   * @param gracePeriod how long a deleted pod stays Terminating
   */
  public SimulatedNode(
      KubernetesClient client, boolean realApiServer, Duration startDelay, Duration gracePeriod) {
    this.client = client;
    this.realApiServer = realApiServer;
    this.startDelay = startDelay;
    this.gracePeriod = gracePeriod;
    this.clock = Clock.systemUTC();
  }

  /**
   * Binds claims the way a cluster does, through a PersistentVolume pre-bound to each claim, for an
   * API server with kube-controller-manager's volume binder running. Without it, claims are marked
   * Bound directly.
   */
  public SimulatedNode withPersistentVolumes(Duration provisioningDelay) {
    this.persistentVolumes = true;
    this.provisioningDelay = provisioningDelay;
    return this;
  }

  public SimulatedNode start() {
    if (realApiServer && client.nodes().withName(NODE).get() == null) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(NODE)
                  .addToLabels("kubernetes.io/hostname", NODE)
                  .endMetadata()
                  .build())
          .create();
    }
    informers.add(
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .inform(handler(this::onPod)));
    informers.add(client.persistentVolumeClaims().inAnyNamespace().inform(handler(this::onClaim)));
    return this;
  }

  /** Makes the current and future pods of agent {@code namespace/name} behave as given. */
  public void setBehavior(String namespace, String agent, Behavior behavior) {
    behaviors.put(namespace + "/" + agent, behavior);
    // the behaviour as it is when the task runs: of two calls in quick succession the last wins;
    // and a failed status edit is tried again, so that a behaviour is never silently dropped
    executor.execute(
        () -> {
          for (int attempt = 1; attempt <= 5; attempt++) {
            var pod = client.pods().inNamespace(namespace).withName(agent).get();
            if (pod == null || pod.isMarkedForDeletion() || apply(pod, behaviorOf(pod))) {
              return;
            }
          }
          log.warn("could not apply the behaviour of {}/{}", namespace, agent);
        });
  }

  /** Evicts the agent's pod: phase Failed, reason Evicted, as the kubelet does under pressure. */
  public void evict(String namespace, String agent) {
    executor.execute(
        () ->
            editStatus(
                namespace,
                agent,
                status -> {
                  status.setPhase("Failed");
                  status.setReason("Evicted");
                  status.setMessage("The node was low on resource: memory.");
                  status.getContainerStatuses().forEach(c -> c.setReady(false));
                }));
  }

  private void onPod(Pod pod) {
    if (pod.isMarkedForDeletion()) {
      executor.schedule(() -> finishDeletion(pod), gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    var behavior = behaviorOf(pod);
    if (pod.getSpec().getNodeName() == null) {
      if (behavior == Behavior.UNSCHEDULABLE) {
        if (pod.getStatus() == null || pod.getStatus().getConditions().isEmpty()) {
          executor.execute(() -> apply(pod, behavior));
        }
        return;
      }
      executor.execute(() -> bind(pod));
      return;
    }
    var reported = pod.getStatus() != null && !pod.getStatus().getContainerStatuses().isEmpty();
    if (!reported) {
      // the behaviour as it is when the container "starts", not when the pod was bound: a
      // setBehavior in between must not be overwritten by the one it replaced
      executor.schedule(
          () -> apply(pod, behaviorOf(pod)), startDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onClaim(PersistentVolumeClaim claim) {
    var phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if (phase != null && !"Pending".equals(phase)) {
      return;
    }
    executor.schedule(
        () -> {
          try {
            if (persistentVolumes) {
              provideVolume(claim);
            } else {
              markBound(claim);
            }
          } catch (KubernetesClientException gone) {
            log.debug(
                "claim {} changed or is gone: HTTP {}",
                claim.getMetadata().getName(),
                gone.getCode());
          }
        },
        persistentVolumes ? provisioningDelay.toMillis() : 0,
        TimeUnit.MILLISECONDS);
  }

  private void markBound(PersistentVolumeClaim claim) {
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .editStatus(
            c -> {
              if (c.getStatus() == null) {
                c.setStatus(new PersistentVolumeClaimStatus());
              }
              c.getStatus().setPhase("Bound");
              return c;
            });
  }

  /** A hostPath volume pre-bound to the claim; the volume binder then binds both. */
  private void provideVolume(PersistentVolumeClaim claim) {
    var ns = claim.getMetadata().getNamespace();
    var name = claim.getMetadata().getName();
    var volumeName = "sim-" + ns + "-" + name;
    if (client.persistentVolumes().withName(volumeName).get() != null) {
      return;
    }
    var spec = claim.getSpec();
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(volumeName)
                .addToLabels(Labels.MANAGED_BY, "atomizer-simulated-node")
                .endMetadata()
                .withNewSpec()
                .withCapacity(spec.getResources().getRequests())
                .withAccessModes(spec.getAccessModes())
                .withStorageClassName(
                    spec.getStorageClassName() == null ? "" : spec.getStorageClassName())
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath()
                .withPath("/var/lib/simulated-node/" + ns + "/" + name)
                .withType("DirectoryOrCreate")
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(ns)
                .withName(name)
                .withUid(claim.getMetadata().getUid())
                .endClaimRef()
                .endSpec()
                .build())
        .create();
  }

  private void bind(Pod pod) {
    var ns = pod.getMetadata().getNamespace();
    var name = pod.getMetadata().getName();
    try {
      var pods = client.pods().inNamespace(ns).withName(name);
      pods.edit(
          p -> {
            if (!p.getMetadata().getFinalizers().contains(FINALIZER)) {
              p.getMetadata().getFinalizers().add(FINALIZER);
            }
            if (!realApiServer) {
              p.getSpec().setNodeName(NODE);
            }
            return p;
          });
      if (realApiServer) {
        client
            .bindings()
            .inNamespace(ns)
            .resource(
                new BindingBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewTarget()
                    .withKind("Node")
                    .withName(NODE)
                    .endTarget()
                    .build())
            .create();
      }
    } catch (KubernetesClientException e) {
      log.debug("could not bind pod {}/{}: HTTP {}", ns, name, e.getCode());
    }
  }

  private void finishDeletion(Pod pod) {
    var ns = pod.getMetadata().getNamespace();
    var name = pod.getMetadata().getName();
    try {
      var current = client.pods().inNamespace(ns).withName(name).get();
      if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        return;
      }
      client
          .pods()
          .inNamespace(ns)
          .withName(name)
          .edit(
              p -> {
                p.getMetadata().getFinalizers().remove(FINALIZER);
                return p;
              });
      if (realApiServer) {
        client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
      }
    } catch (KubernetesClientException e) {
      log.debug("pod {}/{} already gone", ns, name);
    }
  }

  private boolean apply(Pod pod, Behavior behavior) {
    var now = clock.instant().toString();
    return editStatus(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        status -> SimulatedPodStatus.apply(status, behavior, pod, now));
  }

  private boolean editStatus(String namespace, String name, Consumer<PodStatus> change) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(
              p -> {
                if (p.getStatus() == null) {
                  p.setStatus(new PodStatus());
                }
                change.accept(p.getStatus());
                return p;
              });
      return true;
    } catch (KubernetesClientException e) {
      log.debug("pod {}/{} changed or gone: HTTP {}", namespace, name, e.getCode());
      return false;
    }
  }

  private Behavior behaviorOf(Pod pod) {
    var agent = Labels.agentOf(pod);
    return agent == null
        ? Behavior.READY
        : behaviors.getOrDefault(
            pod.getMetadata().getNamespace() + "/" + agent.getName(), Behavior.READY);
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    executor.shutdownNow();
  }
}
