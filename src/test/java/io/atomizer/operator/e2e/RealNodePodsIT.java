package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.customresource.PodOverrides;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.PodEventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pod-level paths of the operator against a real kubelet ({@link RealNode}): every state here
 * is produced by the kubelet, containerd and runc, not by SimulatedNode, and each test checks that
 * the operator's PodHealthy/Ready reasons agree with what the kubelet wrote into the pod.
 *
 * <p>The agent image is a STAND-IN ({@link RealNode#STANDIN_IMAGE}, e2e/node/images): a static HTTP
 * server answering the gateway's probes that can exit or allocate memory on request. So these tests
 * prove how the operator reads the kubelet, not that OpenClaw starts, connects to Discord, stays
 * within its memory limit or answers its probes; those need the real OpenClaw image.
 */
@Tag(RealNode.TAG)
class RealNodePodsIT {

  static final AtomicInteger NAMESPACES = new AtomicInteger();
  static final String INBOX_NS = "real-inbox";
  static RealNode node;
  static KubernetesClient client;
  static Kubectl kubectl;
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();

  @BeforeAll
  static void start() {
    node = RealNode.get();
    client = node.client();
    kubectl = node.kubectl();
    E2eSetup.installCrd(kubectl);
    // The operator reads INBOX from the workspaces claim of INBOX_NS, where the kubelet mounted it.
    operator.start(
        new KubernetesClientBuilder().withConfig(node.config()).build(),
        Map.of(
            "ATOMIZER_INBOX_INTERVAL_SECONDS",
            "1",
            "ATOMIZER_WORKSPACES_ROOT",
            node.volumeFolder(INBOX_NS, Agents.WORKSPACES).toString()));
  }

  static String namespace() {
    var ns = "real-" + NAMESPACES.incrementAndGet();
    E2eSetup.teamNamespace(client, ns, Map.of("ALPHA_TOKEN", Agents.token("alpha-" + ns)));
    return ns;
  }

  /** Agent alpha on the stand-in image, edited by {@code edit} before it is created. */
  static void createAgent(String ns, Consumer<AtomizerAgentSpec> edit) {
    createAgent(ns, "alpha", "ALPHA_TOKEN", edit);
  }

  static void createAgent(String ns, String name, String key, Consumer<AtomizerAgentSpec> edit) {
    var agent = Agents.agent(ns, name, key);
    agent.getMetadata().setGeneration(null);
    agent.getSpec().setImage(RealNode.STANDIN_IMAGE);
    edit.accept(agent.getSpec());
    client.resource(agent).create();
  }

  static AtomizerAgent agent(String ns) {
    return agent(ns, "alpha");
  }

  static AtomizerAgent agent(String ns, String name) {
    return client.resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
  }

  static Optional<Condition> condition(String ns, String type) {
    return condition(ns, "alpha", type);
  }

  static Optional<Condition> condition(String ns, String name, String type) {
    var agent = agent(ns, name);
    return agent == null || agent.getStatus() == null
        ? Optional.empty()
        : agent.getStatus().condition(type);
  }

  /** Waits until condition {@code type} has {@code status} and {@code reason}. */
  static Condition awaitCondition(String ns, String type, String status, String reason) {
    return awaitCondition(ns, "alpha", type, status, reason);
  }

  static Condition awaitCondition(
      String ns, String name, String type, String status, String reason) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              var c = condition(ns, name, type);
              assertTrue(c.isPresent(), type + " not reported yet");
              assertEquals(status + "/" + reason, c.get().getStatus() + "/" + c.get().getReason());
            });
    return condition(ns, name, type).orElseThrow();
  }

  /** kstatus and Argo CD judge alpha as {@code expected} and agree with its conditions. */
  static void judged(String ns, List<String> expected) {
    JudgedAgent.assertJudged(client, ns, "alpha", expected);
  }

  static Optional<Pod> pod(String ns) {
    return client.pods().inNamespace(ns).withLabel(Labels.AGENT, "alpha").list().getItems().stream()
        .filter(p -> !p.isMarkedForDeletion())
        .findFirst();
  }

  static ContainerStatus agentStatus(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> AgentPodTemplate.CONTAINER.equals(s.getName()))
        .findFirst()
        .orElseThrow();
  }

  static Kubectl.Result exec(String ns, String stdin, String... command) {
    var args =
        new java.util.ArrayList<>(
            List.of(
                "exec",
                "-n",
                ns,
                stdin == null ? "" : "-i",
                pod(ns).orElseThrow().getMetadata().getName(),
                "-c",
                AgentPodTemplate.CONTAINER,
                "--"));
    args.remove("");
    args.addAll(List.of(command));
    var result = kubectl.runWithInput(stdin, args.toArray(String[]::new));
    assertTrue(result.ok(), result.toString());
    return result;
  }

  static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  @Test
  void readyOnTheRealKubeletWithTheWorkspaceTheInitContainerMade() throws IOException {
    var ns = namespace();
    createAgent(ns, spec -> {});

    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    awaitCondition(ns, Conditions.POD_HEALTHY, "True", Conditions.RUNNING);
    judged(ns, JudgedAgent.CURRENT_HEALTHY);
    var pod = pod(ns).orElseThrow();
    assertEquals("Running", pod.getStatus().getPhase());
    assertTrue(agentStatus(pod).getReady(), "the kubelet's readiness probe passed");
    var init = pod.getStatus().getInitContainerStatuses().get(0);
    assertEquals(0, init.getState().getTerminated().getExitCode(), init.toString());
    var workspaces = node.volumeFolder(ns, Agents.WORKSPACES);
    for (var dir :
        List.of(workspaces.resolve("alpha/INBOX"), workspaces.resolve("shared_context"))) {
      assertTrue(Files.isDirectory(dir), dir + " made by the init container");
      assertEquals(1000, Files.getAttribute(dir, "unix:uid"), dir + " owned by UID 1000");
    }
    var uid = exec(ns, "", "tee", "/home/node/.openclaw/whoami").stdout();
    assertEquals("", uid, "tee from an empty stdin writes nothing");
    assertEquals(
        1000,
        Files.getAttribute(
            node.volumeFolder(ns, StatePersistentVolumeClaim.nameFor(agent(ns))).resolve("whoami"),
            "unix:uid"),
        "the agent runs as UID 1000 and writes its state claim");
  }

  @Test
  void exitingContainerIsCrashLoopBackOff() {
    var ns = namespace();
    createAgent(ns, spec -> spec.setEnv(List.of(env("STANDIN_EXIT", "3"))));

    awaitCondition(ns, Conditions.POD_HEALTHY, "False", Conditions.CRASH_LOOP_BACK_OFF);
    judged(ns, JudgedAgent.FAILED_DEGRADED);
    var status = agentStatus(pod(ns).orElseThrow());
    assertEquals("CrashLoopBackOff", status.getState().getWaiting().getReason());
    assertEquals(3, status.getLastState().getTerminated().getExitCode());
    assertTrue(status.getRestartCount() >= 1, status.toString());
    assertEquals("False", condition(ns, Conditions.READY).orElseThrow().getStatus());
  }

  @Test
  void containerOverItsMemoryLimitIsOomKilled() {
    var ns = namespace();
    createAgent(
        ns,
        spec -> {
          spec.setEnv(List.of(env("STANDIN_ALLOC_MIB", "1024")));
          spec.setResources(
              new ResourceRequirementsBuilder()
                  .addToRequests("memory", new Quantity("256Mi"))
                  .addToLimits("memory", new Quantity("512Mi"))
                  .build());
        });

    awaitCondition(ns, Conditions.POD_HEALTHY, "False", Conditions.OOM_KILLED);
    judged(ns, JudgedAgent.FAILED_DEGRADED);
    var status = agentStatus(pod(ns).orElseThrow());
    var terminated =
        status.getState().getTerminated() != null
            ? status.getState().getTerminated()
            : status.getLastState().getTerminated();
    assertEquals("OOMKilled", terminated.getReason(), status.toString());
    assertEquals(137, terminated.getExitCode());
  }

  @Test
  void imageNotOnTheNodeIsImagePullBackOff() {
    // hosts.toml sends every registry to 127.0.0.1:9, so the pull fails for real
    var ns = namespace();
    createAgent(ns, spec -> spec.setImage("atomizer.io/e2e/not-imported:1"));

    awaitCondition(ns, Conditions.POD_HEALTHY, "False", Conditions.IMAGE_PULL_BACK_OFF);
    judged(ns, JudgedAgent.FAILED_DEGRADED);
    var reason = pod(ns).orElseThrow().getStatus().getInitContainerStatuses().get(0);
    assertTrue(
        List.of("ErrImagePull", "ImagePullBackOff")
            .contains(reason.getState().getWaiting().getReason()),
        reason.toString());
  }

  @Test
  void imageNotOnTheNodeUnderPullPolicyNeverIsImagePullBackOff() {
    var ns = namespace();
    createAgent(
        ns,
        spec -> {
          spec.setImage("atomizer.io/e2e/not-imported:1");
          spec.setImagePullPolicy(AtomizerAgentSpec.PullPolicy.Never);
        });

    awaitCondition(ns, Conditions.POD_HEALTHY, "False", Conditions.IMAGE_PULL_BACK_OFF);
    judged(ns, JudgedAgent.FAILED_DEGRADED);
    var init = pod(ns).orElseThrow().getStatus().getInitContainerStatuses().get(0);
    assertEquals("ErrImageNeverPull", init.getState().getWaiting().getReason());
  }

  @Test
  void nodeSelectorNobodyMatchesIsUnschedulable() {
    var ns = namespace();
    createAgent(
        ns,
        spec -> {
          var overrides = new PodOverrides();
          overrides.setNodeSelector(Map.of("atomizer.io/nowhere", "true"));
          spec.setPod(overrides);
        });

    awaitCondition(ns, Conditions.POD_HEALTHY, "False", Conditions.UNSCHEDULABLE);
    judged(ns, JudgedAgent.IN_PROGRESS);
    var scheduled =
        pod(ns).orElseThrow().getStatus().getConditions().stream()
            .filter(c -> "PodScheduled".equals(c.getType()))
            .findFirst()
            .orElseThrow();
    assertEquals("False/Unschedulable", scheduled.getStatus() + "/" + scheduled.getReason());
  }

  @Test
  void podDeletedByHandIsReplacedAndReadyAgain() {
    var ns = namespace();
    createAgent(ns, spec -> {});
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    var first = pod(ns).orElseThrow().getMetadata().getUid();

    client.pods().inNamespace(ns).withLabel(Labels.AGENT, "alpha").delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pod(ns).map(p -> !p.getMetadata().getUid().equals(first)).orElse(false));
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    judged(ns, JudgedAgent.CURRENT_HEALTHY);
    assertNotEquals(first, pod(ns).orElseThrow().getMetadata().getUid());
  }

  @Test
  void suspendAndResumeKeepTheStateClaimsFiles() {
    var ns = namespace();
    createAgent(ns, spec -> {});
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    exec(ns, "kept across suspend\n", "tee", "/home/node/.openclaw/memory.txt");

    client
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .withName("alpha")
        .edit(
            a -> {
              a.getSpec().setSuspend(true);
              return a;
            });
    awaitCondition(ns, Conditions.POD_HEALTHY, "Unknown", Conditions.SUSPENDED);
    await().atMost(Duration.ofSeconds(60)).until(() -> pod(ns).isEmpty());
    judged(ns, JudgedAgent.IN_PROGRESS_SUSPENDED);
    client
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .withName("alpha")
        .edit(
            a -> {
              a.getSpec().setSuspend(false);
              return a;
            });
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    judged(ns, JudgedAgent.CURRENT_HEALTHY);

    assertEquals(
        "kept across suspend\n", exec(ns, null, "cat", "/home/node/.openclaw/memory.txt").stdout());
  }

  @Test
  void deletedAgentKeepsItsStateClaimAndTheNewOneReattachesIt() {
    var ns = namespace();
    createAgent(ns, spec -> {});
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    var claim = StatePersistentVolumeClaim.nameFor(agent(ns));
    var claimUid =
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(claim)
            .get()
            .getMetadata()
            .getUid();
    exec(ns, "kept across delete\n", "tee", "/home/node/.openclaw/memory.txt");

    client.resources(AtomizerAgent.class).inNamespace(ns).withName("alpha").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> agent(ns) == null && client.pods().inNamespace(ns).list().getItems().isEmpty());
    assertEquals(
        claimUid,
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(claim)
            .get()
            .getMetadata()
            .getUid(),
        "retainOnDelete (the default) keeps the claim");

    createAgent(ns, spec -> {});
    awaitCondition(ns, Conditions.READY, "True", Conditions.RUNNING);
    assertEquals(
        "kept across delete\n", exec(ns, null, "cat", "/home/node/.openclaw/memory.txt").stdout());
  }

  @Test
  void inboxCountsFilesWrittenInsideTheAgentsPod() {
    E2eSetup.teamNamespace(client, INBOX_NS, Map.of("ALPHA_TOKEN", Agents.token("alpha-inbox")));
    createAgent(INBOX_NS, spec -> {});
    awaitCondition(INBOX_NS, Conditions.READY, "True", Conditions.RUNNING);

    for (var task : List.of("task-1.json", "task-2.json")) {
      exec(INBOX_NS, "{\"task\": \"" + task + "\"}", "tee", "/app/workspaces/alpha/INBOX/" + task);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var inbox = agent(INBOX_NS).getStatus().getInbox();
              assertTrue(inbox != null && inbox.getPending() != null, "inbox scanned");
              assertEquals(2, inbox.getPending());
            });
  }

  @Test
  void tokenRotationNeverLetsTwoPodsHoldOneToken() {
    // beta takes over alpha's old token while alpha gets a new one: beta's new pod must wait
    // until alpha's old pod is gone from the API server, Terminating included
    var ns = "real-" + NAMESPACES.incrementAndGet();
    var first = Agents.token("first-" + ns);
    E2eSetup.teamNamespace(
        client, ns, Map.of("ALPHA_TOKEN", first, "BETA_TOKEN", Agents.token("second-" + ns)));
    try (var recorder = new PodEventRecorder(client)) {
      createAgent(ns, "alpha", "ALPHA_TOKEN", spec -> {});
      createAgent(ns, "beta", "BETA_TOKEN", spec -> {});
      awaitCondition(ns, "alpha", Conditions.READY, "True", Conditions.RUNNING);
      awaitCondition(ns, "beta", Conditions.READY, "True", Conditions.RUNNING);

      client
          .resource(
              Agents.tokens(
                  ns, Map.of("ALPHA_TOKEN", Agents.token("third-" + ns), "BETA_TOKEN", first)))
          .update();

      await()
          .atMost(Duration.ofSeconds(180))
          .until(
              () ->
                  recorder.podsCreatedFor(ns, "alpha") == 2
                      && recorder.podsCreatedFor(ns, "beta") == 2);
      awaitCondition(ns, "alpha", Conditions.READY, "True", Conditions.RUNNING);
      awaitCondition(ns, "beta", Conditions.READY, "True", Conditions.RUNNING);
      var mine = recorder.events().stream().filter(e -> ns.equals(e.namespace())).toList();
      assertTrue(mine.size() > 8, "the watch saw the pods' lifecycles: " + mine);
      assertEquals(1, recorder.maxPodsPerAgent(), "never two pods of one agent");
      assertEquals(1, recorder.maxPodsPerToken(), "never two pods with one token");
    }
  }
}
