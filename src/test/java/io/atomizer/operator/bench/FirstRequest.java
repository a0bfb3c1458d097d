package io.atomizer.operator.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The start-time baseline: a trivial JVM that builds a fabric8 client from KUBECONFIG and makes one
 * request (lists the pods of namespace {@code args[0]}), then exits.
 */
public final class FirstRequest {

  /** Starts with "atomizer-operator" so the mock server records it with the operator's calls. */
  static final String USER_AGENT = "atomizer-operator-baseline/1";

  private FirstRequest() {}

  public static void main(String[] args) {
    try (var client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.autoConfigure(null)).withUserAgent(USER_AGENT).build())
            .build()) {
      client.pods().inNamespace(args[0]).list();
    }
  }
}
