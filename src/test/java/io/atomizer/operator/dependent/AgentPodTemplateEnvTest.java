package io.atomizer.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.ConfigSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent container's environment: the token reference, OpenClaw's paths and Node's heap. */
class AgentPodTemplateEnvTest {

  static final String FINGERPRINT = "0123456789ab";

  @Test
  void tokenReachesTheContainerOnlyThroughASecretKeyRef() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    var token = env(pod, "DISCORD_BOT_TOKEN").orElseThrow();
    assertNull(token.getValue(), "the token is never an inline value");
    var ref = token.getValueFrom().getSecretKeyRef();
    assertEquals(Agents.SECRET, ref.getName());
    assertEquals("TECH_LEAD_TOKEN", ref.getKey());
    assertEquals(Boolean.FALSE, ref.getOptional(), "a missing key must stop the container");
  }

  @Test
  void tokenEnvNameCanBeOverridden() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getToken().setEnvName("DISCORD_TOKEN");

    var pod = build(agent);

    var token = env(pod, "DISCORD_TOKEN").orElseThrow();
    assertEquals("TECH_LEAD_TOKEN", token.getValueFrom().getSecretKeyRef().getKey());
    assertTrue(env(pod, "DISCORD_BOT_TOKEN").isEmpty());
  }

  @Test
  void noContainerGetsTheTokenSecretAnyOtherWay() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    var init = pod.getSpec().getInitContainers().get(0);
    assertTrue(init.getEnv() == null || init.getEnv().isEmpty(), "init container has no env");
    assertTrue(init.getEnvFrom() == null || init.getEnvFrom().isEmpty());
    var agent = container(pod);
    var secretRefs =
        agent.getEnv().stream()
            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
            .map(EnvVar::getName)
            .toList();
    assertEquals(List.of("DISCORD_BOT_TOKEN"), secretRefs);
    assertTrue(agent.getEnvFrom() == null || agent.getEnvFrom().isEmpty());
    assertTrue(
        pod.getSpec().getVolumes().stream().allMatch(v -> v.getSecret() == null),
        "no Secret volume");
  }

  @Test
  void stateDirPointsAtTheStateMount() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getState().setMountPath("/root/.openclaw");

    assertEquals("/root/.openclaw", value(build(agent), "OPENCLAW_STATE_DIR"));
  }

  @Test
  void configPathDefaultsToOpenclawJsonInTheStateDir() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals("/home/node/.openclaw/openclaw.json", value(pod, "OPENCLAW_CONFIG_PATH"));
  }

  @Test
  void cacheIsInTheStateVolumeNotOnTheReadOnlyRoot() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals("/home/node/.openclaw/.cache", value(pod, "XDG_CACHE_HOME"));
    assertEquals(Boolean.TRUE, container(pod).getSecurityContext().getReadOnlyRootFilesystem());
  }

  @Test
  void openClawsWorkspaceIsTheAgentsFolderInTheSharedWorkspaces() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getWorkspaces().setAgentDir("TechLead");

    assertEquals("/app/workspaces/TechLead", value(build(agent), "OPENCLAW_WORKSPACE_DIR"));
  }

  @Test
  void noVariableOpenClawIgnoresIsPresentedAsItsConfig() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var config = new ConfigSpec();
    config.setConfigMapName("tech-lead-config");
    agent.getSpec().setConfig(config);

    assertTrue(env(build(agent), "AGENT_CONFIG_PATH").isEmpty());
  }

  @Test
  void graceCoversTheGatewaysOwnDrainBudget() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    // OpenClaw 2026.9.6: drain 315 s + reserve 10 s + supervisor margin 5 s
    assertEquals(330L, pod.getSpec().getTerminationGracePeriodSeconds());
  }

  @Test
  void configPathPointsAtTheConfigMapMountAndKey() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var config = new ConfigSpec();
    config.setConfigMapName("tech-lead-config");
    config.setKey("agent.json");
    config.setMountPath("/config");
    agent.getSpec().setConfig(config);

    var pod = build(agent);

    assertEquals("/config/agent.json", value(pod, "OPENCLAW_CONFIG_PATH"));
  }

  @Test
  void nodeHeapIsThreeQuartersOfTheDefaultMemoryLimit() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals("--max-old-space-size=1152", value(pod, "NODE_OPTIONS"));
  }

  @Test
  void nodeHeapFollowsTheSpecsMemoryLimit() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1G")).build());

    // 10^9 bytes * 0.75 = 715.26 MiB, rounded down
    assertEquals("--max-old-space-size=715", value(build(agent), "NODE_OPTIONS"));
  }

  @Test
  void noNodeOptionsWithoutAMemoryLimit() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("cpu", new Quantity("1"))
                .build());

    assertTrue(env(build(agent), "NODE_OPTIONS").isEmpty());
  }

  @Test
  void nodeOptionsFromTheSpecAreNotOverridden() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().setEnv(List.of(new EnvVar("NODE_OPTIONS", "--max-old-space-size=300", null)));

    var nodeOptions =
        container(build(agent)).getEnv().stream()
            .filter(e -> "NODE_OPTIONS".equals(e.getName()))
            .map(EnvVar::getValue)
            .toList();

    assertEquals(List.of("--max-old-space-size=300"), nodeOptions);
  }

  @Test
  void userEnvIsPassedThrough() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().setEnv(List.of(new EnvVar("TZ", "Europe/Paris", null)));

    assertEquals("Europe/Paris", value(build(agent), "TZ"));
  }

  @Test
  void defaultResourcesCoverTheMeasuredFootprint() {
    var resources = container(build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN")));

    // measured: 0.87-0.92 GB RSS per idle agent, gateway and its two workers together
    assertEquals(
        Map.of("cpu", new Quantity("100m"), "memory", new Quantity("1Gi")),
        resources.getResources().getRequests());
    assertEquals(Map.of("memory", new Quantity("1536Mi")), resources.getResources().getLimits());
  }

  @Test
  void specResourcesReplaceTheDefaults() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var custom =
        new ResourceRequirementsBuilder()
            .addToRequests("memory", new Quantity("256Mi"))
            .addToLimits("memory", new Quantity("1Gi"))
            .build();
    agent.getSpec().setResources(custom);

    var container = container(build(agent));

    assertEquals(custom, container.getResources());
    assertEquals(
        "--max-old-space-size=768", env(container, "NODE_OPTIONS").orElseThrow().getValue());
  }

  @Test
  void agentIdAndInboxNameTheAgentsWorkspaceDirectory() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getWorkspaces().setAgentDir("TechLead");

    var pod = build(agent);

    assertEquals("TechLead", value(pod, "ATOMIZER_AGENT_ID"));
    assertEquals("/app/workspaces/TechLead/INBOX", value(pod, "ATOMIZER_INBOX"));
  }

  static Pod build(AtomizerAgent agent) {
    return AgentPodTemplate.build(agent, FINGERPRINT);
  }

  static Container container(Pod pod) {
    var containers = pod.getSpec().getContainers();
    assertEquals(1, containers.size(), "one container, one token");
    assertEquals(AgentPodTemplate.CONTAINER, containers.get(0).getName());
    return containers.get(0);
  }

  static Optional<EnvVar> env(Pod pod, String name) {
    return env(container(pod), name);
  }

  static Optional<EnvVar> env(Container container, String name) {
    var matches = container.getEnv().stream().filter(e -> name.equals(e.getName())).toList();
    assertFalse(matches.size() > 1, name + " is set more than once");
    return matches.stream().findFirst();
  }

  static String value(Pod pod, String name) {
    var env = env(pod, name);
    assertNotNull(env.orElse(null), name + " is not set");
    return env.get().getValue();
  }
}
