package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.e2e.E2ePrerequisites;
import io.atomizer.operator.playground.MockCluster;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * k3s/migrate.sh for real (compose and systemd layouts), with kubectl against a real kube-apiserver
 * and etcd (the end-to-end tier's binaries, built by e2e/build-controlplane.sh into ~/.kubeapitest,
 * in pre-integration-test: hence a failsafe test of the API-server tier). The mock API server
 * cannot serve kubectl: it has no discovery endpoints.
 */
@Tag("apiserver")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationScriptApiServerIT {

  static KubeAPIServer server;
  static KubernetesClient client;
  static Path kubectl;
  static Path kubeconfig;

  @TempDir static Path tmp;

  @BeforeAll
  static void startApiServer() throws IOException {
    var binaries = controlPlaneBinaries();
    if (binaries == null) {
      throw E2ePrerequisites.missing(
          "the real API server",
          "no etcd, kube-apiserver and kubectl under ~/.kubeapitest/k8s/<version>-linux-amd64 (or"
              + " KUBE_API_TEST_DIR): mvn verify builds them with e2e/build-controlplane.sh in"
              + " pre-integration-test");
    }
    kubectl = binaries.resolve("kubectl");
    var version = binaries.getFileName().toString().replace("-linux-amd64", "");
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.getKubeConfigYaml());
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void stopApiServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  /** The newest k8s/&lt;version&gt;-linux-amd64 directory holding all three binaries, or null. */
  static Path controlPlaneBinaries() throws IOException {
    var root =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest"),
            "k8s");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith("-linux-amd64"))
          .filter(
              d ->
                  Stream.of("etcd", "kube-apiserver", "kubectl")
                      .allMatch(b -> Files.isExecutable(d.resolve(b))))
          .max(Comparator.comparing(d -> d.getFileName().toString()))
          .orElse(null);
    }
  }

  static Scripts.Run migrate(ComposeLayout layout, Map<String, String> env, String... extra) {
    var args = new java.util.ArrayList<>(java.util.List.of("--compose-dir", layout.dir.toString()));
    args.addAll(java.util.List.of("--kubectl", kubectl.toString()));
    args.addAll(java.util.List.of(extra));
    var environment = new HashMap<>(env);
    environment.put("KUBECONFIG", kubeconfig.toString());
    environment.putIfAbsent("DOCKER", "true"); // `true ps` lists no running compose containers
    return Scripts.run(environment, MigrationScriptTest.SCRIPT, args.toArray(String[]::new));
  }

  /** Every object the migration may create in {@code namespace}, by kind/name: resourceVersion. */
  static Map<String, String> versions(String namespace) {
    var out = new TreeMap<String, String>();
    Stream.<HasMetadata>concat(
            Stream.concat(
                client.persistentVolumes().list().getItems().stream(),
                client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()),
            Stream.concat(
                client.secrets().inNamespace(namespace).list().getItems().stream(),
                client
                    .resources(AtomizerAgent.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .stream()))
        .forEach(o -> out.put(o.getKind() + "/" + o.getMetadata().getName(), resourceVersion(o)));
    var ns = client.namespaces().withName(namespace).get();
    if (ns != null) {
      out.put("Namespace/" + namespace, resourceVersion(ns));
    }
    return out;
  }

  private static String resourceVersion(HasMetadata o) {
    return o.getMetadata().getResourceVersion();
  }

  @Test
  @Order(1)
  void refusesBeforeTouchingTheClusterWhenTheOperatorIsNotInstalled() {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("no-crd/atomizer"));

    var run = migrate(layout, Map.of());

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.output().contains("the AtomizerAgent CRD is not installed"), run::toString);
    assertNull(client.namespaces().withName("atomizer").get(), "created the namespace");
    assertEquals(java.util.List.of(), client.persistentVolumes().list().getItems());
  }

  @Test
  @Order(2)
  void refusesWhileTheComposeAgentsStillRun() throws IOException, InterruptedException {
    installCrd();
    var layout = ComposeLayout.pivotDocument(tmp.resolve("running/atomizer"));
    var docker = tmp.resolve("fake-docker");
    Files.writeString(docker, "#!/bin/sh\necho some-db\necho atom-tech-lead\n");
    assertTrue(docker.toFile().setExecutable(true));

    var run = migrate(layout, Map.of("DOCKER", docker.toString()));

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.output().contains("Old agents still running"), run::toString);
    assertTrue(run.output().contains("container atom-tech-lead"), run::toString);
    assertTrue(run.output().contains("Nothing was created"), run::toString);
    assertEquals(Map.of(), versions("atomizer"));
  }

  @Test
  @Order(3)
  void migratesEveryAgentInPlaceAndASecondRunChangesNothing() throws Exception {
    installCrd();
    var layout = ComposeLayout.pivotDocument(tmp.resolve("team/atomizer"));
    layout.write(".env", Files.readString(layout.path(".env")) + "# quoted like compose allows\n");
    layout.write(
        ".env",
        Files.readString(layout.path(".env"))
            .replace(
                "WEBSTER_TOKEN=" + layout.tokens.get("WEBSTER_TOKEN"),
                "export WEBSTER_TOKEN=\"" + layout.tokens.get("WEBSTER_TOKEN") + "\""));
    var files = layout.fingerprint();

    var first = migrate(layout, Map.of());

    assertEquals(0, first.exitCode(), first::toString);
    MigrationScriptTest.assertNoTokenPrinted(layout, first);
    assertEquals(files, layout.fingerprint(), "the migration changed files on disk");
    var secret = client.secrets().inNamespace("atomizer").withName("atomizer-discord-tokens").get();
    var stored = new TreeMap<String, String>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                stored.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    var gateway = stored.remove("GATEWAY_TOKEN");
    assertTrue(gateway.matches("[0-9a-f]{64}"), "a generated gateway token");
    assertEquals(new TreeMap<>(layout.tokens), stored, "exactly the agents' tokens, unquoted");

    var agents = client.resources(AtomizerAgent.class).inNamespace("atomizer").list().getItems();
    assertEquals(ComposeLayout.AGENTS.size(), agents.size());
    for (var agent : agents) {
      var name = agent.getMetadata().getName();
      var state = agent.getSpec().getState();
      var pv = client.persistentVolumes().withName("atomizer-" + name + "-state").get();
      assertEquals(
          layout.path("instances/" + name).toString(), pv.getSpec().getHostPath().getPath());
      // The claim the operator will create for this agent is the one the volume waits for.
      assertEquals(StatePersistentVolumeClaim.nameFor(agent), pv.getSpec().getClaimRef().getName());
      assertEquals("atomizer", pv.getSpec().getClaimRef().getNamespace());
      assertEquals(state.getStorageClassName(), pv.getSpec().getStorageClassName());
      assertTrue(pv.getSpec().getAccessModes().contains("ReadWriteOnce"));
      assertTrue(
          Quantity.getAmountInBytes(pv.getSpec().getCapacity().get("storage"))
                  .compareTo(Quantity.getAmountInBytes(new Quantity(state.getSize())))
              >= 0);
      assertEquals("Retain", pv.getSpec().getPersistentVolumeReclaimPolicy());
      assertEquals(ComposeLayout.tokenKey(name), agent.getSpec().getToken().getKey());
    }
    var workspaces =
        client
            .persistentVolumeClaims()
            .inNamespace("atomizer")
            .withName("atomizer-workspaces")
            .get();
    var workspacesPv =
        client.persistentVolumes().withName(workspaces.getSpec().getVolumeName()).get();
    assertEquals(
        layout.path("workspaces").toString(), workspacesPv.getSpec().getHostPath().getPath());
    var before = versions("atomizer");

    var second = migrate(layout, Map.of());

    assertEquals(0, second.exitCode(), second::toString);
    assertTrue(
        second.output().contains("Already migrated: all 23 objects exist"), second::toString);
    assertEquals(before, versions("atomizer"), "a second run changed objects");
  }

  @Test
  @Order(4)
  void aVolumeThatPointsElsewhereStopsTheRunWithNothingCreated() {
    installCrd();
    var layout = ComposeLayout.pivotDocument(tmp.resolve("conflict/atomizer"));
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName("team2-webster-state")
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName("atomizer-hostpath")
                .withNewClaimRef()
                .withNamespace("team2")
                .withName("webster-state")
                .endClaimRef()
                .withNewHostPath()
                .withPath("/srv/some-other-webster")
                .endHostPath()
                .endSpec()
                .build())
        .create();

    var run = migrate(layout, Map.of(), "--namespace", "team2");

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(
        run.output()
            .contains(
                "persistentvolume/team2-webster-state already exists and does not match: its"
                    + " hostPath is '/srv/some-other-webster'"),
        run::toString);
    assertNull(client.namespaces().withName("team2").get(), "created objects despite a conflict");
    assertEquals(
        1, client.persistentVolumes().list().getItems().stream().filter(this::team2).count());
  }

  @Test
  @Order(5)
  void migratesEightSystemdUnitsAfterStoppingAndDisablingThem() {
    installCrd();
    var layout = SystemdLayout.team(tmp.resolve("t420"));
    var env = new HashMap<String, String>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("PATH", layout.path());
    env.put("DOCKER", "false");
    var args =
        new String[] {
          "--unit-dir",
          layout.units.toString(),
          "--kubectl",
          kubectl.toString(),
          "--namespace",
          "t420"
        };

    var refused = Scripts.run(env, "migrate.sh", args);

    assertEquals(1, refused.exitCode(), refused::toString);
    assertNull(client.namespaces().withName("t420").get(), "created objects while units ran");

    var extra = java.util.Arrays.copyOf(args, args.length + 1);
    extra[args.length] = "--stop-old";
    var run = Scripts.run(env, "migrate.sh", extra);

    assertEquals(0, run.exitCode(), run::toString);
    MigrationSystemdTest.assertNoTokenPrinted(layout, run);
    for (var agent : SystemdLayout.AGENTS) {
      assertEquals("inactive", layout.activeState(SystemdLayout.unit(agent)));
      assertEquals("disabled", layout.enabledState(SystemdLayout.unit(agent)));
      var created = client.resources(AtomizerAgent.class).inNamespace("t420").withName(agent).get();
      assertEquals(ComposeLayout.tokenKey(agent), created.getSpec().getToken().getKey());
      var pv = client.persistentVolumes().withName("t420-" + agent + "-state").get();
      assertEquals(layout.stateDir(agent).toString(), pv.getSpec().getHostPath().getPath());
      var config =
          client.configMaps().inNamespace("t420").withName(agent + "-openclaw-config").get();
      assertTrue(config.getData().get("openclaw.json").contains("\"gateway\""));
    }
    var secret = client.secrets().inNamespace("t420").withName("atomizer-discord-tokens").get();
    var decoded = new TreeMap<String, String>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    layout.tokens.forEach((key, token) -> assertEquals(token, decoded.get(key), key));
    assertEquals(SystemdLayout.GATEWAY_TOKEN, decoded.get("GATEWAY_TOKEN"));
    assertEquals(SystemdLayout.WEBSTER_GATEWAY_TOKEN, decoded.get("WEBSTER_GATEWAY_TOKEN"));
  }

  @Test
  @Order(6)
  void theVolumesArePinnedToTheNodeThatHoldsTheDirectories() {
    installCrd();
    var layout = ComposeLayout.pivotDocument(tmp.resolve("pinned/atomizer"));
    var laptop = node("t420-laptop");
    var other = node("another-machine");
    try {
      var ambiguous = migrate(layout, Map.of(), "--dry-run", "--namespace", "pinned");

      assertEquals(1, ambiguous.exitCode(), ambiguous::toString);
      assertTrue(
          ambiguous.output().contains("--node HOSTNAME (one of: t420-laptop another-machine)")
              || ambiguous
                  .output()
                  .contains("--node HOSTNAME (one of: another-machine t420-laptop)"),
          ambiguous::toString);

      var named =
          migrate(layout, Map.of(), "--dry-run", "--namespace", "pinned", "--node", "t420-laptop");
      assertEquals(0, named.exitCode(), named::toString);
      assertPinnedTo("t420-laptop", named);

      client.resource(other).delete();
      client
          .nodes()
          .withName("another-machine")
          .waitUntilCondition(n -> n == null, 30, TimeUnit.SECONDS);
      var only = migrate(layout, Map.of(), "--dry-run", "--namespace", "pinned");
      assertEquals(0, only.exitCode(), only::toString);
      assertPinnedTo("t420-laptop", only);
    } finally {
      client.resource(laptop).delete();
      client.resource(other).delete();
    }
  }

  private static io.fabric8.kubernetes.api.model.Node node(String hostname) {
    return client
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName(hostname)
                .addToLabels("kubernetes.io/hostname", hostname)
                .endMetadata()
                .build())
        .create();
  }

  private static void assertPinnedTo(String hostname, Scripts.Run run) {
    var volumes =
        MigrationScriptTest.byName(MigrationScriptTest.printedObjects(run), PersistentVolume.class);
    assertEquals(ComposeLayout.AGENTS.size() + 2, volumes.size(), run::toString);
    for (var pv : volumes.values()) {
      var expression =
          pv.getSpec()
              .getNodeAffinity()
              .getRequired()
              .getNodeSelectorTerms()
              .get(0)
              .getMatchExpressions()
              .get(0);
      assertEquals("kubernetes.io/hostname", expression.getKey());
      assertEquals("In", expression.getOperator());
      assertEquals(java.util.List.of(hostname), expression.getValues(), pv.getMetadata().getName());
    }
  }

  private boolean team2(PersistentVolume pv) {
    return pv.getMetadata().getName().startsWith("team2-");
  }

  private static void installCrd() {
    if (client.apiextensions().v1().customResourceDefinitions().withName(crdName()).get() == null) {
      client.resource(MockCluster.crd()).create();
    }
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crdName())
        .waitUntilCondition(
            crd ->
                crd != null
                    && crd.getStatus() != null
                    // a status written before its first condition has none yet
                    && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  private static String crdName() {
    return "atomizeragents.atomizer.io";
  }
}
