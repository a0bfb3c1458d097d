package io.atomizer.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's Kubernetes client. What it reads from the API server leaves out what the operator
 * never looks at, so that its informer caches (every agent, pod, claim and token Secret) stay
 * small:
 *
 * <ul>
 *   <li>{@code metadata.managedFields} of every object: server-side apply's bookkeeping, often the
 *       largest part of an object on a real API server, and unused because the operator's
 *       dependents compare by their own rules ({@code AgentPod.match}, {@code
 *       StatePersistentVolumeClaim.match});
 *   <li>the containers, init containers, ephemeral containers and volumes of pods: the operator
 *       judges a pod by its spec-hash and token-fingerprint annotations and by its status, and
 *       never reads a pod's spec back.
 * </ul>
 *
 * Code that needs one of these fields must read the object with another client. Writing is
 * unchanged: desired pods are sent in full.
 */
public final class OperatorClient {

  /**
   * The first wait before a dropped watch is opened again, in milliseconds. fabric8 doubles it up
   * to 32 times (its default of 1 s grows to 32 s), and an informer whose watch is down keeps a
   * cache that no longer changes: after an API server outage the operator would act on that stale
   * view (and its periodic reconciles write from it) for up to half a minute. A quarter of a second
   * caps the wait at 8 s.
   */
  public static final int WATCH_RECONNECT_INTERVAL_MS = 250;

  private OperatorClient() {}

  /** A client for {@code config} that sends {@code userAgent}. */
  public static KubernetesClient create(Config config, String userAgent) {
    return builder()
        .withConfig(
            new ConfigBuilder(config)
                .withUserAgent(userAgent)
                .withWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MS)
                .build())
        .build();
  }

  /** A client builder with the operator's reading rules; callers add the configuration. */
  public static KubernetesClientBuilder builder() {
    return new KubernetesClientBuilder().withKubernetesSerialization(serialization());
  }

  /** JSON (de)serialization that reads objects without the fields listed above. */
  public static KubernetesSerialization serialization() {
    var mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    mapper.addMixIn(PodSpec.class, WithoutContainersAndVolumes.class);
    return new KubernetesSerialization(mapper, true);
  }

  /** Read without managedFields; written as set (the operator never sets them). */
  @JsonIgnoreProperties(
      value = {"managedFields"},
      allowGetters = true)
  private abstract static class WithoutManagedFields {}

  /** Read without the bulk of a pod spec; a desired pod is written in full. */
  @JsonIgnoreProperties(
      value = {"containers", "initContainers", "ephemeralContainers", "volumes"},
      allowGetters = true)
  private abstract static class WithoutContainersAndVolumes {}
}
