package io.atomizer.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The operator reads objects without what it never looks at, and writes them in full. */
@Tag("mock")
class OperatorClientTest {

  static final String NS = "team";

  static Pod runningPod() {
    var pod = AgentPodTemplate.build(Agents.agent(NS, "manager", "MANAGER_TOKEN"), "0123456789ab");
    pod.getSpec().setNodeName("node-1");
    pod.getMetadata()
        .setManagedFields(
            java.util.List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubelet")
                    .withOperation("Update")
                    .withApiVersion("v1")
                    .build()));
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    return pod;
  }

  @Test
  void aPodIsReadWithItsIdentityAnnotationsAndStatusButWithoutContainersVolumesOrManagedFields() {
    var json = OperatorClient.serialization().asJson(runningPod());

    var read = OperatorClient.serialization().unmarshal(json, Pod.class);

    assertEquals("manager", read.getMetadata().getName());
    assertEquals("0123456789ab", Labels.fingerprintOf(read));
    assertTrue(read.getMetadata().getAnnotations().containsKey(Labels.SPEC_HASH));
    assertEquals("manager", Labels.agentOf(read).getName());
    assertEquals("Running", read.getStatus().getPhase());
    assertEquals("node-1", read.getSpec().getNodeName());
    assertTrue(read.getSpec().getContainers().isEmpty());
    assertTrue(read.getSpec().getInitContainers().isEmpty());
    assertTrue(read.getSpec().getVolumes().isEmpty());
    assertTrue(json.contains("\"managedFields\""), "written as set: " + json);
    assertTrue(read.getMetadata().getManagedFields().isEmpty());
    assertFalse(read.getMetadata().getAdditionalProperties().containsKey("managedFields"));
  }

  @Test
  void aDesiredPodIsWrittenInFull() {
    var pod = AgentPodTemplate.build(Agents.agent(NS, "manager", "MANAGER_TOKEN"), "0123456789ab");

    var json = OperatorClient.serialization().asJson(pod);

    assertTrue(json.contains("\"containers\""), json);
    assertTrue(json.contains("\"volumes\""), json);
    assertTrue(json.contains("\"initContainers\""), json);
  }

  @Test
  void anAgentIsReadWithItsSpecAndStatus() {
    var agent = Agents.agent(NS, "manager", "MANAGER_TOKEN");
    var status = new io.atomizer.operator.customresource.AtomizerAgentStatus();
    status.setStateClaimName("manager-state");
    agent.setStatus(status);

    var read =
        OperatorClient.serialization()
            .unmarshal(OperatorClient.serialization().asJson(agent), AtomizerAgent.class);

    assertEquals(agent.getSpec().getToken().getKey(), read.getSpec().getToken().getKey());
    assertEquals(Agents.WORKSPACES, read.getSpec().getWorkspaces().getClaimName());
    assertEquals("manager-state", read.getStatus().getStateClaimName());
  }

  @Test
  void theOperatorsClientOnTheMockReadsPodsLeanWhileTheServerKeepsThemWhole() {
    try (var cluster = new MockCluster();
        var operator = cluster.operatorClient()) {
      cluster
          .client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      cluster.client().resource(runningPod()).create();

      var seenByOperator = operator.pods().inNamespace(NS).withName("manager").get();
      var stored = cluster.client().pods().inNamespace(NS).withName("manager").get();

      assertTrue(seenByOperator.getSpec().getContainers().isEmpty());
      assertEquals("0123456789ab", Labels.fingerprintOf(seenByOperator));
      assertEquals(1, stored.getSpec().getContainers().size());
    }
  }
}
