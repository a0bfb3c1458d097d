package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.e2e.Kubectl;
import io.atomizer.operator.e2e.RealCluster;
import io.atomizer.operator.playground.SimulatedNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The end-to-end tier's real kube-apiserver (etcd, kube-apiserver, kube-controller-manager built
 * here) with the simulated node in real mode. The operator's requests come from the API server's
 * audit log, so they are counted on the server side as on the mock.
 */
final class RealFleetServer implements FleetServer {

  private final RealCluster cluster;
  private final Kubectl kubectl;
  private final SimulatedNode node;
  private final AuditLog audit;

  private RealFleetServer(RealCluster cluster, AuditLog audit, Duration podStartDelay) {
    this.cluster = cluster;
    this.audit = audit;
    this.kubectl = cluster.kubectl();
    var install = kubectl.run("apply", "--server-side", "-f", "crds/");
    check(install, "install the CRD");
    check(
        kubectl.run(
            "wait",
            "--for=condition=Established",
            "crd/atomizeragents.atomizer.io",
            "--timeout=60s"),
        "wait for the CRD");
    var simulated = new SimulatedNode(cluster.client(), true, podStartDelay, Duration.ofSeconds(1));
    if (cluster.controllerManager()) {
      simulated.withPersistentVolumes(Duration.ZERO);
    }
    node = simulated.start();
  }

  /**
   * Starts (once per JVM) the real control plane with an audit log; a reason on stderr and null
   * when it cannot be had.
   */
  static RealFleetServer startOrNull(Duration podStartDelay) {
    try {
      var cluster = RealCluster.get();
      var auditLog = cluster.auditLog().orElse(null);
      if (!cluster.local() || auditLog == null) {
        System.err.println("real tier: needs the local control plane (audit log, simulated node)");
        return null;
      }
      return new RealFleetServer(
          cluster, new AuditLog(auditLog, "atomizer-operator"), podStartDelay);
    } catch (RuntimeException e) { // includes JUnit's TestAbortedException when it is missing
      System.err.println("real tier skipped: " + e.getMessage());
      return null;
    }
  }

  private static void check(Kubectl.Result result, String what) {
    if (!result.ok()) {
      throw new IllegalStateException("cannot " + what + ": " + result);
    }
  }

  @Override
  public String name() {
    return "kube-apiserver " + cluster.client().getKubernetesVersion().getGitVersion();
  }

  @Override
  public KubernetesClient admin() {
    return cluster.client();
  }

  @Override
  public Config config() {
    return cluster.config();
  }

  @Override
  public Path kubeconfig() {
    return cluster.kubeconfig();
  }

  @Override
  public List<String> operatorArgs() {
    return List.of("--atomizer-discord-verify=false", "--atomizer-http-port=0");
  }

  @Override
  public List<ApiRequest> requests() {
    return audit.requests();
  }

  /** {@code kubectl apply --server-side} of all the manifests in one go, as a user does. */
  @Override
  public void apply(String namespace, List<AtomizerAgent> agents) {
    var yaml = agents.stream().map(Serialization::asYaml).collect(Collectors.joining());
    check(
        kubectl.runWithInput(yaml, "apply", "--server-side", "-n", namespace, "-f", "-"),
        "apply the agents");
  }

  @Override
  public void reapply(String namespace, List<AtomizerAgent> agents) {
    apply(namespace, agents);
  }

  @Override
  public void close() {
    node.close();
  }
}
