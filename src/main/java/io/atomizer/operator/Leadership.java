package io.atomizer.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through a Lease, so that of several replicas exactly one acts.
 *
 * <p>A replica that loses the Lease while running (it could not renew it in time) ends its process
 * at once, without finishing in-flight reconciles, because another replica may already act. A
 * replica that is being stopped (SIGTERM) first stops reconciling and then hands the Lease over, so
 * a standby takes over within its retry period rather than after the Lease expires. JOSDK's own
 * exit on a lost Lease is off: it calls {@code System.exit} from the shutdown sequence, which
 * blocks the JVM until the kubelet kills it, and the Lease is never handed over.
 */
final class Leadership {

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Runnable exit;
  private volatile boolean stopping;

  /**
   * @param exit what runs when the Lease is lost while running: {@link #halt()} for the operator's
   *     own process, stopping the operator when it is embedded
   */
  Leadership(KubernetesClient client, OperatorConfig config, String identity, Runnable exit) {
    this.client = client;
    this.namespace = config.leaseNamespace();
    this.name = config.leaseName();
    this.identity = identity;
    this.exit = exit;
  }

  /** Ends the JVM at once, skipping shutdown hooks (they would finish in-flight reconciles). */
  static Runnable halt() {
    return () -> Runtime.getRuntime().halt(1);
  }

  LeaderElectionConfiguration configuration() {
    return new LeaderElectionConfiguration(
        name,
        namespace,
        LEASE_DURATION,
        RENEW_DEADLINE,
        RETRY_PERIOD,
        identity,
        new LeaderCallbacks(() -> {}, this::lost, leader -> {}),
        false);
  }

  private void lost() {
    if (stopping) {
      return;
    }
    log.error(
        "Lost the leader Lease {}/{} as {}; stopping at once so that only the new leader acts",
        namespace,
        name,
        identity);
    exit.run();
  }

  /** Called before the operator stops: losing the Lease from now on is expected. */
  void stopping() {
    stopping = true;
  }

  /**
   * Hands the Lease over after the operator stopped: clears its holder if this instance holds it.
   * An update, not a patch, so that it fails (409) if another instance took it in between.
   */
  void release() {
    try {
      var leases = client.leases().inNamespace(namespace);
      Lease current = leases.withName(name).get();
      if (current == null
          || current.getSpec() == null
          || !identity.equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      current.getSpec().setHolderIdentity(null);
      current.getSpec().setLeaseDurationSeconds(1);
      leases.resource(current).update();
      log.info("Released leader Lease {}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      log.warn("Could not release leader Lease {}/{}: HTTP {}", namespace, name, e.getCode());
    }
  }
}
