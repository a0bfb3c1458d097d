package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.playground.SimulatedNode.Behavior;
import io.atomizer.operator.support.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the kubelet reports about the pod becomes PodHealthy, Ready, Stalled and Reconciling. */
@Tag("mock")
class PodHealthConditionsTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  @Test
  void readyPodMakesTheAgentReadyAndCurrent() {
    var ns = harness.namespace(Map.of("K", token("a")));
    harness.create(agent(ns, "manager", "K"));
    harness.awaitReady(ns, "manager");
    harness.awaitCondition(ns, "manager", "PodHealthy", "True", "Running");
    harness.awaitCondition(ns, "manager", "Reconciling", "False", "Reconciled");
    harness.awaitCondition(ns, "manager", "Stalled", "False", "NotStalled");
  }

  @Test
  void crashLoopIsStalledWithAHint() {
    var ns = harness.namespace(Map.of("K", token("b")));
    harness.node().setBehavior(ns, "tech-lead", Behavior.CRASH_LOOP);
    harness.create(agent(ns, "tech-lead", "K"));
    var ready = harness.awaitCondition(ns, "tech-lead", "Ready", "False", "CrashLoopBackOff");
    assertTrue(ready.getMessage().contains("kubectl logs"), ready.getMessage());
    harness.awaitCondition(ns, "tech-lead", "Stalled", "True", "CrashLoopBackOff");
    harness.awaitCondition(ns, "tech-lead", "Reconciling", "False", "Blocked");
    harness.awaitAgent(
        ns,
        "tech-lead",
        a ->
            a.getStatus().getPhase() == Phase.Failed
                && a.getStatus().getPod().getRestartCount() == 5);
    var events = harness.client().v1().events().inNamespace(ns).list().getItems();
    assertTrue(
        events.stream().anyMatch(e -> e.getReason().equals("CrashLoopBackOff")), "a Warning event");

    harness.node().setBehavior(ns, "tech-lead", Behavior.READY);
    harness.awaitReady(ns, "tech-lead");
    harness.awaitCondition(ns, "tech-lead", "Stalled", "False", "NotStalled");
  }

  @Test
  void oomKilledPointsAtTheMemoryLimit() {
    var ns = harness.namespace(Map.of("K", token("c")));
    harness.node().setBehavior(ns, "secretary", Behavior.OOM_KILLED);
    harness.create(agent(ns, "secretary", "K"));
    var healthy = harness.awaitCondition(ns, "secretary", "PodHealthy", "False", "OOMKilled");
    assertTrue(healthy.getMessage().contains("spec.resources.limits.memory"), healthy.getMessage());
    harness.awaitCondition(ns, "secretary", "Stalled", "True", "OOMKilled");
    harness.awaitAgent(
        ns,
        "secretary",
        a ->
            "OOMKilled".equals(a.getStatus().getPod().getLastTerminationReason())
                && a.getStatus().getPod().getLastExitCode() == 137);
  }

  @Test
  void imagePullBackOffNamesTheImage() {
    var ns = harness.namespace(Map.of("K", token("d")));
    harness.node().setBehavior(ns, "auditor", Behavior.IMAGE_PULL_BACK_OFF);
    harness.create(agent(ns, "auditor", "K"));
    var ready = harness.awaitCondition(ns, "auditor", "Ready", "False", "ImagePullBackOff");
    assertTrue(ready.getMessage().contains("ghcr.io/openclaw/openclaw"), ready.getMessage());
    harness.awaitCondition(ns, "auditor", "Stalled", "True", "ImagePullBackOff");
  }

  @Test
  void createContainerConfigErrorPointsAtSecretAndConfigMap() {
    var ns = harness.namespace(Map.of("K", token("e")));
    harness.node().setBehavior(ns, "optimizer", Behavior.CONFIG_ERROR);
    harness.create(agent(ns, "optimizer", "K"));
    var ready =
        harness.awaitCondition(ns, "optimizer", "Ready", "False", "CreateContainerConfigError");
    assertTrue(ready.getMessage().contains("spec.token"), ready.getMessage());
  }

  @Test
  void unschedulableIsReconcilingNotStalled() {
    var ns = harness.namespace(Map.of("K", token("f")));
    harness.node().setBehavior(ns, "webster", Behavior.UNSCHEDULABLE);
    harness.create(agent(ns, "webster", "K"));
    harness.awaitCondition(ns, "webster", "Ready", "False", "Unschedulable");
    harness.awaitCondition(ns, "webster", "Reconciling", "True", "Unschedulable");
    harness.awaitCondition(ns, "webster", "Stalled", "False", "NotStalled");
    assertEquals(Phase.Pending, harness.get(ns, "webster").getStatus().getPhase());
  }

  @Test
  void notReadyIsDegradedAndReconciling() {
    var ns = harness.namespace(Map.of("K", token("g")));
    harness.node().setBehavior(ns, "study-builder", Behavior.NOT_READY);
    harness.create(agent(ns, "study-builder", "K"));
    harness.awaitCondition(ns, "study-builder", "Ready", "False", "NotReady");
    harness.awaitCondition(ns, "study-builder", "Reconciling", "True", "NotReady");
    harness.awaitAgent(ns, "study-builder", a -> a.getStatus().getPhase() == Phase.Degraded);
  }
}
