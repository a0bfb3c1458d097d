package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.AgentWatchOutage;
import io.atomizer.operator.support.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent deleted and re-created under the same name while the operator could not watch agents is
 * reconciled within the recheck interval once the watch is back, although JOSDK drops the event
 * that says so: JOSDK keys what it knows of a primary by namespace/name, not by uid, so the list
 * that follows a dropped watch reports the new agent as an update of the old one, of the same
 * generation, which its generation filter discards. Only a timer of JOSDK's own (the longest
 * interval between two reconciles of an agent) then brings the new agent to the reconciler; without
 * one it waits for an unrelated event (JOSDK's default: 10 hours), as the chaos soak's agent that
 * stayed "creating the agent's pod" did.
 */
@Tag("mock")
class RecreatedAgentRecoversTest {

  private static final Duration RECHECK = Duration.ofSeconds(5);
  private static final Duration SLACK = Duration.ofSeconds(3);
  private static final String OLD_IMAGE = "ghcr.io/openclaw/openclaw:2026.9.5";
  private static final String NEW_IMAGE = "ghcr.io/openclaw/openclaw:2026.9.6";

  @RegisterExtension
  static final OperatorHarness harness =
      new OperatorHarness(Map.of("ATOMIZER_RECHECK_SECONDS", String.valueOf(RECHECK.toSeconds())));

  @AfterEach
  void clearFaults() {
    harness.cluster().clearFaults();
  }

  @Test
  void agentRecreatedWhileAgentsWereUnwatchedIsReconciledWithinTheRecheckInterval() {
    var ns = harness.namespace(Map.of("K", token("recreated")));
    var old = agent(ns, "manager", "K");
    old.getSpec().setImage(OLD_IMAGE);
    harness.create(old);
    harness.awaitReady(ns, "manager");
    var oldUid = harness.get(ns, "manager").getMetadata().getUid();

    // the operator's agent watch breaks, and cannot be opened again for a while
    AgentWatchOutage.begin(harness.cluster());
    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("manager").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.get(ns, "manager") == null);
    var recreated = agent(ns, "manager", "K");
    recreated.getSpec().setImage(NEW_IMAGE);
    harness.create(recreated);
    var newUid = harness.get(ns, "manager").getMetadata().getUid();
    assertTrue(!newUid.equals(oldUid), "re-created with a new uid");

    // the watch is back: the informer lists agents afresh
    AgentWatchOutage.end(harness.cluster());
    long back = System.nanoTime();
    var deadline = RECHECK.multipliedBy(4);
    await(
            "the re-created agent reconciled (it has a status) within "
                + deadline.toSeconds()
                + " s of the watch's return, recheck interval "
                + RECHECK.toSeconds()
                + " s")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> reconciled(ns));
    double seconds = (System.nanoTime() - back) / 1e9;
    assertTrue(
        seconds <= RECHECK.plus(SLACK).toSeconds(),
        "the re-created agent was first reconciled "
            + seconds
            + " s after the watch came back"
            + " (recheck interval "
            + RECHECK.toSeconds()
            + " s)");
    harness.awaitReady(ns, "manager");
    assertEquals(
        NEW_IMAGE,
        harness.pod(ns, "manager").orElseThrow().getSpec().getContainers().get(0).getImage());
  }

  private static boolean reconciled(String ns) {
    var agent = harness.get(ns, "manager");
    return agent != null && agent.getStatus() != null;
  }
}
