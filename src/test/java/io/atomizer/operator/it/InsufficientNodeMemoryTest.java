package io.atomizer.operator.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.reconciler.NodeMemoryFit;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator warns, with an Event on the agent, when a new agent's memory request cannot fit the
 * node's allocatable memory beside the other agents' requests: the T420 case of one agent too many.
 */
@Tag("mock")
class InsufficientNodeMemoryTest {

  static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness();
    // one node, as on the T420, that can allocate 2Gi to pods
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("t420")
            .endMetadata()
            .withNewStatus()
            .addToAllocatable("memory", new Quantity("2Gi"))
            .endStatus()
            .build();
    harness.client().nodes().resource(node).create();
    harness.client().nodes().resource(node).updateStatus(); // create drops the status, as kube does
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  static AtomizerAgent agent(String ns, String name, String request) {
    var agent = Agents.agent(ns, name, name.toUpperCase().replace('-', '_') + "_TOKEN");
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity(request))
                .addToLimits("memory", new Quantity("1536Mi"))
                .build());
    return agent;
  }

  @Test
  void theAgentThatNoLongerFitsGetsAWarningAndTheOthersNone() {
    var ns =
        harness.namespace(
            Map.of(
                "MANAGER_TOKEN",
                "t-manager-0001",
                "TECH_LEAD_TOKEN",
                "t-tech-lead-01",
                "AUDITOR_TOKEN",
                "t-auditor-0001"));
    harness.create(agent(ns, "manager", "768Mi"));
    harness.awaitReady(ns, "manager");
    harness.create(agent(ns, "tech-lead", "768Mi"));
    harness.awaitReady(ns, "tech-lead");

    harness.create(agent(ns, "auditor", "768Mi")); // 2304Mi in all, over 2Gi

    await().atMost(Duration.ofSeconds(30)).until(() -> !warnings(ns).isEmpty());
    var warnings = warnings(ns);
    assertEquals(1, warnings.size(), warnings::toString);
    var event = warnings.get(0);
    assertEquals("auditor", event.getInvolvedObject().getName());
    assertEquals("Warning", event.getType());
    assertTrue(
        event
            .getMessage()
            .startsWith(
                "This agent requests 768Mi of memory, but the nodes allocate 2048Mi and the"
                    + " other 2 running agents request 1536Mi (free: 512Mi)."),
        event.getMessage());
    harness.awaitReady(ns, "auditor"); // a warning, not a block: the scheduler decides
    assertEquals(1, warnings(ns).size(), "one warning, not one per reconcile");
  }

  @Test
  void aSuspendedAgentLeavesRoomAndALimitWithoutRequestCountsAsTheRequest() {
    var all =
        List.of(
            agent("x", "manager", "1Gi"),
            agent("x", "tech-lead", "1Gi"),
            agent("x", "webster", "1Gi"));
    for (int i = 0; i < all.size(); i++) {
      all.get(i).getMetadata().setUid("uid-" + i);
    }
    all.get(2).getSpec().setSuspend(true);
    var limitOnly = agent("x", "auditor", "1Gi");
    limitOnly.getMetadata().setUid("uid-auditor");
    limitOnly.getSpec().getResources().setRequests(null); // the API server takes the limit, 1536Mi
    var twoGi = Quantity.getAmountInBytes(new Quantity("2Gi"));

    assertTrue(NodeMemoryFit.verdict(all.get(0), all, twoGi).isEmpty(), "2Gi of 2Gi fit");
    var more = new java.util.ArrayList<>(all);
    more.add(limitOnly);
    var warning = NodeMemoryFit.verdict(limitOnly, more, twoGi).orElseThrow();
    assertEquals(NodeMemoryFit.REASON, warning.reason());
    assertTrue(warning.message().contains("requests 1536Mi"), warning.message());
  }

  private static List<Event> warnings(String ns) {
    return harness.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> NodeMemoryFit.REASON.equals(e.getReason()))
        .toList();
  }
}
