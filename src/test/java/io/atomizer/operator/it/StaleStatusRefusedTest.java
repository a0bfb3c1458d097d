package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.AgentWatchOutage;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.StatusTripwire;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A status the operator computed from its view of an agent that was deleted meanwhile never lands
 * on the agent re-created under the same name: the write names the resourceVersion it was computed
 * from, and is refused (409) when that is not the stored one. The 30-minute chaos soak found such a
 * write (a re-created agent shown with its predecessor's observedGeneration) on the mock server,
 * which then took status writes without that precondition; the real API server's side is {@code
 * e2e/StatusWritePreconditionIT}.
 */
@Tag("mock")
class StaleStatusRefusedTest {

  @RegisterExtension
  static final OperatorHarness harness =
      new OperatorHarness(Map.of("ATOMIZER_RECHECK_SECONDS", "5"));

  @AfterEach
  void clearFaults() {
    harness.cluster().clearFaults();
  }

  @Test
  void statusComputedForADeletedAgentNeverLandsOnItsNamesake() {
    var ns = harness.namespace(Map.of("K", token("stale-status")));
    harness.create(agent(ns, "manager", "K"));
    harness.awaitReady(ns, "manager");
    // two spec changes, so that the old agent's status (observedGeneration 3) is told from the
    // new one's (generation 1)
    for (var image : List.of("openclaw:2026.9.5", "openclaw:2026.9.6")) {
      AgentEdits.edit(
          harness.client(), ns, "manager", a -> a.getSpec().setImage("ghcr.io/openclaw/" + image));
    }
    harness.awaitAgent(
        ns, "manager", a -> a.getStatus() != null && a.getStatus().getObservedGeneration() == 3);
    var oldStatus = harness.get(ns, "manager").getStatus();

    AgentWatchOutage.begin(harness.cluster());
    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("manager").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.get(ns, "manager") == null);
    var uid = harness.create(agent(ns, "manager", "K")).getMetadata().getUid();
    // the re-created agent has a status of its own before the operator sees it (here the test's,
    // as a restore that brings back status would write it), marked so that any change shows
    harness
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .withName("manager")
        .editStatus(
            a -> {
              a.setStatus(oldStatus);
              a.getStatus().setObservedGeneration(1L);
              return a;
            });
    StatusTripwire.set(harness.client(), ns, "manager");

    // the operator still has the old agent: its pod's deletion makes it reconcile that view, which
    // has a new status to write (the pod is gone)
    int mark = harness.mark();
    harness.client().pods().inNamespace(ns).withName("manager").delete();
    await("the operator's status write from its view of the deleted agent")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                harness.callsSince(mark).stream()
                    .anyMatch(
                        c ->
                            c.verb().equals("patch")
                                && c.resource().equals("atomizeragents")
                                && c.subresource().equals("status")));
    var meanwhile = harness.get(ns, "manager");
    assertTrue(
        StatusTripwire.intact(meanwhile) && meanwhile.getStatus().getObservedGeneration() == 1,
        "a status computed for the deleted agent reached the re-created one: "
            + meanwhile.getStatus().getObservedGeneration()
            + ", Ready "
            + meanwhile.getStatus().condition("Ready").orElseThrow());

    AgentWatchOutage.end(harness.cluster());
    harness.awaitAgent(ns, "manager", a -> uid.equals(a.getMetadata().getUid()) && ready(a));
  }

  private static boolean ready(AtomizerAgent agent) {
    return agent.getStatus() != null
        && agent.getStatus().getObservedGeneration() == 1
        && agent
            .getStatus()
            .condition("Ready")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false);
  }
}
