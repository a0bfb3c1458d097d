package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.RecordingClient;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.PodEventRecorder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator, configured as it ships (server-side apply, Secrets scoped to type=Opaque), against
 * the real node ({@link RealNode}), used through the real kubectl: every Ready, not-Ready and
 * Terminating here is the real kubelet's, from the probes of the agent's pod (the STAND-IN image,
 * {@link RealNode#STANDIN_IMAGE}; a pod is kept unready by its control file, as a gateway that does
 * not answer /readyz). Claims are bound by kube-controller-manager to the node's hostPath volumes
 * ({@link HostPathVolumes}), which one test delays as a provisioner that takes a while.
 */
@Tag(RealNode.TAG)
class OperatorE2eIT {

  static final AtomicInteger NAMESPACES = new AtomicInteger();
  static RealNode node;
  static KubernetesClient client;
  static Kubectl kubectl;
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();
  static final List<ApiCall> calls = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    node = RealNode.get();
    client = node.client();
    kubectl = node.kubectl();
    E2eSetup.installCrd(kubectl);
    operator.start(RecordingClient.create(node.config(), calls));
  }

  static String namespace(Map<String, String> tokens) {
    var ns = "e2e-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client.resource(Agents.tokens(ns, tokens)).create();
    client.resource(Agents.workspaces(ns)).create();
    return ns;
  }

  static String manifest(String name, String key) {
    return """
        apiVersion: atomizer.io/v1alpha1
        kind: AtomizerAgent
        metadata:
          name: %s
        spec:
          role: %s
          displayName: Atomizer %s
          token:
            secretName: atomizer-discord-tokens
            key: %s
          image: %s
          workspaces:
            claimName: atomizer-workspaces
        """
        .formatted(name, name, name, key, RealNode.STANDIN_IMAGE);
  }

  static Kubectl.Result apply(String ns, String yaml) {
    var result = kubectl.runWithInput(yaml, "apply", "--server-side", "-n", ns, "-f", "-");
    assertTrue(result.ok(), result.toString());
    return result;
  }

  static AtomizerAgent agent(String ns, String name) {
    return client.resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
  }

  @Test
  void kubectlWaitReturnsOnceTheKubeletReportsThePodReady() {
    var ns = namespace(Map.of("MANAGER_TOKEN", Agents.token("manager")));
    apply(ns, manifest("manager", "MANAGER_TOKEN"));
    var wait =
        kubectl.run(
            "wait", "-n", ns, "--for=condition=Ready", "atomizeragent/manager", "--timeout=60s");
    assertTrue(
        wait.ok(),
        wait + "\n" + kubectl.run("get", "-n", ns, "atomizeragent,pod,pvc", "-o", "yaml").stdout());
    assertTrue(
        client.persistentVolumeClaims().inNamespace(ns).withName("manager-state").get() != null);
    assertEquals(1, client.pods().inNamespace(ns).list().getItems().size());
  }

  @Test
  void kubectlWaitTimesOutWhileThePodIsNotReady() {
    var ns = namespace(Map.of("AUDITOR_TOKEN", Agents.token("auditor")));
    // the stand-in reads its control file at start: /readyz answers 503 from the first probe on
    var state = node.volumeFolder(ns, "auditor-state");
    try {
      Files.createDirectories(state);
      Files.writeString(state.resolve("standin-control"), "unready\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    apply(ns, manifest("auditor", "AUDITOR_TOKEN"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(ns).withName("auditor").get() != null);
    var wait =
        kubectl.run(
            "wait", "-n", ns, "--for=condition=Ready", "atomizeragent/auditor", "--timeout=5s");
    assertFalse(wait.ok(), "kubectl wait must not return early: " + wait);
    assertTrue(wait.took().toMillis() >= 5000, wait.toString());
    // the kubelet runs the container and its readiness probe fails
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var pod = client.pods().inNamespace(ns).withName("auditor").get();
              assertTrue(
                  pod.getStatus().getContainerStatuses().stream()
                      .anyMatch(c -> c.getState().getRunning() != null && !c.getReady()),
                  "running and unready: " + pod.getStatus());
            });
    assertFalse(
        kubectl
            .run("wait", "-n", ns, "--for=condition=Ready", "atomizeragent/auditor", "--timeout=1s")
            .ok(),
        "still not Ready while the kubelet finds the pod unready");
    var reconciling = agent(ns, "auditor").getStatus().condition("Reconciling").orElseThrow();
    assertEquals("True", reconciling.getStatus(), "kstatus InProgress while not ready");
  }

  @Test
  void kubectlGetPrintsThePrinterColumns() {
    var ns = namespace(Map.of("SECRETARY_TOKEN", Agents.token("secretary")));
    apply(ns, manifest("secretary", "SECRETARY_TOKEN"));
    assertTrue(
        kubectl
            .run(
                "wait",
                "-n",
                ns,
                "--for=condition=Ready",
                "atomizeragent/secretary",
                "--timeout=60s")
            .ok());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                agent(ns, "secretary")
                    .getStatus()
                    .condition("StorageReady")
                    .map(c -> c.getStatus().equals("True"))
                    .orElse(false));
    var get = kubectl.run("get", "atomizeragents", "-n", ns);
    assertTrue(get.ok(), get.toString());
    var lines = get.stdout().strip().split("\n");
    assertEquals(2, lines.length, get.stdout());
    assertTrue(
        lines[0].matches("NAME\\s+ROLE\\s+READY\\s+STATUS\\s+RESTARTS\\s+INBOX\\s+AGE"), lines[0]);
    assertTrue(
        lines[1].matches("secretary\\s+secretary\\s+True\\s+Running\\s+0\\s+(<none>\\s+)?\\d+s"),
        lines[1]);
    var byCategory = kubectl.run("get", "atomizer", "-n", ns);
    assertTrue(byCategory.stdout().contains("secretary"), byCategory.toString());
  }

  @Test
  void reapplyingTheSameManifestChangesNothing() throws InterruptedException {
    var ns = namespace(Map.of("OPTIMIZER_TOKEN", Agents.token("optimizer")));
    apply(ns, manifest("optimizer", "OPTIMIZER_TOKEN"));
    assertTrue(
        kubectl
            .run(
                "wait",
                "-n",
                ns,
                "--for=condition=Ready",
                "atomizeragent/optimizer",
                "--timeout=60s")
            .ok());
    // start from the operator's fixed point: no write to the namespace for 3 s (a status write
    // refused by its resourceVersion precondition is retried after a backoff, so a fixed sleep
    // could end before the operator has converged)
    var quietSince = System.nanoTime();
    var seen = writesIn(ns);
    while (System.nanoTime() - quietSince < 3_000_000_000L) {
      Thread.sleep(200);
      var now = writesIn(ns);
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      }
      assertTrue(now < 200, "the operator keeps writing to " + ns);
    }
    var before = agent(ns, "optimizer");
    var mark = calls.size();

    var again = apply(ns, manifest("optimizer", "OPTIMIZER_TOKEN"));
    assertTrue(again.stdout().contains("serverside-applied"), again.toString());
    Thread.sleep(3000);

    var writes =
        calls.subList(mark, calls.size()).stream()
            .filter(ApiCall::isWrite)
            .filter(c -> ns.equals(c.namespace()))
            .toList();
    assertEquals(List.of(), writes, "the operator wrote after an unchanged re-apply");
    var after = agent(ns, "optimizer");
    assertEquals(
        before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    assertEquals(before.getStatus(), after.getStatus());
  }

  @Test
  void specChangeReplacesThePodWithoutTwoEverExisting() {
    var ns = namespace(Map.of("TECH_LEAD_TOKEN", Agents.token("tech-lead")));
    try (var recorder = new PodEventRecorder(client)) {
      apply(ns, manifest("tech-lead", "TECH_LEAD_TOKEN"));
      assertTrue(
          kubectl
              .run(
                  "wait",
                  "-n",
                  ns,
                  "--for=condition=Ready",
                  "atomizeragent/tech-lead",
                  "--timeout=60s")
              .ok());
      var uid = client.pods().inNamespace(ns).withName("tech-lead").get().getMetadata().getUid();

      // a spec change that replaces the pod (the stand-in ignores the variable)
      apply(
          ns,
          manifest("tech-lead", "TECH_LEAD_TOKEN")
              + "  env:\n    - {name: E2E_CHANGE, value: \"2\"}\n");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var pod = client.pods().inNamespace(ns).withName("tech-lead").get();
                return pod != null && !pod.getMetadata().getUid().equals(uid);
              });
      assertTrue(
          kubectl
              .run(
                  "wait",
                  "-n",
                  ns,
                  "--for=condition=Ready",
                  "atomizeragent/tech-lead",
                  "--timeout=60s")
              .ok());
      assertEquals(
          1, recorder.maxPodsPerAgent(), "two pods of one agent existed: " + recorder.events());
      assertTrue(
          recorder.events().stream().anyMatch(e -> e.uid().equals(uid) && e.terminating()),
          "Terminating observed");
    }
  }

  @Test
  void deletingAnAgentKeepsItsStateClaimAndRecreatingReattachesIt() {
    var ns = namespace(Map.of("WEBSTER_TOKEN", Agents.token("webster")));
    apply(ns, manifest("webster", "WEBSTER_TOKEN"));
    assertTrue(
        kubectl
            .run(
                "wait", "-n", ns, "--for=condition=Ready", "atomizeragent/webster", "--timeout=60s")
            .ok());
    var claim =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.persistentVolumeClaims().inNamespace(ns).withName("webster-state").get(),
                c -> c != null && "Bound".equals(c.getStatus().getPhase()));

    assertTrue(kubectl.run("delete", "-n", ns, "atomizeragent/webster", "--wait=true").ok());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(ns).withName("webster").get() == null);
    var kept = client.persistentVolumeClaims().inNamespace(ns).withName("webster-state").get();
    assertEquals(
        claim.getMetadata().getUid(),
        kept.getMetadata().getUid(),
        "the garbage collector kept the claim");

    apply(ns, manifest("webster", "WEBSTER_TOKEN"));
    assertTrue(
        kubectl
            .run(
                "wait", "-n", ns, "--for=condition=Ready", "atomizeragent/webster", "--timeout=60s")
            .ok());
    var again = client.persistentVolumeClaims().inNamespace(ns).withName("webster-state").get();
    assertEquals(
        claim.getMetadata().getUid(), again.getMetadata().getUid(), "re-attached, not re-created");
    assertEquals(claim.getSpec().getVolumeName(), again.getSpec().getVolumeName());
  }

  @Test
  void retainOnDeleteFalseLetsTheGarbageCollectorRemoveTheClaim() {
    var ns = namespace(Map.of("NX_EXPERT_TOKEN", Agents.token("nx-expert")));
    apply(ns, manifest("nx-expert", "NX_EXPERT_TOKEN") + "  state:\n    retainOnDelete: false\n");
    assertTrue(
        kubectl
            .run(
                "wait",
                "-n",
                ns,
                "--for=condition=Ready",
                "atomizeragent/nx-expert",
                "--timeout=60s")
            .ok());
    assertTrue(kubectl.run("delete", "-n", ns, "atomizeragent/nx-expert").ok());
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client.persistentVolumeClaims().inNamespace(ns).withName("nx-expert-state").get()
                    == null);
  }

  @Test
  void storageReadyFollowsTheClaimFromPendingToBound() {
    var ns = namespace(Map.of("STUDY_BUILDER_TOKEN", Agents.token("study-builder")));
    // slower than the reconcile that creates the claim and writes the first status, so the
    // claim's Pending phase is reported, as with a real provisioner that takes a while
    node.delayVolumes(ns, Duration.ofMillis(1500));
    var seen = new CopyOnWriteArrayList<String>();
    try (var watch =
        client
            .resources(AtomizerAgent.class)
            .inNamespace(ns)
            .watch(
                new io.fabric8.kubernetes.client.Watcher<>() {
                  @Override
                  public void eventReceived(Action action, AtomizerAgent a) {
                    if (a.getStatus() != null) {
                      a.getStatus()
                          .condition("StorageReady")
                          .ifPresent(c -> seen.add(c.getReason()));
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
                })) {
      apply(ns, manifest("study-builder", "STUDY_BUILDER_TOKEN"));
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("Bound"));
    }
    assertTrue(
        seen.indexOf("ClaimPending") >= 0 && seen.indexOf("ClaimPending") < seen.indexOf("Bound"),
        seen.toString());
    var claim =
        client.persistentVolumeClaims().inNamespace(ns).withName("study-builder-state").get();
    assertEquals("Bound", claim.getStatus().getPhase());
  }

  private static long writesIn(String ns) {
    return calls.stream().filter(ApiCall::isWrite).filter(c -> ns.equals(c.namespace())).count();
  }
}
