package io.atomizer.operator.e2e;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real node's storage: every claim without a storage class (as the operator makes them by
 * default) gets a hostPath volume pre-bound to it, in a folder {@code <root>/<ns>/<claim>} owned by
 * UID/GID 1000 (hostPath volumes ignore fsGroup, and the agent runs as 1000). The volume is kept
 * ({@code Retain}) after the claim goes, like a local-path volume on k3s. A namespace can be given
 * a delay ({@link #delay}), as a provisioner that takes a while: its claims stay Pending that long.
 */
final class HostPathVolumes implements AutoCloseable {

  static final String LABEL = "atomizer.io/e2e-real-node";

  private final KubernetesClient client;
  private final Path root;
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var thread = new Thread(r, "hostpath-volumes");
            thread.setDaemon(true);
            return thread;
          });
  private SharedIndexInformer<PersistentVolumeClaim> informer;

  HostPathVolumes(KubernetesClient client, Path root) {
    this.client = client;
    this.root = root;
  }

  HostPathVolumes start() {
    informer =
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PersistentVolumeClaim claim) {
                    provide(claim);
                  }

                  @Override
                  public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim claim) {
                    provide(claim);
                  }

                  @Override
                  public void onDelete(PersistentVolumeClaim claim, boolean unknown) {}
                });
    return this;
  }

  /** Claims of namespace {@code ns} get their volume {@code delay} after they appear. */
  void delay(String ns, Duration delay) {
    delays.put(ns, delay);
  }

  /** The folder that backs claim {@code name} in {@code ns}. */
  Path folder(String ns, String name) {
    return root.resolve(ns).resolve(name);
  }

  private void provide(PersistentVolumeClaim claim) {
    var delay = delays.get(claim.getMetadata().getNamespace());
    if (delay == null) {
      provideNow(claim);
    } else {
      later.schedule(() -> provideNow(claim), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void provideNow(PersistentVolumeClaim claim) {
    var spec = claim.getSpec();
    var className = spec.getStorageClassName();
    if (spec.getVolumeName() != null || (className != null && !className.isEmpty())) {
      return;
    }
    var ns = claim.getMetadata().getNamespace();
    var name = claim.getMetadata().getName();
    var volumeName = ("e2e-" + ns + "-" + name + "-" + claim.getMetadata().getUid()).toLowerCase();
    if (volumeName.length() > 253) {
      volumeName = volumeName.substring(0, 253);
    }
    if (client.persistentVolumes().withName(volumeName).get() != null) {
      return;
    }
    var folder = folder(ns, name);
    try {
      Files.createDirectories(folder);
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxr-x"));
      Files.setAttribute(folder, "unix:uid", 1000);
      Files.setAttribute(folder, "unix:gid", 1000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      client
          .persistentVolumes()
          .resource(
              new PersistentVolumeBuilder()
                  .withNewMetadata()
                  .withName(volumeName)
                  .addToLabels(LABEL, "true")
                  .endMetadata()
                  .withNewSpec()
                  .withCapacity(spec.getResources().getRequests())
                  .withAccessModes(spec.getAccessModes())
                  .withStorageClassName("")
                  .withPersistentVolumeReclaimPolicy("Retain")
                  .withNewHostPath()
                  .withPath(folder.toString())
                  .withType("Directory")
                  .endHostPath()
                  .withNewClaimRef()
                  .withNamespace(ns)
                  .withName(name)
                  .withUid(claim.getMetadata().getUid())
                  .endClaimRef()
                  .endSpec()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    later.shutdownNow();
  }
}
