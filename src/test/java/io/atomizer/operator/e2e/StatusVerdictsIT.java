package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.RecordingClient;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every version an agent goes through on a real API server, from its creation on, judged the way
 * Flux and Argo CD judge it ({@link HealthJudge}: cli-utils' kstatus and the shipped Argo CD health
 * script in gopher-lua): InProgress / Progressing (Failed / Degraded when Stalled) until the status
 * says Ready for the current generation, Current / Healthy from then on; never Current before.
 *
 * <p>On the real node ({@link RealNode}): Ready is the real kubelet's verdict on the agent's pod
 * (the STAND-IN image, {@link RealNode#STANDIN_IMAGE}), and each namespace's claims get their
 * volume {@link #VOLUME_DELAY} late ({@link RealNode#delayVolumes}), as from a provisioner that
 * takes a while.
 */
@Tag(RealNode.TAG)
class StatusVerdictsIT {

  /** Slower than the grace a first status was once held for (2 s), so a hold shows. */
  static final Duration VOLUME_DELAY = Duration.ofSeconds(3);

  /** From the creation of a new agent's claim to the operator's first status of the agent. */
  static final Duration FIRST_STATUS_WITHIN = Duration.ofSeconds(1);

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

  @Test
  void aNewAgentIsInProgressUntilReadyFromItsFirstInstant() {
    var ns = namespace("manager");
    try (var versions = new Versions(ns, "manager")) {
      apply(ns, manifest("manager", ""));
      E2eSetup.awaitReady(client, ns, "manager", 1);
      // the claim is bound 3 s after its creation: judge the versions that report it too
      versions.await(v -> "True".equals(v.condition("StorageReady")));

      var seen = versions.all();
      var verdicts = HealthJudge.judge(seen.stream().map(Version::json).toList());
      var judged = describe(seen, verdicts);
      assertTrue(
          seen.get(0).observedGeneration() == 0 && seen.get(0).generation() == 1,
          "the first version is the created agent, before the operator wrote anything: " + judged);
      assertTrue(
          seen.stream().anyMatch(v -> v.observedGeneration() == 1 && !v.ready()),
          "the operator reported generation 1 before Ready: " + judged);
      System.out.println("StatusVerdictsIT: a new agent's versions:" + judged);
      assertReadyOnlyAtTheEnd(seen, verdicts, judged);
      assertFirstStatusPrompt(ns, "manager");
      System.out.println(
          "StatusVerdictsIT: writes by the operator for a new agent until its claim"
              + " is bound: "
              + writes(ns));
    }
  }

  @Test
  void aSpecChangeIsInProgressUntilTheOperatorHasObservedIt() {
    var ns = namespace("tech-lead");
    apply(ns, manifest("tech-lead", ""));
    E2eSetup.awaitReady(client, ns, "tech-lead", 1);
    try (var versions = new Versions(ns, "tech-lead")) {
      // a spec change that replaces the pod (the stand-in ignores the variable)
      apply(ns, manifest("tech-lead", "  env:\n    - {name: E2E_CHANGE, value: \"2\"}\n"));
      E2eSetup.awaitReady(client, ns, "tech-lead", 2);
      versions.await(v -> v.ready() && v.generation() == 2);

      var seen = versions.all();
      var changed = seen.stream().filter(v -> v.generation() == 2).toList();
      var verdicts = HealthJudge.judge(changed.stream().map(Version::json).toList());
      var judged = describe(changed, verdicts);
      assertTrue(
          changed.get(0).observedGeneration() == 1,
          "the first version of generation 2 is the change itself, not yet observed: " + judged);
      assertReadyOnlyAtTheEnd(changed, verdicts, judged);
    }
  }

  /**
   * Before the first version that says Ready for its generation: InProgress and Progressing, or
   * Failed and Degraded when Stalled. From it on: Current and Healthy. And it is reached.
   */
  private static void assertReadyOnlyAtTheEnd(
      List<Version> versions, List<HealthJudge.Verdict> verdicts, String judged) {
    var ready = false;
    for (int i = 0; i < versions.size(); i++) {
      var v = versions.get(i);
      var verdict = verdicts.get(i);
      ready |= v.ready();
      var kstatus = ready ? "Current" : v.stalled() ? "Failed" : "InProgress";
      var argocd = ready ? "Healthy" : v.stalled() ? "Degraded" : "Progressing";
      var where = "version " + i + " of " + judged;
      assertEquals(null, verdict.error(), where);
      assertEquals(kstatus, verdict.kstatus(), "kstatus of " + where);
      assertEquals(argocd, verdict.argocd(), "Argo CD health of " + where);
    }
    assertTrue(ready, "never Ready: " + judged);
  }

  /**
   * The operator reports a new agent in the reconcile that creates its claim and pod, not once the
   * claim is bound: the first status PATCH follows the claim's creation within {@link
   * #FIRST_STATUS_WITHIN} in the API server's own audit log.
   */
  private static void assertFirstStatusPrompt(String ns, String name) {
    var log = node.auditLog();
    var events =
        AuditLog.read(log).stream()
            .filter(e -> ns.equals(e.namespace()) && "ResponseComplete".equals(e.stage()))
            .toList();
    // created by a server-side apply: a PATCH
    var claimCreated =
        events.stream()
            .filter(
                e ->
                    e.isWrite()
                        && e.resource().equals("persistentvolumeclaims")
                        && e.name().equals(name + "-state"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no claim created in " + events));
    var firstStatus =
        events.stream()
            .filter(
                e ->
                    e.isWrite()
                        && e.resource().equals("atomizeragents")
                        && e.subresource().equals("status")
                        && e.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no status written in " + events));
    var took = Duration.between(claimCreated.completed(), firstStatus.completed());
    System.out.println("StatusVerdictsIT: first status " + took.toMillis() + " ms after the claim");
    assertTrue(
        took.compareTo(FIRST_STATUS_WITHIN) < 0,
        "the first status of a new agent came "
            + took.toMillis()
            + " ms after its claim was created; it must not wait for the claim to be bound");
  }

  /** The operator's writes in {@code ns}, by resource (and subresource). */
  private static Map<String, Long> writes(String ns) {
    return calls.stream()
        .filter(c -> c.isWrite() && ns.equals(c.namespace()))
        .collect(
            Collectors.groupingBy(
                c -> c.resource() + (c.subresource().isEmpty() ? "" : "/" + c.subresource()),
                TreeMap::new,
                Collectors.counting()));
  }

  /** The versions with their verdicts, one per line, for the failure messages. */
  private static String describe(List<Version> versions, List<HealthJudge.Verdict> verdicts) {
    var lines = new StringBuilder();
    for (int i = 0; i < versions.size(); i++) {
      var v = versions.get(i);
      var verdict = verdicts.get(i);
      lines.append(
          "\n  "
              + i
              + ": generation "
              + v.generation()
              + " observed "
              + v.observedGeneration()
              + " Ready="
              + v.condition("Ready")
              + " Reconciling="
              + v.condition("Reconciling")
              + " Stalled="
              + v.condition("Stalled")
              + " -> kstatus "
              + verdict.kstatus()
              + " ("
              + verdict.kstatusMessage()
              + "), Argo CD "
              + verdict.argocd());
    }
    return lines.toString();
  }

  private static String namespace(String agent) {
    var ns = "verdicts-" + NAMESPACES.incrementAndGet();
    node.delayVolumes(ns, VOLUME_DELAY);
    // a token of its own: the other classes' agents of the same name run on this API server later
    E2eSetup.teamNamespace(
        client, ns, Map.of(Agents.tokenKey(agent), Agents.token("status-verdicts-" + agent)));
    return ns;
  }

  private static String manifest(String name, String extra) {
    return """
        apiVersion: atomizer.io/v1alpha1
        kind: AtomizerAgent
        metadata:
          name: %s
        spec:
          role: %s
          image: %s
          token:
            secretName: %s
            key: %s
          workspaces:
            claimName: %s
        """
            .formatted(
                name,
                name,
                RealNode.STANDIN_IMAGE,
                Agents.SECRET,
                Agents.tokenKey(name),
                Agents.WORKSPACES)
        + extra;
  }

  private static void apply(String ns, String yaml) {
    var result = kubectl.runWithInput(yaml, "apply", "--server-side", "-n", ns, "-f", "-");
    assertTrue(result.ok(), result.toString());
  }

  /** One version of the agent as the API server served it, with what decides its verdict. */
  record Version(String json, GenericKubernetesResource object) {

    long generation() {
      return object.getMetadata().getGeneration();
    }

    /** -1 when there is no status at all. */
    long observedGeneration() {
      var status = status();
      return status != null && status.get("observedGeneration") instanceof Number n
          ? n.longValue()
          : -1;
    }

    /** The status of condition {@code type}, or null. */
    String condition(String type) {
      var status = status();
      if (status == null || !(status.get("conditions") instanceof List<?> conditions)) {
        return null;
      }
      return conditions.stream()
          .filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type")))
          .map(c -> String.valueOf(((Map<?, ?>) c).get("status")))
          .findFirst()
          .orElse(null);
    }

    /** The status says Ready for the generation it is: what Current and Healthy mean. */
    boolean ready() {
      return observedGeneration() == generation() && "True".equals(condition("Ready"));
    }

    boolean stalled() {
      return "True".equals(condition("Stalled"));
    }

    private Map<?, ?> status() {
      return object.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : null;
    }
  }

  /** Every version of one agent the API server sends on a watch started before it changes. */
  static final class Versions implements AutoCloseable {
    private final List<Version> seen = new CopyOnWriteArrayList<>();
    private final Watch watch;

    Versions(String ns, String name) {
      watch =
          client
              .genericKubernetesResources("atomizer.io/v1alpha1", "AtomizerAgent")
              .inNamespace(ns)
              .withName(name)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource agent) {
                      if (action == Action.ADDED || action == Action.MODIFIED) {
                        seen.add(
                            new Version(client.getKubernetesSerialization().asJson(agent), agent));
                      }
                    }

                    @Override
                    public void onClose(WatcherException e) {}
                  });
    }

    void await(Predicate<Version> until) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> seen.stream().anyMatch(until));
    }

    List<Version> all() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
