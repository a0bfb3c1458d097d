package io.atomizer.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands the leader Lease over on shutdown, so a standby replica takes over at once. */
final class Leases {

  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  private Leases() {}

  /** Clears the Lease's holder if this instance holds it; does nothing otherwise. */
  static void release(KubernetesClient client, String namespace, String name, String identity) {
    try {
      var lease = client.leases().inNamespace(namespace).withName(name);
      var current = lease.get();
      if (current == null
          || current.getSpec() == null
          || !identity.equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      lease.edit(
          (Lease l) -> {
            l.getSpec().setHolderIdentity(null);
            l.getSpec().setLeaseDurationSeconds(1);
            return l;
          });
      log.info("Released leader lease {}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      log.warn("Could not release leader lease {}/{}: HTTP {}", namespace, name, e.getCode());
    }
  }
}
