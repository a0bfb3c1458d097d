package io.atomizer.operator.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** What a test needs of a cluster, whether {@link RealCluster} or {@link RealNode} started it. */
interface E2eCluster {

  /** A client configuration with system:masters rights. */
  Config config();

  /** An admin client (system:masters) for set-up and assertions. */
  KubernetesClient client();

  /** The admin kubeconfig file, for processes started by tests (kubectl, helm). */
  Path kubeconfig();

  Kubectl kubectl();
}
