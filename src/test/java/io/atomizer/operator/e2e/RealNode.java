package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node cluster whose kubelet runs real containers (containerd, runc, bridge CNI), started
 * once per test JVM by {@code e2e/real-node.sh up} from the binaries of {@code
 * e2e/build-controlplane.sh} and {@code e2e/build-node.sh}, and torn down by {@code down} at JVM
 * exit. A JVM killed before it could tear down leaves leftovers that the next {@code up} removes
 * first. A machine-wide lock ({@link #LOCK}) makes a second JVM wait instead of starting a second
 * node on the same bridge and cgroups.
 *
 * <p>The node has its own control plane (etcd, kube-apiserver with {@code Node,RBAC} and {@code
 * NodeRestriction}, ServiceAccount admission, kube-controller-manager, kube-scheduler) rather than
 * {@link RealCluster}'s: kube-api-test appends {@code --authorization-mode=RBAC} and {@code
 * --disable-admission-plugins=ServiceAccount} after the caller's flags, and its serving certificate
 * names only 127.0.0.1, so neither a kubelet identity nor a pod's service account would work
 * against it. The API server listens only on the bridge address ({@link #bridgeAddress()}), which
 * pods reach directly (there is no kube-proxy, so a pod that talks to it needs {@code
 * KUBERNETES_SERVICE_HOST}/{@code PORT} set to {@link #apiServerEnv()}).
 *
 * <p>Storage: claims without a storage class get a pre-bound hostPath volume in a folder owned by
 * UID 1000 ({@link HostPathVolumes}), not a dynamic provisioner: rancher's local-path-provisioner
 * would need a helper image and an in-cluster Service this node cannot route to.
 */
public final class RealNode implements E2eCluster {

  /**
   * The JUnit tag of every class that uses the real node: failsafe runs them in a JVM of their own
   * (pom.xml, execution e2e-real-node), so no JVM starts both this control plane and RealCluster's.
   */
  public static final String TAG = "real-node";

  /** The machine-wide lock held while this JVM's node is up. */
  static final Path LOCK = Path.of("/var/tmp/atomizer-e2e-node.lock");

  /**
   * What the node's API server writes to its audit log: {@link RealCluster#AUDIT_POLICY}, less the
   * kubelet's requests (node status, its Lease, pod status), which no test reads and which would
   * make the log many times longer. The scheduler and the controller manager use the admin
   * kubeconfig, so their requests are in it.
   */
  static final String AUDIT_POLICY =
      RealCluster.AUDIT_POLICY.replace(
          "  - level: None\n    users: [\"system:apiserver\"]\n",
          """
            - level: None
              users: ["system:apiserver"]
            - level: None
              userGroups: ["system:nodes"]
          """);

  /** The stand-in agent image (not OpenClaw), built by e2e/build-node.sh. */
  public static final String STANDIN_IMAGE = "atomizer.io/e2e/agent-standin:1";

  private static RealNode instance;
  private static RuntimeException failure;

  private final Path script;
  private final Map<String, String> env;
  private final Map<String, String> facts;
  private final KubernetesClient client;
  private final HostPathVolumes volumes;
  private final Duration startup;
  private final Path auditLog;
  private final java.util.Set<Path> imported = new java.util.HashSet<>();

  private RealNode(Path script, Map<String, String> env, Map<String, String> facts, Duration t) {
    this.auditLog = Path.of(env.get("AUDIT_LOG"));
    this.script = script;
    this.env = env;
    this.facts = facts;
    this.startup = t;
    this.client = new KubernetesClientBuilder().withConfig(config()).build();
    this.volumes =
        new HostPathVolumes(client, Path.of(facts.get("STATE")).resolve("volumes")).start();
  }

  /**
   * The node of this JVM, started on first use, with no agent of an earlier test class left on it.
   * Each real-node class calls this once, before it starts. Fails (CI) or aborts (a developer's
   * machine without Go or root) the calling test when it cannot be had; see {@link
   * E2ePrerequisites}.
   */
  public static synchronized RealNode get() {
    if (instance == null && failure == null) {
      try {
        instance = start();
        return instance;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (instance == null) {
      throw E2ePrerequisites.missing("the real node", String.valueOf(failure), failure);
    }
    instance.removeAgentsOfEarlierClasses();
    return instance;
  }

  /**
   * Deletes every agent and agent pod that earlier classes of this JVM left. The node offers the
   * machine's memory, and agents request 896Mi each: the examples, the two migrated fleets and the
   * INBOX team of earlier classes would otherwise leave a later class's pods Unschedulable.
   */
  private void removeAgentsOfEarlierClasses() {
    client.resources(AtomizerAgent.class).inAnyNamespace().delete();
    client.pods().inAnyNamespace().withLabel(Labels.AGENT).withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client.pods().inAnyNamespace().withLabel(Labels.AGENT).list().getItems().isEmpty()
                    && client
                        .resources(AtomizerAgent.class)
                        .inAnyNamespace()
                        .list()
                        .getItems()
                        .isEmpty());
  }

  private static RealNode start() {
    var script = Path.of("e2e/real-node.sh").toAbsolutePath();
    if (!E2ePrerequisites.root()) {
      throw new IllegalStateException("needs root (mounts, namespaces, cgroups, a bridge)");
    }
    var nodeDir = nodeDir();
    for (var part : List.of("bin/kubelet", "bin/containerd", "images/agent-standin.tar")) {
      if (!Files.exists(nodeDir.resolve(part))) {
        throw new IllegalStateException(
            nodeDir.resolve(part) + " is missing: run 'bash e2e/build-node.sh' (needs Go)");
      }
    }
    if (!Files.isExecutable(RealCluster.binaries().resolve("kube-apiserver"))) {
      throw new IllegalStateException(
          RealCluster.binaries() + " has no kube-apiserver: run 'bash e2e/build-controlplane.sh'");
    }
    var lock = lock();
    var env = new HashMap<String, String>();
    env.put("ATOMIZER_NODE_DIR", nodeDir.toString());
    env.put("KUBE_BIN_DIR", RealCluster.binaries().toString());
    env.putAll(auditFiles());
    // Registered before "up", so that a start that fails half-way is torn down too.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> down(script, env, lock), "real-node-down"));
    var started = System.nanoTime();
    var out = run(script, env, Duration.ofMinutes(4), "up");
    var facts = new HashMap<String, String>();
    out.lines()
        .filter(l -> l.matches("[A-Z_]+=.*"))
        .forEach(l -> facts.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    var took = Duration.ofNanos(System.nanoTime() - started);
    var node = new RealNode(script, env, facts, took);
    System.out.printf(
        "E2E: real node %s Ready in %d ms (API server %s)%n",
        facts.get("NODE"), took.toMillis(), facts.get("SERVER"));
    node.importImage(nodeDir.resolve("images/agent-standin.tar"));
    return node;
  }

  /** AUDIT_POLICY and AUDIT_LOG for e2e/real-node.sh: a fresh log per JVM. */
  private static Map<String, String> auditFiles() {
    try {
      var policy = Files.createTempFile("atomizer-e2e-node-audit-policy-", ".yaml");
      Files.writeString(policy, AUDIT_POLICY);
      var log = Files.createTempFile("atomizer-e2e-node-audit-", ".log");
      policy.toFile().deleteOnExit();
      log.toFile().deleteOnExit();
      return Map.of("AUDIT_POLICY", policy.toString(), "AUDIT_LOG", log.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path nodeDir() {
    var dir = System.getenv("ATOMIZER_NODE_DIR");
    return dir != null
        ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".cache", "atomizer", "node");
  }

  private static FileLock lock() {
    try {
      var channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      var said = false;
      while (true) {
        var lock = channel.tryLock();
        if (lock != null) {
          return lock;
        }
        if (!said) {
          System.out.println("E2E: another JVM runs the real node; waiting for " + LOCK);
          said = true;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("another JVM held " + LOCK + " for 20 minutes");
        }
        Thread.sleep(1000);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String run(Path script, Map<String, String> env, Duration limit, String... args) {
    var command = new java.util.ArrayList<String>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    try {
      var builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      var process = builder.start();
      var output = new java.io.ByteArrayOutputStream();
      var reader = new Thread(() -> copy(process, output));
      reader.start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", args) + " took over " + limit);
      }
      reader.join();
      var text = output.toString(StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "e2e/real-node.sh " + String.join(" ", args) + " failed: " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Process process, java.io.OutputStream out) {
    try (var in = process.getInputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process is gone; what was read is kept
    }
  }

  /** Tears everything down (processes by PID, cgroups, bridge, state); idempotent. */
  private static void down(Path script, Map<String, String> env, FileLock lock) {
    try {
      run(script, env, Duration.ofMinutes(2), "down");
    } catch (RuntimeException e) {
      System.err.println("E2E: tearing the real node down failed: " + e.getMessage());
    } finally {
      try {
        lock.release();
        lock.channel().close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }

  /**
   * Imports a docker-archive or OCI tarball into containerd's k8s.io namespace, once per JVM (the
   * classes that run the operator's image share one import).
   */
  public synchronized void importImage(Path tarball) {
    var file = tarball.toAbsolutePath().normalize();
    if (imported.add(file)) {
      try {
        run(script, env, Duration.ofMinutes(3), "import", file.toString());
      } catch (RuntimeException e) {
        imported.remove(file);
        throw e;
      }
    }
  }

  /**
   * Names image {@code source} also {@code target} in the node's containerd, replacing what {@code
   * target} named, so pods asking for {@code target} run {@code source}. Later imports happen again
   * (this may have renamed what one brought). {@link #untagImage} undoes it.
   */
  public synchronized void tagImage(String source, String target) {
    imported.clear();
    run(script, env, Duration.ofMinutes(1), "tag", source, target);
  }

  /** Removes image name {@code name} from the node's containerd (the content stays). */
  public synchronized void untagImage(String name) {
    imported.clear();
    run(script, env, Duration.ofMinutes(1), "untag", name);
  }

  /** The API server's audit log (JSON lines, see {@link #AUDIT_POLICY}) since the node started. */
  public Path auditLog() {
    return auditLog;
  }

  @Override
  public Config config() {
    try {
      var kubeconfig = kubeconfig();
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An admin client (system:masters). */
  @Override
  public KubernetesClient client() {
    return client;
  }

  /** The admin kubeconfig (system:masters), for processes started by tests. */
  @Override
  public Path kubeconfig() {
    return Path.of(facts.get("KUBECONFIG"));
  }

  @Override
  public Kubectl kubectl() {
    return new Kubectl(RealCluster.binaries().resolve("kubectl"), kubeconfig());
  }

  /** The bridge's address: the API server and the kubelet listen there; pods reach only it. */
  public String bridgeAddress() {
    return facts.get("BRIDGE_IP");
  }

  /** The API server's port on {@link #bridgeAddress()}. */
  public int apiServerPort() {
    return Integer.parseInt(facts.get("API_PORT"));
  }

  /** The environment a pod needs to reach the API server (there is no kube-proxy). */
  public Map<String, String> apiServerEnv() {
    return Map.of(
        "KUBERNETES_SERVICE_HOST",
        bridgeAddress(),
        "KUBERNETES_SERVICE_PORT",
        String.valueOf(apiServerPort()));
  }

  public String nodeName() {
    return facts.get("NODE");
  }

  /** From {@code up} until the node reported Ready. */
  public Duration startup() {
    return startup;
  }

  /** The host folder behind claim {@code claim} of namespace {@code ns} (see HostPathVolumes). */
  public Path volumeFolder(String ns, String claim) {
    return volumes.folder(ns, claim);
  }

  /**
   * From now on, claims of namespace {@code ns} get their volume {@code delay} after they appear
   * (they stay Pending that long), as with a provisioner that takes a while.
   */
  public void delayVolumes(String ns, Duration delay) {
    volumes.delay(ns, delay);
  }

  /** The folder under which the kubelet's, containerd's and the components' logs are. */
  public Path logs() {
    return Path.of(facts.get("STATE")).resolve("logs");
  }
}
