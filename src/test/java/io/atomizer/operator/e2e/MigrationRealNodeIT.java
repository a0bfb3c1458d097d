package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.k3s.ComposeLayout;
import io.atomizer.operator.k3s.Scripts;
import io.atomizer.operator.k3s.SystemdLayout;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * k3s/migrate.sh end to end on the real node ({@link RealNode}): the team's eight agents move from
 * native systemd units (a fake systemd: unit files in a temp dir, a {@code systemctl} stand-in on
 * PATH that records its calls and reports the units active and enabled until they are stopped) and
 * from the pivot document's compose layout (a {@code docker} stand-in on PATH whose {@code ps}
 * lists the containers until {@code compose down}) onto real pods, with the real kubectl against
 * the node's API server. The data stays where it was: the pods must read the OLD files through the
 * hostPath volumes migrate.sh pre-binds (pinned by nodeAffinity to the node's hostname label, which
 * the real scheduler checks), on a real kubelet; {@code --rollback} then gives the units back with
 * every old file unchanged, and migrating again re-attaches the same directories.
 *
 * <p>The agents run the STAND-IN image ({@link RealNode#STANDIN_IMAGE}, set on the migrated agents
 * after migrate.sh made them, as the quick start's image override would): this proves the volumes,
 * ownership, Secret, ConfigMaps and agents migrate.sh creates work on a kubelet; not that OpenClaw
 * starts on the migrated configuration.
 */
@Tag(RealNode.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationRealNodeIT {

  static final String SYSTEMD_NS = "migrated-systemd";
  static final String COMPOSE_NS = "migrated-compose";
  static final Path OUT = Path.of("target", "migration-real-node");

  @TempDir static Path tmp;
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();
  static RealNode node;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    node = RealNode.get();
    client = node.client();
    E2eSetup.installCrd(node.kubectl());
    operator.start(
        new KubernetesClientBuilder().withConfig(node.config()).build(),
        Map.of("WATCH_NAMESPACES", SYSTEMD_NS + "," + COMPOSE_NS));
  }

  @Test
  @Order(1)
  void eightSystemdUnitsMoveOntoTheNodeWithTheirFilesAndRollBack() throws IOException {
    var layout = SystemdLayout.team(tmp.resolve("t420"));
    // the unit's user (uid 1000) owns its home; the study-builder's state and workspace another uid
    layout.chown(layout.home, 1000);
    layout.chown(layout.stateDir("study-builder"), 1001);
    layout.chown(layout.home.resolve("atomizer/workspaces/study-builder"), 1001);
    for (var agent : SystemdLayout.AGENTS) {
      privateAsOpenClawMakesIt(layout.stateDir(agent));
    }
    var before = fingerprint(layout.home);
    var env = new HashMap<String, String>();
    env.put("PATH", layout.path());
    env.put("DOCKER", "false");
    env.put("KUBECONFIG", node.kubeconfig().toString());
    var args =
        List.of(
            "--unit-dir",
            layout.units.toString(),
            "--kubectl",
            node.kubectl().binary().toString(),
            "--namespace",
            SYSTEMD_NS);

    var dryRun = migrate(env, args, "--dry-run");
    assertEquals(0, dryRun.exitCode(), dryRun::toString);
    save("systemd", dryRun);
    assertTrue(dryRun.output().contains("would create: atomizeragent/tech-lead"), dryRun::toString);

    var refused = migrate(env, args);
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(
        refused.output().contains("unit openclaw-gateway-manager.service (active)"),
        refused::toString);
    assertNull(client.namespaces().withName(SYSTEMD_NS).get(), "created objects while units ran");
    assertFalse(layout.calls().stream().anyMatch(c -> c.startsWith("systemctl disable")));

    var started = System.nanoTime();
    var run = migrate(env, args, "--stop-old");
    var scriptTook = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(0, run.exitCode(), run::toString);
    System.out.println("=== migrate.sh --stop-old, systemd layout, real node ===\n" + run.output());
    assertNoSecretPrinted(layout.tokens, run);
    var units = SystemdLayout.AGENTS.stream().map(SystemdLayout::unit).sorted().toList();
    assertTrue(
        layout.calls().contains("systemctl disable --now " + String.join(" ", units)),
        layout.calls()::toString);
    for (var unit : units) {
      assertEquals("inactive", layout.activeState(unit), unit);
      assertEquals("disabled", layout.enabledState(unit), unit);
    }
    useStandIn(SYSTEMD_NS);
    var ready = awaitAllReady(SYSTEMD_NS, started);
    System.out.printf(
        "E2E: migrate.sh --stop-old (systemd, 8 units) %d ms, to all 8 Ready on the node %d ms%n",
        scriptTook.toMillis(), ready.toMillis());

    assertBoundToTheOldDirectories(SYSTEMD_NS, layout::stateDir);
    for (var agent : SystemdLayout.AGENTS) {
      var state = layout.stateDir(agent);
      assertEquals("state of " + agent, cat(SYSTEMD_NS, agent, state.resolve("memory.sqlite")));
      assertTrue(
          cat(SYSTEMD_NS, agent, state.resolve("openclaw.json")).contains("written by openclaw"));
      var dir = agent.equals("tech-lead") ? "technical-lead" : agent;
      var memory = layout.home.resolve("atomizer/workspaces/" + dir + "/MEMORY.md");
      assertEquals(agent, cat(SYSTEMD_NS, agent, memory), "its workspace, in place");
    }
    // a file the agent writes lands in the old directory, owned by the unit's user
    var written = layout.stateDir("manager").resolve("written-in-pod.txt");
    var tee = exec(SYSTEMD_NS, "manager", "from the pod\n", "tee", written.toString());
    assertTrue(tee.ok(), tee::toString);
    assertEquals("from the pod\n", Files.readString(written));
    assertEquals(1000, Files.getAttribute(written, "unix:uid"));

    var rollbackStarted = System.nanoTime();
    var back = migrate(env, args, "--rollback");
    assertEquals(0, back.exitCode(), back::toString);
    System.out.printf(
        "=== migrate.sh --rollback, systemd layout, real node (%d ms) ===%n%s%n",
        Duration.ofNanos(System.nanoTime() - rollbackStarted).toMillis(), back.output());
    var calls = layout.calls();
    var enable = calls.indexOf("systemctl enable --now " + String.join(" ", units));
    assertTrue(enable > calls.indexOf("systemctl disable --now " + String.join(" ", units)));
    for (var unit : units) {
      assertEquals("active", layout.activeState(unit), unit);
      assertEquals("enabled", layout.enabledState(unit), unit);
    }
    assertEquals(List.of(), client.pods().inNamespace(SYSTEMD_NS).list().getItems());
    assertUnchanged(before, fingerprint(layout.home));

    // migrating again later re-attaches the same directories: what the pod wrote is there
    var again = migrate(env, args, "--stop-old");
    assertEquals(0, again.exitCode(), again::toString);
    assertTrue(again.output().contains("already migrated: persistentvolume/"), again::toString);
    useStandIn(SYSTEMD_NS);
    awaitAllReady(SYSTEMD_NS, System.nanoTime());
    assertBoundToTheOldDirectories(SYSTEMD_NS, layout::stateDir);
    assertEquals("from the pod\n", cat(SYSTEMD_NS, "manager", written));
    assertEquals("disabled", layout.enabledState(SystemdLayout.unit("manager")));
  }

  /** OpenClaw keeps its state directory private: 0700, files 0600. */
  static void privateAsOpenClawMakesIt(Path stateDir) throws IOException {
    try (var files = Files.walk(stateDir)) {
      for (var file : files.toList()) {
        Files.setPosixFilePermissions(
            file,
            PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwx------" : "rw-------"));
      }
    }
  }

  @Test
  @Order(2)
  void theComposeLayoutMovesOntoTheNodeWithItsFilesAndRollsBack() throws IOException {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("compose/atomizer"));
    var before = layout.fingerprint();
    var bin = Files.createDirectories(tmp.resolve("compose-bin"));
    var calls = tmp.resolve("docker-calls.log");
    var stopped = tmp.resolve("compose-down");
    dockerStandIn(bin, calls, stopped);
    var env = new HashMap<String, String>();
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("KUBECONFIG", node.kubeconfig().toString());
    var args =
        List.of(
            "--layout",
            "compose",
            "--compose-dir",
            layout.dir.toString(),
            "--kubectl",
            node.kubectl().binary().toString(),
            "--namespace",
            COMPOSE_NS);

    var dryRun = migrate(env, args, "--dry-run");
    assertEquals(0, dryRun.exitCode(), dryRun::toString);
    save("compose", dryRun);

    var refused = migrate(env, args);
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(refused.output().contains("container atom-tech-lead"), refused::toString);
    assertNull(client.namespaces().withName(COMPOSE_NS).get(), "created objects while it ran");

    var started = System.nanoTime();
    var run = migrate(env, args, "--stop-old");
    var scriptTook = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(0, run.exitCode(), run::toString);
    System.out.println("=== migrate.sh --stop-old, compose layout, real node ===\n" + run.output());
    assertNoSecretPrinted(layout.tokens, run);
    assertTrue(
        Files.readString(calls).contains("docker compose -f " + layout.path("docker-compose.yml")),
        Files.readString(calls));
    assertTrue(Files.exists(stopped), "compose down ran");
    useStandIn(COMPOSE_NS);
    var ready = awaitAllReady(COMPOSE_NS, started);
    System.out.printf(
        "E2E: migrate.sh --stop-old (compose, 8 services) %d ms, to all 8 Ready on the node %d"
            + " ms%n",
        scriptTook.toMillis(), ready.toMillis());

    assertBoundToTheOldDirectories(COMPOSE_NS, a -> layout.path("instances/" + a));
    for (var agent : ComposeLayout.AGENTS) {
      assertEquals(
          "state of " + agent, cat(COMPOSE_NS, agent, Path.of("/root/.openclaw/memory.sqlite")));
      var dir = agent.equals("tech-lead") ? "technical-lead" : agent;
      assertEquals(
          "# " + agent,
          cat(COMPOSE_NS, agent, Path.of("/app/workspaces/" + dir + "/MEMORY.md")),
          "its workspace, in place");
      assertEquals("# watcher", cat(COMPOSE_NS, agent, Path.of("/app/skills/fs-watcher/SKILL.md")));
    }

    var back = migrate(env, args, "--rollback");
    assertEquals(0, back.exitCode(), back::toString);
    assertTrue(Files.readString(calls).contains(" up -d"), Files.readString(calls));
    assertFalse(Files.exists(stopped), "compose up -d ran");
    assertEquals(List.of(), client.pods().inNamespace(COMPOSE_NS).list().getItems());
    assertUnchanged(before, layout.fingerprint());
  }

  static Scripts.Run migrate(Map<String, String> env, List<String> args, String... extra) {
    var all = new ArrayList<>(args);
    all.addAll(List.of(extra));
    return Scripts.run(env, "migrate.sh", all.toArray(String[]::new));
  }

  /** The dry run, in the test log and in target/ for the closing note. */
  static void save(String layout, Scripts.Run run) throws IOException {
    System.out.println("=== migrate.sh --dry-run, " + layout + " layout, real node ===");
    System.out.println(run.output());
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("dry-run-" + layout + ".txt"), run.output());
  }

  /** What the quick start's image override does: the agents run the node's stand-in image. */
  static void useStandIn(String ns) {
    // a merge patch of spec.image alone, as `kubectl patch --type=merge` sends it: no
    // resourceVersion, so the operator's own writes to the agent cannot make it conflict
    var patch = "{\"spec\": {\"image\": \"" + RealNode.STANDIN_IMAGE + "\"}}";
    for (var agent : client.resources(AtomizerAgent.class).inNamespace(ns).list().getItems()) {
      client
          .resources(AtomizerAgent.class)
          .inNamespace(ns)
          .withName(agent.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
  }

  /** Waits until all eight agents of {@code ns} are Ready; the time since {@code started}. */
  static Duration awaitAllReady(String ns, long started) {
    var agents = client.resources(AtomizerAgent.class).inNamespace(ns);
    await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              var list = agents.list().getItems();
              assertEquals(8, list.size());
              var notReady =
                  list.stream()
                      .filter(
                          a ->
                              a.getStatus() == null
                                  || a.getStatus()
                                      .condition("Ready")
                                      .map(c -> !"True".equals(c.getStatus()))
                                      .orElse(true))
                      .map(
                          a ->
                              a.getMetadata().getName()
                                  + (a.getStatus() == null
                                      ? ""
                                      : " " + a.getStatus().condition("Ready")))
                      .toList();
              assertEquals(List.of(), notReady, "not Ready yet");
            });
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * Each agent's state claim is bound to the hostPath volume migrate.sh made for the OLD directory,
   * and its pod runs on this node.
   */
  static void assertBoundToTheOldDirectories(
      String ns, java.util.function.Function<String, Path> stateDir) {
    for (var agent : client.resources(AtomizerAgent.class).inNamespace(ns).list().getItems()) {
      var name = agent.getMetadata().getName();
      var claim =
          client
              .persistentVolumeClaims()
              .inNamespace(ns)
              .withName(StatePersistentVolumeClaim.nameFor(agent))
              .get();
      assertEquals("Bound", claim.getStatus().getPhase(), name);
      assertEquals(ns + "-" + name + "-state", claim.getSpec().getVolumeName(), name);
      var pv = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      assertEquals(stateDir.apply(name).toString(), pv.getSpec().getHostPath().getPath(), name);
      // pinned to the node whose disk holds the directory, by its hostname label
      var term = pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0);
      var expression = term.getMatchExpressions().get(0);
      assertEquals("kubernetes.io/hostname", expression.getKey(), name);
      assertEquals(
          List.of(
              client
                  .nodes()
                  .withName(node.nodeName())
                  .get()
                  .getMetadata()
                  .getLabels()
                  .get("kubernetes.io/hostname")),
          expression.getValues(),
          name);
      var pod = client.pods().inNamespace(ns).withName(name).get();
      assertEquals(node.nodeName(), pod.getSpec().getNodeName(), name);
      assertEquals("Running", pod.getStatus().getPhase(), name);
    }
  }

  static Kubectl.Result exec(String ns, String pod, String stdin, String... command) {
    var args = new ArrayList<String>(List.of("exec", "-n", ns));
    if (stdin != null) {
      args.add("-i");
    }
    args.addAll(List.of(pod, "-c", AgentPodTemplate.CONTAINER, "--"));
    args.addAll(List.of(command));
    return stdin == null
        ? node.kubectl().run(args.toArray(String[]::new))
        : node.kubectl().runWithInput(stdin, args.toArray(String[]::new));
  }

  /** {@code file} as the agent's container reads it. */
  static String cat(String ns, String pod, Path file) {
    var result = exec(ns, pod, null, "cat", file.toString());
    assertTrue(result.ok(), result::toString);
    return result.stdout();
  }

  static void assertNoSecretPrinted(Map<String, String> tokens, Scripts.Run run) {
    tokens.forEach((k, v) -> assertFalse(run.output().contains(v), k + "'s value was printed"));
    assertFalse(run.output().contains(SystemdLayout.GATEWAY_TOKEN), "gateway token printed");
  }

  /** Every regular file under {@code dir} with its content's hash. */
  static Map<String, String> fingerprint(Path dir) {
    return new ComposeLayout(dir).fingerprint();
  }

  /** Every file that existed before is still there with the same content. */
  static void assertUnchanged(Map<String, String> before, Map<String, String> after) {
    var changed = new ArrayList<String>();
    before.forEach(
        (file, hash) -> {
          if (!hash.equals(after.get(file))) {
            changed.add(file);
          }
        });
    assertEquals(List.of(), changed, "old files changed or gone");
  }

  /**
   * A docker stand-in: {@code ps} lists the eight containers until {@code compose ... down} (which
   * creates {@code stopped}); {@code compose ... up -d} removes it. Every call is recorded.
   */
  static void dockerStandIn(Path bin, Path calls, Path stopped) throws IOException {
    var names = String.join("\\n", ComposeLayout.AGENTS.stream().map(a -> "atom-" + a).toList());
    var docker = bin.resolve("docker");
    Files.writeString(
        docker,
        """
        #!/bin/sh
        echo "docker $*" >> '%s'
        case "$1" in
          ps) [ -e '%s' ] || printf '%s\\n' ;;
          compose)
            case "$*" in
              *" down"*) : > '%s' ;;
              *" up -d"*) rm -f '%s' ;;
            esac ;;
        esac
        exit 0
        """
            .formatted(calls, stopped, names, stopped, stopped));
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
