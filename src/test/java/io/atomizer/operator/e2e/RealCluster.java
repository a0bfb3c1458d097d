package io.atomizer.operator.e2e;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real API server the end-to-end tier runs against, started once per test JVM:
 *
 * <ol>
 *   <li>the cluster of {@code ATOMIZER_E2E_KUBECONFIG}, if set (for example the T420's k3s);
 *   <li>otherwise etcd, kube-apiserver and kube-controller-manager built from Go modules by {@code
 *       e2e/build-controlplane.sh} into {@code $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64},
 *       started through fabric8's kube-api-test in offline mode;
 *   <li>otherwise the tests are skipped with one loud line saying what is missing.
 * </ol>
 */
public final class RealCluster implements E2eCluster {

  public static final String VERSION = "1.36.3";

  /**
   * What the API server writes to its audit log: every request with its user agent (so the requests
   * of two operator processes can be told apart, and the fleet benchmark can count an operator's
   * reads and writes), Lease writes with their body (who held the Lease from when), and nothing of
   * the API server's own housekeeping.
   */
  static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: None
          users: ["system:apiserver"]
        - level: Request
          resources: [{group: "coordination.k8s.io", resources: ["leases"]}]
        - level: Metadata
      """;

  private static RealCluster instance;
  private static String unavailable;

  private final Path kubeconfig;
  private final Path auditLog;
  private final Path kubectlBinary;
  private final boolean local;
  private final boolean controllerManager;
  private final KubernetesClient client;

  private RealCluster(
      Path kubeconfig, Path auditLog, Path kubectl, boolean local, boolean controllerManager) {
    this.kubeconfig = kubeconfig;
    this.auditLog = auditLog;
    this.kubectlBinary = kubectl;
    this.local = local;
    this.controllerManager = controllerManager;
    this.client = new KubernetesClientBuilder().withConfig(config()).build();
  }

  /**
   * The shared cluster. When none can be had the calling test fails in CI and is skipped, loudly,
   * on a developer's machine without Go (see {@link E2ePrerequisites}).
   */
  public static synchronized RealCluster get() {
    if (instance == null && unavailable == null) {
      try {
        instance = start();
      } catch (RuntimeException e) {
        unavailable = "could not start the real API server: " + e;
      }
    }
    if (instance == null) {
      throw E2ePrerequisites.missing("the real API server", unavailable);
    }
    return instance;
  }

  private static RealCluster start() {
    var external = System.getenv("ATOMIZER_E2E_KUBECONFIG");
    if (external != null && !external.isBlank()) {
      var kubectl = onPath("kubectl");
      if (kubectl == null) {
        kubectl = binaries().resolve("kubectl");
      }
      return new RealCluster(Path.of(external), null, kubectl, false, true);
    }
    var dir = binaries();
    for (var binary : List.of("etcd", "kube-apiserver", "kubectl")) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        unavailable =
            dir.resolve(binary)
                + " is missing: build the control plane with 'bash e2e/build-controlplane.sh'"
                + " (needs Go and the Go module proxy), or set ATOMIZER_E2E_KUBECONFIG to a"
                + " cluster's kubeconfig";
        throw new IllegalStateException(unavailable);
      }
    }
    var started = System.nanoTime();
    var auditLog = tempFile("atomizer-e2e-audit-", ".log", "");
    var auditPolicy = tempFile("atomizer-e2e-audit-policy-", ".yaml", AUDIT_POLICY);
    var server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir().toString())
                .withApiServerVersion(VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .withApiServerFlag("--audit-policy-file", auditPolicy.toString())
                .withApiServerFlag("--audit-log-path", auditLog.toString())
                .build());
    server.start();
    var kubeconfig = tempFile("atomizer-e2e-", ".kubeconfig", server.getKubeConfigYaml());
    var controllerManager = ControllerManager.startIfPresent(dir, kubeconfig);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  controllerManager.ifPresent(ControllerManager::stop);
                  server.stop();
                }));
    var cluster =
        new RealCluster(
            kubeconfig, auditLog, dir.resolve("kubectl"), true, controllerManager.isPresent());
    System.out.printf(
        "E2E: kube-apiserver %s (etcd + kube-apiserver%s) ready in %d ms%n",
        cluster.client.getKubernetesVersion().getGitVersion(),
        controllerManager.isPresent() ? " + kube-controller-manager" : "",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return cluster;
  }

  static Path testDir() {
    var dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  static Path binaries() {
    return testDir().resolve("k8s").resolve(VERSION + "-linux-amd64");
  }

  private static Path onPath(String name) {
    var path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (var dir : path.split(File.pathSeparator)) {
      var candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static Path tempFile(String prefix, String suffix, String content) {
    try {
      var file = Files.createTempFile(prefix, suffix);
      Files.writeString(file, content);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Config config() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An admin client (system:masters) for set-up and assertions. */
  @Override
  public KubernetesClient client() {
    return client;
  }

  /** The kubeconfig file of the cluster (system:masters), for processes started by tests. */
  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The API server's audit log (JSON lines, see {@link #AUDIT_POLICY}); empty for an external
   * cluster.
   */
  public Optional<Path> auditLog() {
    return Optional.ofNullable(auditLog);
  }

  @Override
  public Kubectl kubectl() {
    return new Kubectl(kubectlBinary, kubeconfig);
  }

  /** True when this JVM started the control plane (not a cluster of ATOMIZER_E2E_KUBECONFIG). */
  public boolean local() {
    return local;
  }

  /** True when garbage collection and volume binding run (kube-controller-manager or a cluster). */
  public boolean controllerManager() {
    return controllerManager;
  }

  static List<String> args(String... a) {
    return new ArrayList<>(List.of(a));
  }
}
