package io.atomizer.operator.support;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * Shows whether an agent was reconciled, from outside the operator. {@link #set} overwrites the
 * message of the agent's Ready condition through the status subresource. Such a change does not
 * raise the generation, so JOSDK does not reconcile the agent for it; the next reconcile of the
 * agent, whatever caused it, computes the true status and writes it back. While the mark is in
 * place, the agent has not been reconciled since it was set.
 */
public final class StatusTripwire {

  public static final String MARK = "tripwire: only a reconcile of this agent rewrites this";

  private StatusTripwire() {}

  /** Marks the agent's status; returns the agent's resourceVersion after the mark. */
  public static String set(KubernetesClient client, String namespace, String name) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client
            .resources(AtomizerAgent.class)
            .inNamespace(namespace)
            .withName(name)
            .editStatus(
                a -> {
                  a.getStatus().condition("Ready").orElseThrow().setMessage(MARK);
                  return a;
                })
            .getMetadata()
            .getResourceVersion();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 20) {
          throw e;
        }
      }
    }
  }

  /** Whether the mark is still in place: the agent was not reconciled since it was set. */
  public static boolean intact(AtomizerAgent agent) {
    return agent != null
        && agent.getStatus() != null
        && agent.getStatus().condition("Ready").map(c -> MARK.equals(c.getMessage())).orElse(false);
  }
}
