package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * One release of the operator's chart in the real API server, installed, upgraded and uninstalled
 * through helm-java (Helm's own Go code) with the cluster's kubeconfig, as {@code helm} would.
 */
final class ChartRelease {

  static final Path CHART = Path.of("helm/atomizer-operator");

  /** The operator's Jib image, built by {@code mvn -Pimage}. */
  static final Path IMAGE = Path.of("target", "jib-image.tar");

  private final E2eCluster cluster;
  private final String name;
  private final String namespace;

  /**
   * @param name the release name; it contains the chart name, so it is also the full name of the
   *     Deployment, ServiceAccount, (Cluster)Role and Lease
   */
  ChartRelease(E2eCluster cluster, String name, String namespace) {
    if (!name.contains("atomizer-operator")) {
      throw new IllegalArgumentException("the full name would differ from " + name);
    }
    this.cluster = cluster;
    this.name = name;
    this.namespace = namespace;
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  /** The operator's ServiceAccount as a user name, for can-i and the audit log. */
  String serviceAccountUser() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** Creates the release namespace (so tests can put a Secret in it before installing). */
  ChartRelease createNamespace() {
    cluster
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return this;
  }

  /** {@code helm install} with {@code values} (a YAML document) over the chart's defaults. */
  Release install(String values) {
    return withValues(
        values,
        file ->
            new Helm(CHART)
                .install()
                .withName(name)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .withValuesFile(file)
                .call());
  }

  /** {@code helm upgrade} with {@code values} over the chart's defaults (not the old values). */
  Release upgrade(String values) {
    return withValues(
        values,
        file ->
            new Helm(CHART)
                .upgrade()
                .withName(name)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .withValuesFile(file)
                .call());
  }

  String uninstall() {
    return Helm.uninstall(name)
        .withNamespace(namespace)
        .withKubeConfig(cluster.kubeconfig())
        .call();
  }

  /**
   * The {@code operator:} values a user of the real node sets over the chart's defaults: no Discord
   * login (no egress), and the API server's address in {@code extraEnv}, because without kube-proxy
   * no pod reaches the {@code kubernetes} Service (k3s has one; there it is not needed). {@code
   * more} adds keys under {@code operator:}, each line indented by two spaces.
   */
  static String operatorValues(RealNode node, String more) {
    var env = node.apiServerEnv();
    return """
        operator:
          discordVerify: false
          extraEnv:
            - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
            - {name: KUBERNETES_SERVICE_PORT, value: "%s"}
        %s"""
        .formatted(env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT"), more);
  }

  /**
   * Imports the operator's Jib image ({@link #IMAGE}, built under {@code -Pimage}) into the node,
   * once per JVM. Without it the calling class fails in CI and is skipped, loudly, elsewhere.
   */
  static void importOperatorImage(RealNode node) {
    if (!Files.exists(IMAGE)) {
      if (E2ePrerequisites.ci()) {
        throw E2ePrerequisites.missing("the operator image", IMAGE + " is missing");
      }
      System.err.println("\n!!!!! E2E SKIPPED: " + IMAGE + " is missing: mvn -Pimage\n");
      Assumptions.abort(IMAGE + " is missing: run with -Pimage");
    }
    var started = System.nanoTime();
    node.importImage(IMAGE);
    System.out.printf(
        "E2E: operator image imported (or already) in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The release's operator pods that are not being deleted. */
  List<Pod> operatorPods() {
    return releasePods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** Every pod of the release, Terminating ones included. */
  private List<Pod> releasePods() {
    return cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", name)
        .list()
        .getItems();
  }

  /** Waits until {@code count} operator pods are Ready by their readiness probe; returns them. */
  List<Pod> awaitOperatorPodsReady(int count) {
    return await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            this::operatorPods,
            pods -> pods.size() == count && pods.stream().allMatch(ChartRelease::ready));
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * {@code helm uninstall}, then waits until no pod of the release is left (not even Terminating),
   * so a later class's operator is never joined by this one.
   */
  void uninstallAndAwaitPodsGone() {
    uninstall();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> releasePods().isEmpty());
  }

  /** {@code kubectl auth can-i ... --as=<the operator's ServiceAccount>}: "yes" or "no". */
  String canI(String... args) {
    var command = new ArrayList<>(List.of("auth", "can-i"));
    command.addAll(List.of(args));
    command.add("--as=" + serviceAccountUser());
    var result = cluster.kubectl().run(command.toArray(String[]::new));
    var answer = result.stdout().strip();
    if (!answer.equals("yes") && !answer.equals("no")) {
      throw new IllegalStateException("kubectl " + command + ": " + result);
    }
    return answer;
  }

  private static Release withValues(
      String values, java.util.function.Function<Path, Release> call) {
    try {
      var file = Files.createTempFile("values-", ".yaml");
      try {
        Files.writeString(file, values);
        return call.apply(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
