package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.PodEventRecorder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes share one Lease against the real node's API server ({@link RealNode}), and
 * the agents' pods they make run there (stand-in image, {@link RealNode#STANDIN_IMAGE}), so an
 * agent is Ready only once the real kubelet says its pod is. The operators run on the host as
 * separate JVMs (not as the chart's pods): kill -9 of a process is the failure under test, and a
 * pod's container cannot be killed that way through the API. Kill the leader (kill -9, as when its
 * node dies) and the standby takes over once the Lease expires; stop it (SIGTERM, as in a rollout)
 * and it hands the Lease over at once. In both, the API server's audit log shows that every write
 * the operators made to the agents' namespace came from the process holding the Lease at that
 * moment, so there was no period in which both acted.
 */
@Tag(RealNode.TAG)
class LeaderElectionIT {

  /** Leadership: the Lease lasts 15 s; candidates retry every 2 s. */
  static final Duration LEASE = Duration.ofSeconds(15);

  /** fabric8's candidates wait the retry period plus up to 1.2 times it (jitter): 4.4 s at most. */
  static final Duration RETRY_WITH_JITTER = Duration.ofMillis(4400);

  static final String LEASE_NAME = "atomizer-operator";
  static final AtomicInteger RUNS = new AtomicInteger();

  static RealNode node;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    node = RealNode.get();
    client = node.client();
    E2eSetup.installCrd(node.kubectl());
  }

  /** Two operators for one namespace of agents, with their Lease in a namespace of their own. */
  record Pair(String namespace, String leaseNamespace, OperatorProcess a, OperatorProcess b)
      implements AutoCloseable {

    OperatorProcess named(String name) {
      return a.name().equals(name) ? a : b;
    }

    OperatorProcess other(OperatorProcess one) {
      return one == a ? b : a;
    }

    @Override
    public void close() {
      a.close();
      b.close();
    }
  }

  static Pair startPair() {
    var run = RUNS.incrementAndGet();
    var ns = "leader-" + run;
    var leaseNs = ns + "-system";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(leaseNs).endMetadata().build())
        .create();
    E2eSetup.teamNamespace(
        client,
        ns,
        Map.of(
            "MANAGER_TOKEN", Agents.token(ns + "-manager"),
            "TECH_LEAD_TOKEN", Agents.token(ns + "-tech-lead"),
            "SECRETARY_TOKEN", Agents.token(ns + "-secretary")));
    var env =
        Map.of(
            "ATOMIZER_LEADER_ELECTION", "true",
            "ATOMIZER_LEASE_NAMESPACE", leaseNs,
            "ATOMIZER_LEASE_NAME", LEASE_NAME,
            "WATCH_NAMESPACES", ns,
            // no Discord status poll of the stand-in's pods (InJvmOperator.TEST_SETTINGS)
            "ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS", "0");
    var kubeconfig = node.kubeconfig();
    return new Pair(
        ns,
        leaseNs,
        OperatorProcess.start("operator-" + run + "-a", kubeconfig, env),
        OperatorProcess.start("operator-" + run + "-b", kubeconfig, env));
  }

  /** Waits for one of the pair to lead and the other to see it; returns the leader. */
  static OperatorProcess awaitLeaderAndStandby(Pair pair) {
    var holder =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> holder(pair.leaseNamespace()), h -> h != null);
    var leader = pair.named(holder);
    var standby = pair.other(leader);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> standby.log().contains("New leader with identity: " + leader.name()));
    assertTrue(standby.isAlive(), standby.log());
    return leader;
  }

  static String holder(String leaseNamespace) {
    Lease lease = client.leases().inNamespace(leaseNamespace).withName(LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  static void createAgent(String ns, String name, String key) {
    var agent = Agents.agent(ns, name, key);
    agent.getMetadata().setGeneration(null);
    agent.getSpec().setImage(RealNode.STANDIN_IMAGE);
    client.resource(agent).create();
  }

  /** A spec change that replaces the agent's pod (the stand-in ignores the variable). */
  static void changeSpec(String ns, String name) {
    AgentEdits.edit(
        client, ns, name, a -> a.getSpec().setEnv(List.of(new EnvVar("E2E_CHANGE", "2", null))));
  }

  static void awaitReady(String ns, String name, long generation) {
    E2eSetup.awaitReady(client, ns, name, generation);
  }

  @Test
  void killedLeaderIsReplacedOnceTheLeaseExpiresAndTheTwoNeverAct() {
    try (var pair = startPair();
        var pods = new PodEventRecorder(client)) {
      var ns = pair.namespace();
      var leader = awaitLeaderAndStandby(pair);
      var standby = pair.other(leader);
      createAgent(ns, "manager", "MANAGER_TOKEN");
      createAgent(ns, "tech-lead", "TECH_LEAD_TOKEN");
      awaitReady(ns, "manager", 1);
      awaitReady(ns, "tech-lead", 1);

      var killed = Instant.now();
      leader.kill();
      // work for whoever leads next: a spec change that replaces a pod, and a new agent
      changeSpec(ns, "tech-lead");
      createAgent(ns, "secretary", "SECRETARY_TOKEN");

      awaitReady(ns, "tech-lead", 2);
      awaitReady(ns, "secretary", 1);
      var converged = Instant.now();
      assertTrue(standby.isAlive(), standby.log());
      standby.terminate();
      standby.waitFor(Duration.ofSeconds(30));

      var timeline = Timeline.of(node.auditLog(), pair);
      assertEquals(List.of(), timeline.writesWithoutTheLease(), timeline.describe());
      var acquired = timeline.acquisition(standby.name());
      var lastRenewal = timeline.lastRenewalBefore(leader.name(), acquired.completed());
      var takeover = Duration.between(killed, acquired.completed());
      System.out.printf(
          "LEADER-ELECTION kill -9: %s took over %d ms after the kill, %d ms after the leader's"
              + " last renewal (lease %d s); the changes made meanwhile converged %d ms after"
              + " the kill%n",
          standby.name(),
          takeover.toMillis(),
          Duration.between(lastRenewal.completed(), acquired.completed()).toMillis(),
          LEASE.toSeconds(),
          Duration.between(killed, converged).toMillis());

      timeline.assertBothActedOneAfterTheOther(leader, standby);
      // fabric8 stamps the new renewTime before it reads the Lease and decides that it expired, so
      // the decision lies between that stamp and the moment the API server received the write;
      // under load the stamp can precede the expiry by the read's latency
      assertFalse(
          acquired.received().isBefore(Timeline.renewTime(lastRenewal).plus(LEASE)),
          "the standby took the Lease before it expired:\n" + timeline.describe());
      assertTrue(
          takeover.compareTo(LEASE.plus(RETRY_WITH_JITTER)) <= 0,
          "took over after " + takeover.toMillis() + " ms\n" + timeline.describe());
      assertEquals(1, pods.maxPodsPerAgent(), "two pods of one agent existed: " + pods.events());
      assertEquals(1, pods.maxPodsPerToken(), "two pods with one token: " + pods.events());
    }
  }

  @Test
  void sigtermedLeaderHandsTheLeaseOverAtOnceAndTheTwoNeverAct() {
    try (var pair = startPair();
        var pods = new PodEventRecorder(client)) {
      var ns = pair.namespace();
      var leader = awaitLeaderAndStandby(pair);
      var standby = pair.other(leader);
      createAgent(ns, "manager", "MANAGER_TOKEN");
      awaitReady(ns, "manager", 1);

      var stopping = Instant.now();
      leader.terminate();
      changeSpec(ns, "manager");
      createAgent(ns, "tech-lead", "TECH_LEAD_TOKEN");
      // the chart's terminationGracePeriodSeconds
      assertTrue(leader.waitFor(Duration.ofSeconds(30)), "still running: " + leader.log());
      var exited = Instant.now();
      awaitReady(ns, "manager", 2);
      awaitReady(ns, "tech-lead", 1);
      standby.terminate();
      standby.waitFor(Duration.ofSeconds(30));

      var timeline = Timeline.of(node.auditLog(), pair);
      assertEquals(List.of(), timeline.writesWithoutTheLease(), timeline.describe());
      var released = timeline.release(leader.name());
      assertNotNull(released, "the leader did not release the Lease:\n" + leader.log());
      var acquired = timeline.acquisition(standby.name());
      var takeover = Duration.between(stopping, acquired.completed());
      System.out.printf(
          "LEADER-ELECTION SIGTERM: %s exited %d ms after SIGTERM (exit code %d), released the"
              + " Lease %d ms after SIGTERM; %s took over %d ms after SIGTERM (lease %d s)%n",
          leader.name(),
          Duration.between(stopping, exited).toMillis(),
          leader.exitValue(),
          Duration.between(stopping, released.completed()).toMillis(),
          standby.name(),
          takeover.toMillis(),
          LEASE.toSeconds());

      timeline.assertBothActedOneAfterTheOther(leader, standby);
      assertTrue(
          timeline.lastWrite(leader.name()).completed().isBefore(released.completed()),
          "the leader wrote after releasing the Lease:\n" + timeline.describe());
      assertEquals(143, leader.exitValue(), "ended by SIGTERM, not by a failure: " + leader.log());
      assertTrue(
          takeover.compareTo(LEASE) < 0,
          "handed over after " + takeover.toMillis() + " ms\n" + timeline.describe());
      assertEquals(1, pods.maxPodsPerAgent(), "two pods of one agent existed: " + pods.events());
    }
  }

  /** The audit log of one pair: its Lease writes and its writes to the agents' namespace. */
  record Timeline(List<AuditLog.Event> leaseWrites, List<AuditLog.Event> writes, Pair pair) {

    static Timeline of(java.nio.file.Path auditLog, Pair pair) {
      var events = AuditLog.read(auditLog);
      var agents = List.of(pair.a().userAgent(), pair.b().userAgent());
      var leaseWrites =
          events.stream()
              .filter(e -> e.isLease() && e.isWrite() && e.succeeded())
              .filter(e -> e.namespace().equals(pair.leaseNamespace()))
              .toList();
      // every attempt counts as acting, whatever the API server answered
      var writes =
          events.stream()
              .filter(e -> e.isWrite() && e.namespace().equals(pair.namespace()))
              .filter(e -> agents.contains(e.userAgent()))
              .toList();
      return new Timeline(leaseWrites, writes, pair);
    }

    String instance(AuditLog.Event e) {
      return e.userAgent().equals(pair.a().userAgent()) ? pair.a().name() : pair.b().name();
    }

    /** Who held the Lease when the API server received {@code at}: the last write before it. */
    String holderAt(Instant at) {
      String holder = null;
      for (var write : leaseWrites) {
        if (write.completed().isBefore(at)) {
          holder = write.leaseHolder();
        }
      }
      return holder;
    }

    List<String> writesWithoutTheLease() {
      var wrong = new ArrayList<String>();
      for (var write : writes) {
        var holder = holderAt(write.received());
        if (!instance(write).equals(holder)) {
          wrong.add(write + " while the Lease was held by " + holder);
        }
      }
      return wrong;
    }

    /** The Lease write by which {@code name} became the holder. */
    AuditLog.Event acquisition(String name) {
      String previous = null;
      for (var write : leaseWrites) {
        var holder = write.leaseHolder();
        if (name.equals(holder) && !name.equals(previous) && instance(write).equals(name)) {
          return write;
        }
        previous = holder;
      }
      throw new AssertionError(name + " never acquired the Lease:\n" + describe());
    }

    /** {@code name}'s last write of the Lease before {@code at}, holding it. */
    AuditLog.Event lastRenewalBefore(String name, Instant at) {
      AuditLog.Event last = null;
      for (var write : leaseWrites) {
        if (write.completed().isBefore(at) && name.equals(write.leaseHolder())) {
          last = write;
        }
      }
      assertNotNull(last, name + " never held the Lease:\n" + describe());
      return last;
    }

    /** The write by which {@code name} cleared the holder, or null. */
    AuditLog.Event release(String name) {
      return leaseWrites.stream()
          .filter(w -> instance(w).equals(name) && w.leaseHolder() == null)
          .findFirst()
          .orElse(null);
    }

    AuditLog.Event lastWrite(String name) {
      return writes.stream()
          .filter(w -> instance(w).equals(name))
          .reduce((x, y) -> y)
          .orElseThrow(() -> new AssertionError(name + " made no writes:\n" + describe()));
    }

    /** Both acted (the test is not vacuous), and every write of the first precedes the second. */
    void assertBothActedOneAfterTheOther(OperatorProcess first, OperatorProcess second) {
      var firstLast = lastWrite(first.name());
      var secondFirst =
          writes.stream()
              .filter(w -> instance(w).equals(second.name()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(second.name() + " made no writes"));
      assertTrue(
          firstLast.completed().isBefore(secondFirst.received()),
          "their writes overlap in time:\n" + describe());
    }

    static Instant renewTime(AuditLog.Event leaseWrite) {
      return Instant.parse(leaseWrite.requestObject().path("spec").path("renewTime").asText());
    }

    String describe() {
      var lines = new ArrayList<String>();
      lines.add("Lease writes:");
      leaseWrites.forEach(w -> lines.add("  " + w + " holder=" + w.leaseHolder()));
      lines.add("Writes in " + pair.namespace() + ":");
      writes.forEach(w -> lines.add("  " + w));
      return String.join("\n", lines);
    }
  }
}
