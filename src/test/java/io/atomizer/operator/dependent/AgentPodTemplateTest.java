package io.atomizer.operator.dependent;

import static io.atomizer.operator.dependent.AgentPodTemplateEnvTest.build;
import static io.atomizer.operator.dependent.AgentPodTemplateEnvTest.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.customresource.PodOverrides;
import io.atomizer.operator.customresource.ProbeSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent pod's process, probes, security defaults and labels. */
class AgentPodTemplateTest {

  @Test
  void podIsNamedAfterTheAgentAndRestartsAlways() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals("tech-lead", pod.getMetadata().getName());
    assertEquals("team", pod.getMetadata().getNamespace());
    assertEquals("Always", pod.getSpec().getRestartPolicy());
  }

  @Test
  void defaultArgsStartTheGatewayOnTheLanWithItsPort() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getGateway().setPort(19000);

    var container = container(build(agent));

    assertTrue(
        container.getCommand() == null || container.getCommand().isEmpty(),
        "keeps the image's entrypoint (tini)");
    assertEquals(
        List.of("node", "/app/openclaw.mjs", "gateway", "--bind", "lan", "--port", "19000"),
        container.getArgs());
    assertEquals(19000, container.getPorts().get(0).getContainerPort());
  }

  @Test
  void specArgsAndCommandReplaceTheDefaults() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getGateway().setCommand(List.of("/bin/sh", "-c"));
    agent.getSpec().getGateway().setArgs(List.of("exec openclaw gateway"));

    var container = container(build(agent));

    assertEquals(List.of("/bin/sh", "-c"), container.getCommand());
    assertEquals(List.of("exec openclaw gateway"), container.getArgs());
  }

  @Test
  void defaultProbesHitTheGatewaysHealthEndpoints() {
    var container = container(build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN")));

    assertProbe(container.getLivenessProbe(), "/healthz", 18789, 30, 3);
    assertProbe(container.getReadinessProbe(), "/readyz", 18789, 10, 3);
    assertProbe(container.getStartupProbe(), "/startupz", 18789, 10, 30);
  }

  @Test
  void probesFollowTheGatewayPort() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getGateway().setPort(19000);

    var container = container(build(agent));

    assertEquals(19000, container.getLivenessProbe().getHttpGet().getPort().getIntVal());
    assertEquals(19000, container.getReadinessProbe().getHttpGet().getPort().getIntVal());
    assertEquals(19000, container.getStartupProbe().getHttpGet().getPort().getIntVal());
  }

  @Test
  void aProbeOverrideKeepsTheDefaultsItDoesNotSet() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var readiness = new ProbeSpec();
    readiness.setPeriodSeconds(5);
    agent.getSpec().getGateway().setReadiness(readiness);

    var probe = container(build(agent)).getReadinessProbe();

    assertProbe(probe, "/readyz", 18789, 5, 3);
    assertEquals(5, probe.getTimeoutSeconds());
  }

  @Test
  void aProbeOverrideCanChangeThePath() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var liveness = new ProbeSpec();
    liveness.setPath("/health");
    liveness.setFailureThreshold(6);
    agent.getSpec().getGateway().setLiveness(liveness);

    assertProbe(container(build(agent)).getLivenessProbe(), "/health", 18789, 30, 6);
  }

  @Test
  void aDisabledProbeIsRemovedAndTheOthersStay() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var startup = new ProbeSpec();
    startup.setEnabled(false);
    agent.getSpec().getGateway().setStartup(startup);

    var container = container(build(agent));

    assertNull(container.getStartupProbe());
    assertProbe(container.getLivenessProbe(), "/healthz", 18789, 30, 3);
    assertProbe(container.getReadinessProbe(), "/readyz", 18789, 10, 3);
  }

  @Test
  void podRunsAsOpenclawsNonRootUserWithRuntimeDefaultSeccomp() {
    var spec = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN")).getSpec();

    var pod = spec.getSecurityContext();
    assertEquals(Boolean.TRUE, pod.getRunAsNonRoot());
    assertEquals(1000L, pod.getRunAsUser());
    assertEquals(1000L, pod.getRunAsGroup());
    assertEquals(1000L, pod.getFsGroup());
    assertEquals("RuntimeDefault", pod.getSeccompProfile().getType());
  }

  @Test
  void containerIsRestrictedByDefault() {
    var security =
        container(build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"))).getSecurityContext();

    assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
    assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
    assertTrue(security.getCapabilities().getAdd().isEmpty());
    assertEquals("RuntimeDefault", security.getSeccompProfile().getType());
  }

  @Test
  void specSecurityContextsReplaceTheDefaults() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var podSecurity = new PodSecurityContextBuilder().withRunAsUser(0L).build();
    var containerSecurity = new SecurityContextBuilder().withPrivileged(false).build();
    overrides(agent).setSecurityContext(podSecurity);
    overrides(agent).setContainerSecurityContext(containerSecurity);

    var pod = build(agent);

    assertEquals(podSecurity, pod.getSpec().getSecurityContext());
    assertEquals(containerSecurity, container(pod).getSecurityContext());
  }

  @Test
  void serviceAccountTokenIsNotMountedByDefault() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals(Boolean.FALSE, pod.getSpec().getAutomountServiceAccountToken());
    assertNull(pod.getSpec().getServiceAccountName());
  }

  @Test
  void serviceAccountAndItsTokenCanBeAskedFor() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    overrides(agent).setServiceAccountName("agent-reader");
    overrides(agent).setAutomountServiceAccountToken(true);

    var pod = build(agent);

    assertEquals("agent-reader", pod.getSpec().getServiceAccountName());
    assertEquals(Boolean.TRUE, pod.getSpec().getAutomountServiceAccountToken());
  }

  @Test
  void podCarriesTheStandardLabels() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().setRole("lead");

    var labels = build(agent).getMetadata().getLabels();

    assertEquals("atomizer-agent", labels.get(Labels.NAME));
    assertEquals("tech-lead", labels.get(Labels.INSTANCE));
    assertEquals("agent", labels.get(Labels.COMPONENT));
    assertEquals("atomizer-operator", labels.get(Labels.MANAGED_BY));
    assertEquals("tech-lead", labels.get(Labels.AGENT));
    assertEquals("lead", labels.get(Labels.ROLE));
  }

  @Test
  void userLabelsAreAddedButCannotOverrideTheOperators() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    overrides(agent)
        .setLabels(
            Map.of(
                "team",
                "atomizer",
                Labels.AGENT,
                "manager",
                Labels.MANAGED_BY,
                "someone-else",
                Labels.ROLE,
                "boss"));

    var labels = build(agent).getMetadata().getLabels();

    assertEquals("atomizer", labels.get("team"));
    assertEquals("tech-lead", labels.get(Labels.AGENT));
    assertEquals("atomizer-operator", labels.get(Labels.MANAGED_BY));
    assertEquals("tech-lead", labels.get(Labels.ROLE));
  }

  @Test
  void userAnnotationsCannotOverrideTheFingerprint() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    overrides(agent)
        .setAnnotations(Map.of("team/owner", "ops", Labels.TOKEN_FINGERPRINT, "ffffffffffff"));

    var annotations = build(agent).getMetadata().getAnnotations();

    assertEquals("ops", annotations.get("team/owner"));
    assertEquals(AgentPodTemplateEnvTest.FINGERPRINT, annotations.get(Labels.TOKEN_FINGERPRINT));
  }

  @Test
  void schedulingOverridesArePassedThrough() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    overrides(agent).setNodeSelector(Map.of("kubernetes.io/hostname", "t420"));
    overrides(agent).setPriorityClassName("agents");

    var pod = build(agent).getSpec();

    assertEquals(Map.of("kubernetes.io/hostname", "t420"), pod.getNodeSelector());
    assertEquals("agents", pod.getPriorityClassName());
  }

  static PodOverrides overrides(AtomizerAgent agent) {
    if (agent.getSpec().getPod() == null) {
      agent.getSpec().setPod(new PodOverrides());
    }
    return agent.getSpec().getPod();
  }

  private static void assertProbe(
      Probe probe, String path, int port, int periodSeconds, int failureThreshold) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(port, probe.getHttpGet().getPort().getIntVal());
    assertEquals(periodSeconds, probe.getPeriodSeconds());
    assertEquals(failureThreshold, probe.getFailureThreshold());
  }
}
