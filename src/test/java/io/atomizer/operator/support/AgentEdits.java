package io.atomizer.operator.support;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Consumer;

/**
 * Spec edits as a user makes them with kubectl edit: read, change, write, and try again when the
 * operator wrote the status in between (409 Conflict on the resourceVersion).
 */
public final class AgentEdits {

  private static final int ATTEMPTS = 20;

  private AgentEdits() {}

  public static AtomizerAgent edit(
      KubernetesClient client, String namespace, String name, Consumer<AtomizerAgent> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client
            .resources(AtomizerAgent.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(
                a -> {
                  change.accept(a);
                  return a;
                });
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
