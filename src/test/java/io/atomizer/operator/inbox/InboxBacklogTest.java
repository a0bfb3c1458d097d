package io.atomizer.operator.inbox;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.InboxStatus;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox backlog end to end: the operator scans a workspaces directory every second and shows
 * each agent's INBOX in status.inbox and InboxHealthy. Each test uses its own agent names: the
 * agent directory is the agent's name, whatever the namespace.
 */
@Tag("mock")
class InboxBacklogTest {

  @TempDir static Path root;
  static Workspaces workspaces;
  static OperatorHarness harness;

  @BeforeAll
  static void start() {
    workspaces = new Workspaces(root);
    harness =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_WORKSPACES_ROOT",
                root.toString(),
                "ATOMIZER_INBOX_INTERVAL_SECONDS",
                "1"));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void pendingCountsTheJsonTasksDroppedIntoTheAgentsInbox() throws IOException {
    var ns = run(agent(namespace("manager"), "manager", "TOKEN"));
    awaitInbox(ns, "manager", i -> i.getPending() == 0);

    var oldest = ago(30);
    var first = workspaces.drop("manager", "t1.json", "{\"task\":1}", oldest);
    workspaces.drop("manager", "t2.json", "{\"task\":2}", ago(20));
    workspaces.drop("manager", "t3.json", "[]", ago(10));
    workspaces.task("manager", "notes.txt", "not a task", ago(5));
    Files.createDirectories(workspaces.inbox("manager").resolve("processed"));
    var inbox = awaitInbox(ns, "manager", i -> i.getPending() == 3);
    assertEquals(0, inbox.getInvalid());
    assertEquals(oldest.truncatedTo(ChronoUnit.SECONDS).toString(), inbox.getOldestPendingTime());
    assertTrue(inbox.getOldestPendingSeconds() >= 30, "oldest " + inbox.getOldestPendingSeconds());
    harness.awaitCondition(ns, "manager", "InboxHealthy", "True", "WithinLimits");

    Files.delete(first);
    awaitInbox(ns, "manager", i -> i.getPending() == 2);
  }

  @Test
  void agentDirOverrideIsTheDirectoryScanned() {
    var agent = agent(namespace("tech-lead"), "tech-lead", "TOKEN");
    agent.getSpec().getWorkspaces().setAgentDir("techlead");
    var ns = run(agent);
    for (int i = 0; i < 5; i++) {
      workspaces.drop("tech-lead", "other-" + i + ".json", "{}", ago(5));
    }
    workspaces.drop("techlead", "mine-1.json", "{}", ago(5));
    workspaces.drop("techlead", "mine-2.json", "{}", ago(5));

    awaitInbox(ns, "tech-lead", i -> i.getPending() == 2);
  }

  @Test
  void backlogPastMaxPendingDegradesTheAgentButKeepsItReadyAndClears() throws IOException {
    var agent = agent(namespace("secretary"), "secretary", "TOKEN");
    agent.getSpec().getInbox().setMaxPending(2);
    var ns = run(agent);
    var tasks =
        List.of(
            workspaces.drop("secretary", "a.json", "{}", ago(5)),
            workspaces.drop("secretary", "b.json", "{}", ago(5)),
            workspaces.drop("secretary", "c.json", "{}", ago(5)));

    var backlog = harness.awaitCondition(ns, "secretary", "InboxHealthy", "False", "Backlogged");
    assertTrue(backlog.getMessage().contains("maxPending (2)"), backlog.getMessage());
    harness.awaitAgent(ns, "secretary", a -> a.getStatus().getPhase() == Phase.Degraded);
    assertEquals("True", harness.condition(ns, "secretary", "Ready").orElseThrow().getStatus());

    Files.delete(tasks.get(0));
    Files.delete(tasks.get(1));
    harness.awaitCondition(ns, "secretary", "InboxHealthy", "True", "WithinLimits");
    harness.awaitAgent(ns, "secretary", a -> a.getStatus().getPhase() == Phase.Running);
  }

  @Test
  void taskOlderThanMaxAgeMakesTheInboxBacklogged() throws IOException {
    var agent = agent(namespace("auditor"), "auditor", "TOKEN");
    agent.getSpec().getInbox().setMaxAge("10m");
    var ns = run(agent);
    var old = workspaces.drop("auditor", "stale.json", "{}", ago(11 * 60));

    var backlog = harness.awaitCondition(ns, "auditor", "InboxHealthy", "False", "Backlogged");
    assertTrue(backlog.getMessage().contains("maxAge (10m)"), backlog.getMessage());
    assertEquals("True", harness.condition(ns, "auditor", "Ready").orElseThrow().getStatus());

    Files.delete(old);
    harness.awaitCondition(ns, "auditor", "InboxHealthy", "True", "WithinLimits");
  }

  @Test
  void taskCrossingMaxAgeLaterBacklogsTheInboxWithoutAnyFileChange() {
    var agent = agent(namespace("optimizer"), "optimizer", "TOKEN");
    agent.getSpec().getInbox().setMaxAge("20s");
    var ns = run(agent);
    workspaces.drop("optimizer", "slow.json", "{}", ago(12));
    awaitInbox(ns, "optimizer", i -> i.getPending() == 1);
    harness.awaitCondition(ns, "optimizer", "InboxHealthy", "True", "WithinLimits");

    // no file changes from here: the operator looks again when the task passes maxAge
    var backlog = harness.awaitCondition(ns, "optimizer", "InboxHealthy", "False", "Backlogged");
    assertTrue(backlog.getMessage().contains("maxAge (20s)"), backlog.getMessage());
  }

  @Test
  void invalidTaskFilesAreCountedApartFromPendingOnes() {
    var ns = run(agent(namespace("study-builder"), "study-builder", "TOKEN"));
    workspaces.drop("study-builder", "good.json", "{\"ok\":true}", ago(5));
    workspaces.drop("study-builder", "broken.json", "{\"half\": ", ago(5));
    workspaces.drop("study-builder", "prose.json", "hello, not JSON", ago(5));
    workspaces.task("study-builder", "empty.json", "", ago(5));

    var inbox = awaitInbox(ns, "study-builder", i -> i.getInvalid() == 3);
    assertEquals(1, inbox.getPending());
    var healthy =
        harness.awaitCondition(ns, "study-builder", "InboxHealthy", "True", "WithinLimits");
    assertTrue(healthy.getMessage().contains("3 invalid file(s)"), healthy.getMessage());
  }

  @Test
  void missingWorkspacesRootMakesInboxHealthyUnknownAndTheAgentStillRuns() {
    try (var unmounted =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_WORKSPACES_ROOT",
                root.resolve("not-mounted").toString(),
                "ATOMIZER_INBOX_INTERVAL_SECONDS",
                "1"))) {
      var ns = unmounted.namespace(Map.of("TOKEN", token("inbox-unmounted")));
      unmounted.create(agent(ns, "nx-expert", "TOKEN"));
      var unknown =
          unmounted.awaitCondition(
              ns, "nx-expert", "InboxHealthy", "Unknown", "WorkspaceUnavailable");
      assertTrue(unknown.getMessage().contains("ATOMIZER_WORKSPACES_ROOT"), unknown.getMessage());
      unmounted.awaitReady(ns, "nx-expert");
      var inbox = unmounted.get(ns, "nx-expert").getStatus().getInbox();
      assertNull(inbox.getPending(), "unknown, not zero");
    }
  }

  @Test
  void unchangedInboxCausesNoStatusWrites() throws InterruptedException {
    var ns = run(agent(namespace("webster"), "webster", "TOKEN"));
    workspaces.drop("webster", "a.json", "{}", ago(60));
    workspaces.drop("webster", "b.json", "{}", ago(50));
    awaitInbox(ns, "webster", i -> i.getPending() == 2);
    harness.awaitSettled(ns);

    var mark = harness.mark();
    Thread.sleep(6000); // six scan intervals
    assertEquals(List.of(), writesIn(ns, mark), "no writes while the INBOX is unchanged");

    workspaces.drop("webster", "c.json", "{}", ago(40));
    awaitInbox(ns, "webster", i -> i.getPending() == 3);
    harness.awaitSettled(ns);
    var writes = writesIn(ns, mark);
    assertEquals(1, writes.size(), "one status write for the new task: " + writes);
    assertEquals("status", writes.get(0).subresource());
  }

  private static List<ApiCall> writesIn(String ns, int mark) {
    return harness.callsSince(mark).stream()
        .filter(c -> c.isWrite() && c.namespace().equals(ns))
        .toList();
  }

  /** A namespace with a token Secret for one agent. */
  private static String namespace(String agent) {
    return harness.namespace(Map.of("TOKEN", token("inbox-" + agent)));
  }

  private static String run(AtomizerAgent agent) {
    harness.create(agent);
    harness.awaitReady(agent.getMetadata().getNamespace(), agent.getMetadata().getName());
    return agent.getMetadata().getNamespace();
  }

  private static InboxStatus awaitInbox(String ns, String name, Predicate<InboxStatus> test) {
    harness.awaitAgent(
        ns,
        name,
        a ->
            a.getStatus().getInbox() != null
                && a.getStatus().getInbox().getPending() != null
                && test.test(a.getStatus().getInbox()));
    return harness.get(ns, name).getStatus().getInbox();
  }

  private static Instant ago(int seconds) {
    return Instant.now().minus(Duration.ofSeconds(seconds));
  }
}
