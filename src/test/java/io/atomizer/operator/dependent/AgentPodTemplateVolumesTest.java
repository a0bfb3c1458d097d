package io.atomizer.operator.dependent;

import static io.atomizer.operator.dependent.AgentPodTemplateEnvTest.build;
import static io.atomizer.operator.dependent.AgentPodTemplateEnvTest.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.customresource.ConfigSpec;
import io.atomizer.operator.customresource.PodOverrides;
import io.atomizer.operator.customresource.SkillsSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pod's volumes and mounts, and the init container that prepares the agent's INBOX. */
class AgentPodTemplateVolumesTest {

  @Test
  void stateClaimIsNamedAfterTheAgentAndMountedAtTheStatePath() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getState().setMountPath("/root/.openclaw");

    var pod = build(agent);

    assertEquals("tech-lead-state", volume(pod, "state").getPersistentVolumeClaim().getClaimName());
    var mount = mount(pod, "state");
    assertEquals("/root/.openclaw", mount.getMountPath());
    assertNull(mount.getReadOnly());
  }

  @Test
  void workspacesClaimIsMountedWritableAtItsPath() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals(
        Agents.WORKSPACES, volume(pod, "workspaces").getPersistentVolumeClaim().getClaimName());
    var mount = mount(pod, "workspaces");
    assertEquals("/app/workspaces", mount.getMountPath());
    assertNull(mount.getReadOnly());
  }

  @Test
  void noSkillsOrConfigVolumeUnlessTheSpecAsks() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals(
        List.of("state", "workspaces", "tmp"),
        pod.getSpec().getVolumes().stream().map(Volume::getName).toList());
  }

  @Test
  void skillsAreMountedReadOnlyByDefault() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var skills = new SkillsSpec();
    skills.setClaimName("atomizer-skills");
    agent.getSpec().setSkills(skills);

    var pod = build(agent);

    var claim = volume(pod, "skills").getPersistentVolumeClaim();
    assertEquals("atomizer-skills", claim.getClaimName());
    assertEquals(Boolean.TRUE, claim.getReadOnly());
    assertEquals("/app/skills", mount(pod, "skills").getMountPath());
    assertEquals(Boolean.TRUE, mount(pod, "skills").getReadOnly());
  }

  @Test
  void skillsCanBeMountedWritable() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var skills = new SkillsSpec();
    skills.setClaimName("atomizer-skills");
    skills.setReadOnly(false);
    agent.getSpec().setSkills(skills);

    var pod = build(agent);

    assertNotEquals(Boolean.TRUE, volume(pod, "skills").getPersistentVolumeClaim().getReadOnly());
    assertNotEquals(Boolean.TRUE, mount(pod, "skills").getReadOnly());
  }

  @Test
  void configMapIsMountedReadOnlyAtItsPath() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var config = new ConfigSpec();
    config.setConfigMapName("tech-lead-config");
    agent.getSpec().setConfig(config);

    var pod = build(agent);

    assertEquals("tech-lead-config", volume(pod, "config").getConfigMap().getName());
    assertEquals("/etc/openclaw", mount(pod, "config").getMountPath());
    assertEquals(Boolean.TRUE, mount(pod, "config").getReadOnly());
  }

  @Test
  void tmpIsAnEmptyDirSoTheRootFilesystemCanStayReadOnly() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertNotNull(volume(pod, "tmp").getEmptyDir());
    assertEquals("/tmp", mount(pod, "tmp").getMountPath());
  }

  @Test
  void initContainerCreatesTheAgentsInboxAndSharedContext() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    var init = initContainer(pod);
    assertEquals(List.of("node", "-e"), init.getCommand().subList(0, 2), "no shell needed");
    assertEquals(
        List.of(
            "/app/workspaces/tech-lead/INBOX",
            "/app/workspaces/shared_context",
            "/home/node/.openclaw/.cache"),
        init.getCommand().subList(5, 8));
    assertEquals(container(pod).getImage(), init.getImage());
    assertEquals(
        List.of("state", "workspaces"),
        init.getVolumeMounts().stream().map(VolumeMount::getName).toList());
    assertEquals("/app/workspaces", init.getVolumeMounts().get(1).getMountPath());
  }

  @Test
  void withoutSpecConfigTheInitContainerWritesAWorkingDefaultConfigOnce() throws Exception {
    var init = initContainer(build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN")));

    assertEquals("/home/node/.openclaw/openclaw.json", init.getCommand().get(3));
    var config = init.getCommand().get(4);
    assertTrue(config.contains("\"mode\": \"local\""), config);
    assertTrue(config.contains("\"token\": \"${OPENCLAW_GATEWAY_TOKEN}\""), config);
    assertTrue(config.contains("\"token\": \"${DISCORD_BOT_TOKEN}\""), config);
    var plugins = new ObjectMapper().readTree(config).path("plugins").path("entries");
    assertTrue(plugins.path("discord").path("enabled").asBoolean(), config);
    assertTrue(
        plugins.path("admin-http-rpc").path("enabled").asBoolean(),
        "DiscordConnected is read through this plugin's route: " + config);
    assertTrue(init.getCommand().get(2).contains("flag:'wx'"), "never overwrites a config");
  }

  @Test
  void withSpecConfigTheInitContainerWritesNoConfig() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var config = new ConfigSpec();
    config.setConfigMapName("openclaw-config");
    agent.getSpec().setConfig(config);

    var init = initContainer(build(agent));

    assertEquals(List.of("", ""), init.getCommand().subList(3, 5));
  }

  @Test
  void initContainerUsesAgentDirAndWorkspacesMountPath() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    agent.getSpec().getWorkspaces().setAgentDir("TechLead");
    agent.getSpec().getWorkspaces().setMountPath("/workspaces");

    var init = initContainer(build(agent));

    assertEquals(
        List.of("/workspaces/TechLead/INBOX", "/workspaces/shared_context"),
        init.getCommand().subList(5, 7));
  }

  @Test
  void initContainerRunsWithTheAgentContainersSecurityContext() {
    var pod = build(Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN"));

    assertEquals(container(pod).getSecurityContext(), initContainer(pod).getSecurityContext());
    assertNotNull(initContainer(pod).getSecurityContext());
  }

  @Test
  void customContainerSecurityContextAppliesToTheInitContainerToo() {
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    var custom = new SecurityContextBuilder().withRunAsUser(2000L).build();
    agent.getSpec().setPod(new PodOverrides());
    agent.getSpec().getPod().setContainerSecurityContext(custom);

    var pod = build(agent);

    assertEquals(custom, initContainer(pod).getSecurityContext());
    assertEquals(custom, container(pod).getSecurityContext());
  }

  static Container initContainer(Pod pod) {
    var inits = pod.getSpec().getInitContainers();
    assertEquals(1, inits.size());
    assertEquals(AgentPodTemplate.INIT_CONTAINER, inits.get(0).getName());
    return inits.get(0);
  }

  static Volume volume(Pod pod, String name) {
    var found = pod.getSpec().getVolumes().stream().filter(v -> name.equals(v.getName())).toList();
    assertEquals(1, found.size(), "volume " + name);
    return found.get(0);
  }

  static VolumeMount mount(Pod pod, String name) {
    var found =
        container(pod).getVolumeMounts().stream().filter(m -> name.equals(m.getName())).toList();
    assertEquals(1, found.size(), "mount " + name);
    assertTrue(found.get(0).getMountPath().startsWith("/"));
    return found.get(0);
  }
}
