package io.atomizer.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.ConfigSpec;
import io.atomizer.operator.customresource.SkillsSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's own spec checks: each problem names the field to fix. */
class SpecChecksTest {

  private final AtomizerAgent agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");

  @Test
  void goodSpecHasNoProblems() {
    var skills = new SkillsSpec();
    skills.setClaimName("atomizer-skills");
    agent.getSpec().setSkills(skills);
    var config = new ConfigSpec();
    config.setConfigMapName("tech-lead-config");
    agent.getSpec().setConfig(config);
    agent.getSpec().getWorkspaces().setAgentDir("TechLead");
    agent.getSpec().getState().setMountPath("/root/.openclaw");
    agent.getSpec().setEnv(List.of(new EnvVar("TZ", "Europe/Paris", null)));

    assertEquals(List.of(), SpecChecks.problems(agent));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Tech_Lead", "-tech", "tech.lead"})
  void badNameIsAProblem(String name) {
    agent.getMetadata().setName(name);

    assertOnlyProblemMentions("metadata.name");
  }

  @Test
  void nameTooLongForItsStateClaimIsAProblem() {
    agent.getMetadata().setName("a".repeat(58));

    assertOnlyProblemMentions("metadata.name");
  }

  @Test
  void missingSpecIsAProblem() {
    agent.setSpec(null);

    assertOnlyProblemMentions("spec is required");
  }

  @Test
  void missingRoleIsAProblem() {
    agent.getSpec().setRole(null);

    assertOnlyProblemMentions("spec.role");
  }

  @Test
  void missingTokenIsAProblem() {
    agent.getSpec().setToken(null);

    assertOnlyProblemMentions("spec.token is required");
  }

  @Test
  void missingWorkspacesIsAProblem() {
    agent.getSpec().setWorkspaces(null);

    assertOnlyProblemMentions("spec.workspaces is required");
  }

  @Test
  void badSecretNameIsAProblem() {
    agent.getSpec().getToken().setSecretName("Discord_Tokens");

    assertOnlyProblemMentions("spec.token.secretName");
  }

  @Test
  void badSecretKeyIsAProblem() {
    agent.getSpec().getToken().setKey("TECH LEAD");

    assertOnlyProblemMentions("spec.token.key");
  }

  @Test
  void badTokenEnvNameIsAProblem() {
    agent.getSpec().getToken().setEnvName("1DISCORD");

    assertOnlyProblemMentions("spec.token.envName");
  }

  @Test
  void missingTokenEnvNameIsAProblemNotACrash() {
    agent.getSpec().getToken().setEnvName(null);
    agent.getSpec().setEnv(List.of(new EnvVar("TZ", "Europe/Paris", null)));

    assertOnlyProblemMentions("spec.token.envName");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "/x", "a/b", ".hidden"})
  void agentDirMustBeOneDirectoryName(String agentDir) {
    agent.getSpec().getWorkspaces().setAgentDir(agentDir);

    assertOnlyProblemMentions("spec.workspaces.agentDir");
  }

  @Test
  void duplicateMountPathsAreAProblem() {
    agent.getSpec().getState().setMountPath("/app/workspaces");

    assertOnlyProblemMentions("spec.state.mountPath must differ from spec.workspaces.mountPath");
  }

  @Test
  void configMountedOverSkillsIsAProblem() {
    var skills = new SkillsSpec();
    skills.setClaimName("atomizer-skills");
    agent.getSpec().setSkills(skills);
    var config = new ConfigSpec();
    config.setConfigMapName("tech-lead-config");
    config.setMountPath("/app/skills");
    agent.getSpec().setConfig(config);

    assertOnlyProblemMentions("spec.config.mountPath must differ from spec.skills.mountPath");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app/workspaces", "/app/../etc", "/app/./workspaces", "/app/", "/"})
  void mountPathMustBeAbsoluteWithoutDotSegments(String path) {
    agent.getSpec().getWorkspaces().setMountPath(path);

    assertOnlyProblemMentions("spec.workspaces.mountPath must be an absolute path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0Gi", "-1Gi"})
  void stateSizeMustBePositive(String size) {
    agent.getSpec().getState().setSize(size);

    assertOnlyProblemMentions("spec.state.size must be a positive quantity");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "1 GB", ""})
  void unparseableStateSizeIsAProblem(String size) {
    agent.getSpec().getState().setSize(size);

    assertOnlyProblemMentions("spec.state.size");
  }

  @Test
  void negativeResourceQuantityIsAProblem() {
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("-512Mi"))
                .addToLimits("memory", new Quantity("2Gi"))
                .build());

    assertOnlyProblemMentions("spec.resources.requests.memory must not be negative");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1Mi", "100m", "511Mi", "1", "512Ki"})
  void memoryLimitBelowTheFloorIsAProblemNamingTheField(String memory) {
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity(memory)).build());

    var problem = assertOnlyProblemMentions("spec.resources.limits.memory must be at least 512Mi");
    assertTrue(problem.contains("0.9 GB"), problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1Mi", "100m", "255Mi"})
  void memoryRequestBelowTheFloorIsAProblemNamingTheField(String memory) {
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity(memory))
                .addToLimits("memory", new Quantity("1536Mi"))
                .build());

    assertOnlyProblemMentions("spec.resources.requests.memory must be at least 256Mi");
  }

  @Test
  void memoryAtTheFloorsIsNoProblem() {
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build());

    assertEquals(List.of(), SpecChecks.problems(agent));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e100Gi", "2 Gi", "lots"})
  void resourceQuantityThatNoPodWouldAcceptIsAProblem(String memory) {
    // kept as written, as LenientQuantities reads what fabric8's parser refuses
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity(memory, ""))
                .build());

    assertOnlyProblemMentions("spec.resources.limits.memory must be a quantity such as 512Mi");
  }

  @Test
  void resourceQuantityLargerThanAnyNodeIsAProblem() {
    agent
        .getSpec()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1e100")).build());

    assertOnlyProblemMentions("spec.resources.limits.memory is larger than any node");
  }

  @Test
  void importingTheTokenSecretWholeIsAProblem() {
    agent
        .getSpec()
        .setEnvFrom(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                    .withNewSecretRef(agent.getSpec().getToken().getSecretName(), null)
                    .build()));

    assertOnlyProblemMentions("spec.envFrom must not import the token Secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "..data"})
  void tokenKeyThatNoSecretCanHaveIsAProblem(String key) {
    agent.getSpec().getToken().setKey(key);

    assertOnlyProblemMentions("spec.token.key");
  }

  @Test
  void envSettingTheTokenVariableIsAProblem() {
    agent.getSpec().setEnv(List.of(new EnvVar("DISCORD_BOT_TOKEN", "inline-token", null)));

    var problem = assertOnlyProblemMentions("spec.env must not set DISCORD_BOT_TOKEN");
    assertFalse(problem.contains("inline-token"), "the value is never repeated: " + problem);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    agent.getSpec().setRole("Tech Lead");
    agent.getSpec().getToken().setKey("TECH LEAD");
    agent.getSpec().getState().setSize("0");

    assertEquals(3, SpecChecks.problems(agent).size(), SpecChecks.problems(agent).toString());
  }

  private String assertOnlyProblemMentions(String text) {
    var problems = SpecChecks.problems(agent);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(text), problems.get(0));
    return problems.get(0);
  }
}
