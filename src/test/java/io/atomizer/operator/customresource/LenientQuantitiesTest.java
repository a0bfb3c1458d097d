package io.atomizer.operator.customresource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.plan.SpecChecks;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * An agent whose embedded Kubernetes quantities fabric8 cannot parse still reads (the informer
 * would otherwise fail on it and stop the operator), keeps the values as written, and is answered
 * by the spec checks.
 */
class LenientQuantitiesTest {

  static final String AGENT =
      """
      apiVersion: atomizer.io/v1alpha1
      kind: AtomizerAgent
      metadata: {name: huge, namespace: team}
      spec:
        role: manager
        token: {secretName: tokens, key: MANAGER_TOKEN}
        workspaces: {claimName: workspaces}
        resources:
          requests: {cpu: 100m, memory: 512Mi}
          limits: {memory: 1e100Gi}
        env:
        - name: LIMIT
          valueFrom:
            resourceFieldRef: {resource: limits.memory, divisor: 5e3Mi}
      """;

  @Test
  void unparseableQuantitiesAreReadAsWrittenAndReportedByTheSpecChecks() {
    var serialization = new KubernetesSerialization();
    var agent = serialization.unmarshal(AGENT, AtomizerAgent.class);

    assertEquals("1e100Gi", agent.getSpec().getResources().getLimits().get("memory").toString());
    assertEquals("512Mi", agent.getSpec().getResources().getRequests().get("memory").toString());
    assertEquals(
        "5e3Mi",
        agent
            .getSpec()
            .getEnv()
            .get(0)
            .getValueFrom()
            .getResourceFieldRef()
            .getDivisor()
            .toString());
    var problems = String.join(" ", SpecChecks.problems(agent));
    assertTrue(problems.contains("spec.resources.limits.memory"), problems);
    assertTrue(problems.contains("spec.env[0].valueFrom.resourceFieldRef.divisor"), problems);
    assertEquals(2, SpecChecks.problems(agent).size(), problems);
  }
}
