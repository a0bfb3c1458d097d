package io.atomizer.operator.inbox;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two agents on one INBOX (same namespace, workspaces claim and agentDir, as a copy-pasted manifest
 * makes them): the older runs, the newer is Stalled with StorageReady=False/DuplicateAgentDir
 * naming the older and has no pod, and starts by itself, woken well before the 30 s recheck, once
 * either agent moves away.
 */
@Tag("mock")
class DuplicateAgentDirTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  /** Well below the recheck interval: only being woken brings the waiting agent up this fast. */
  static final Duration WOKEN_WITHIN = Duration.ofSeconds(10);

  @Test
  void newerAgentWaitsAndStartsOnceTheOlderMovesToAnotherDirectory() throws Exception {
    var ns = tokens("dir-move");
    harness.create(onDir(agent(ns, "tech-lead", "A"), "tech-lead"));
    harness.awaitReady(ns, "tech-lead");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and this name sorts after the older one's
    harness.create(onDir(agent(ns, "tech-lead-copy", "B"), "tech-lead"));
    assertBlockedBy(ns, "tech-lead-copy", ns + "/tech-lead");
    harness.awaitReady(ns, "tech-lead");

    AgentEdits.edit(
        harness.client(), ns, "tech-lead", a -> a.getSpec().getWorkspaces().setAgentDir("lead"));

    awaitReadyWithin(ns, "tech-lead-copy", WOKEN_WITHIN);
    harness.awaitReady(ns, "tech-lead");
  }

  @Test
  void newerAgentStartsOnceTheOlderIsDeleted() throws Exception {
    var ns = tokens("dir-delete");
    harness.create(onDir(agent(ns, "secretary", "A"), "secretary"));
    harness.awaitReady(ns, "secretary");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and "substitute" sorts after the older one's
    harness.create(onDir(agent(ns, "substitute", "B"), "secretary"));
    assertBlockedBy(ns, "substitute", ns + "/secretary");

    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("secretary").delete();

    awaitReadyWithin(ns, "substitute", WOKEN_WITHIN);
  }

  @Test
  void newerAgentGivenItsOwnDirectoryStartsAndTheOlderKeepsItsPod() throws Exception {
    var ns = tokens("dir-own");
    harness.create(agent(ns, "auditor", "A"));
    harness.awaitReady(ns, "auditor");
    var pod = harness.pod(ns, "auditor").orElseThrow().getMetadata().getUid();
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and "reviewer" sorts after the older one's
    harness.create(onDir(agent(ns, "reviewer", "B"), "auditor")); // the older's default dir
    assertBlockedBy(ns, "reviewer", ns + "/auditor");

    AgentEdits.edit(
        harness.client(), ns, "reviewer", a -> a.getSpec().getWorkspaces().setAgentDir(null));

    awaitReadyWithin(ns, "reviewer", WOKEN_WITHIN);
    assertTrue(
        pod.equals(harness.pod(ns, "auditor").orElseThrow().getMetadata().getUid()),
        "the older agent's pod is left alone");
  }

  @Test
  void sameDirectoryInAnotherNamespaceIsAnotherVolume() {
    var one = tokens("dir-ns-1");
    var two = tokens("dir-ns-2");
    harness.create(agent(one, "webster", "A"));
    harness.create(agent(two, "webster", "B"));
    harness.awaitReady(one, "webster");
    harness.awaitReady(two, "webster");
  }

  @Test
  void fivePairsCreatedInTheSameInstantEndWithTheOlderRunningAndTheNewerWithoutPod()
      throws Exception {
    var pairs = new ArrayList<List<AtomizerAgent>>();
    for (int i = 0; i < 5; i++) {
      var ns = tokens("dir-race-" + i);
      pairs.add(
          List.of(
              onDir(agent(ns, "left", "A"), "shared"), onDir(agent(ns, "right", "B"), "shared")));
    }
    var creations = pairs.stream().flatMap(List::stream).toList();
    var pool = Executors.newFixedThreadPool(creations.size());
    try {
      var barrier = new CyclicBarrier(creations.size());
      var futures = new ArrayList<Future<AtomizerAgent>>();
      for (var agent : creations) {
        futures.add(
            pool.submit(
                () -> {
                  barrier.await();
                  return harness.create(agent);
                }));
      }
      for (var f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (var pair : pairs) {
      var byAge =
          pair.stream()
              .map(a -> harness.get(a.getMetadata().getNamespace(), a.getMetadata().getName()))
              .sorted(
                  Comparator.comparing((AtomizerAgent a) -> a.getMetadata().getCreationTimestamp())
                      .thenComparing(a -> a.getMetadata().getName()))
              .toList();
      var ns = byAge.get(0).getMetadata().getNamespace();
      var older = byAge.get(0).getMetadata().getName();
      var newer = byAge.get(1).getMetadata().getName();
      harness.awaitReady(ns, older);
      assertBlockedBy(ns, newer, ns + "/" + older);
    }
  }

  /** A namespace whose Secret holds two distinct tokens, A and B. */
  private static String tokens(String seed) {
    return harness.namespace(Map.of("A", token(seed + "-a"), "B", token(seed + "-b")));
  }

  private static AtomizerAgent onDir(AtomizerAgent agent, String dir) {
    agent.getSpec().getWorkspaces().setAgentDir(dir);
    return agent;
  }

  /** DuplicateAgentDir naming {@code holder}, Stalled, and no pod. */
  private static void assertBlockedBy(String ns, String name, String holder) {
    var storage = harness.awaitCondition(ns, name, "StorageReady", "False", "DuplicateAgentDir");
    assertTrue(storage.getMessage().contains(holder), storage.getMessage());
    assertTrue(storage.getMessage().contains("spec.workspaces.agentDir"), storage.getMessage());
    harness.awaitCondition(ns, name, "Stalled", "True", "DuplicateAgentDir");
    harness.awaitCondition(ns, name, "Ready", "False", "DuplicateAgentDir");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> harness.pod(ns, name).isEmpty());
  }

  private static void awaitReadyWithin(String ns, String name, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> harness.condition(ns, name, "Ready").map(c -> c.getStatus()).orElse(""),
            "True"::equals);
  }
}
