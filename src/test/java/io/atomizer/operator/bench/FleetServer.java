package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;

/** An API server with a simulated node, and the operator's requests as that server saw them. */
interface FleetServer extends AutoCloseable {

  /** For the table: "mock" or "kube-apiserver v1.36.3". */
  String name();

  /** A client for set-up and observation; its requests are not counted as the operator's. */
  KubernetesClient admin();

  /** Where the baseline's client points. */
  Config config();

  /** The kubeconfig the operator's JVM gets through KUBECONFIG. */
  Path kubeconfig();

  /** Operator flags this kind of server needs (the mock has no server-side apply). */
  List<String> operatorArgs();

  /**
   * Every request made with a user agent starting with "atomizer-operator" (the operator's, and the
   * baseline programs'), in order.
   */
  List<ApiRequest> requests();

  /** Creates the agents as a user does (kubectl apply on a real server). */
  void apply(String namespace, List<AtomizerAgent> agents);

  /** Applies the same agents again, unchanged. */
  void reapply(String namespace, List<AtomizerAgent> agents);

  @Override
  void close();
}
