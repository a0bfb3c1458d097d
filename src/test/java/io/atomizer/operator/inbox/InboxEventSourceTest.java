package io.atomizer.operator.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.inbox.InboxSnapshot.State;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real JOSDK operator, mock API server, a recording reconciler and the inbox event source. */
@Tag("mock")
class InboxEventSourceTest {

  static final Duration INTERVAL = Duration.ofMillis(100);
  static final Instant HOUR_AGO = Instant.now().minus(1, ChronoUnit.HOURS);
  static final String NS = "team";

  @TempDir Path root;
  Workspaces ws;
  MockCluster cluster;
  Operator operator;
  final Map<String, AtomicInteger> scans = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    ws = new Workspaces(root);
    cluster = new MockCluster();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    cluster.close();
  }

  InboxRecorder start(InboxScan scan, InboxEventSource.Settings settings) {
    InboxScan counted =
        (dir, cache) -> {
          scans.computeIfAbsent(dir, k -> new AtomicInteger()).incrementAndGet();
          return scan.scan(dir, cache);
        };
    var recorder = new InboxRecorder(counted, settings, InboxScanListener.NONE);
    operator = recorder.start(cluster, Metrics.NOOP);
    return recorder;
  }

  void create(String name) {
    cluster.client().resource(Agents.agent(NS, name, name)).create();
  }

  /** Waits until the scanner read the agent's INBOX {@code more} times again. */
  void awaitScans(String agent, int more) {
    var before = scansOf(agent);
    await().atMost(Duration.ofSeconds(10)).until(() -> scansOf(agent) - before >= more);
  }

  int scansOf(String agent) {
    return scans.getOrDefault(agent, new AtomicInteger()).get();
  }

  @Test
  void unchangedInboxCausesNoReconcileAndEachChangeExactlyOne() throws Exception {
    ws.task("manager", "a.json", "{}", HOUR_AGO);
    var recorder =
        start(new InboxScanner(root, Clock.systemUTC()), InboxEventSource.Settings.every(INTERVAL));
    create("manager");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recorder.last("manager").map(InboxSnapshot::pending).orElse(-1) == 1);
    awaitScans("manager", 3);

    var settled = recorder.reconciles("manager");
    awaitScans("manager", 5);
    assertEquals(settled, recorder.reconciles("manager"), "no reconcile while nothing changed");

    ws.drop("manager", "b.json", "{}", HOUR_AGO);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recorder.last("manager").map(InboxSnapshot::pending).orElse(-1) == 2);
    awaitScans("manager", 5);
    assertEquals(settled + 1, recorder.reconciles("manager"), "one new task, one reconcile");
  }

  @Test
  void reconcileBeforeTheFirstScanSeesNoSnapshotAndNeverScansItself() throws Exception {
    var release = new CountDownLatch(1);
    var scanner = new InboxScanner(root, Clock.systemUTC());
    var recorder =
        start(
            (dir, cache) -> {
              block(release);
              return scanner.scan(dir, cache);
            },
            InboxEventSource.Settings.every(INTERVAL));
    create("manager");

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.reconciles("manager") >= 1);
    assertTrue(recorder.last("manager").isEmpty(), "no snapshot yet: NotScanned");

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recorder.last("manager").map(InboxSnapshot::isOk).orElse(false));
  }

  @Test
  void hungScanOfOneAgentDoesNotDelayTheOthersAndIsReportedUntilItFinishes() throws Exception {
    var hang = new CountDownLatch(1);
    var scanner = new InboxScanner(root, Clock.systemUTC());
    ws.task("fine", "t.json", "{}", HOUR_AGO);
    ws.task("stuck", "t.json", "{}", HOUR_AGO);
    var settings =
        new InboxEventSource.Settings(
            INTERVAL, Duration.ofMillis(50), Duration.ofMillis(800), 1, true);
    var recorder =
        start(
            (dir, cache) -> {
              if (dir.equals("stuck")) {
                block(hang); // a volume that does not answer
              }
              return scanner.scan(dir, cache);
            },
            settings);
    create("stuck");
    create("fine");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recorder.last("fine").map(InboxSnapshot::pending).orElse(-1) == 1);
    var before = scansOf("fine");
    Thread.sleep(1500);
    var during = scansOf("fine") - before;
    assertTrue(during >= 5, "fine was scanned " + during + " times in 1.5 s at 100 ms");
    assertEquals(1, scansOf("stuck"), "no second scan piles up behind the hung one");

    var stuck =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> recorder.last("stuck"), s -> s.isPresent() && !s.get().isOk())
            .orElseThrow();
    assertEquals(State.INBOX_UNREADABLE, stuck.state());
    assertTrue(stuck.detail().contains("has not finished"), stuck.detail());

    hang.countDown();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recorder.last("stuck").map(InboxSnapshot::pending).orElse(-1) == 1);
  }

  @Test
  void changedAgentDirIsScannedInsteadOfTheOldOne() {
    ws.task("manager", "a.json", "{}", HOUR_AGO);
    ws.task("boss", "a.json", "{}", HOUR_AGO);
    ws.task("boss", "b.json", "{}", HOUR_AGO);
    var recorder =
        start(new InboxScanner(root, Clock.systemUTC()), InboxEventSource.Settings.every(INTERVAL));
    create("manager");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recorder.last("manager").map(InboxSnapshot::pending).orElse(-1) == 1);

    cluster
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(NS)
        .withName("manager")
        .edit(
            a -> {
              a.getSpec().getWorkspaces().setAgentDir("boss");
              return a;
            });

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recorder.last("manager").map(InboxSnapshot::pending).orElse(-1) == 2);
  }

  static void block(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
