package io.atomizer.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.SkillsSpec;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared claims an agent mounts, asked of the API server (here fabric8's mock, CRUD mode). */
@Tag("mock")
@EnableKubernetesMockClient(crud = true)
class SharedClaimsTest {

  static KubernetesClient client;

  @ParameterizedTest(name = "workspaces {0}, skills {1} -> {2}")
  @CsvSource({
    // workspaces, skills,  missing
    "exists,       none,    ''",
    "absent,       none,    WorkspaceClaimNotFound",
    "exists,       exists,  ''",
    "exists,       absent,  SkillsClaimNotFound",
    "absent,       absent,  WorkspaceClaimNotFound SkillsClaimNotFound",
  })
  void findsTheMissingClaims(String workspaces, String skills, String missing) {
    var namespace = "ns-" + workspaces + "-" + skills;
    var agent = Agents.agent(namespace, "tech-lead", "TECH_LEAD_TOKEN");
    if (workspaces.equals("exists")) {
      claim(namespace, Agents.WORKSPACES);
    }
    if (!skills.equals("none")) {
      var spec = new SkillsSpec();
      spec.setClaimName("atomizer-skills");
      agent.getSpec().setSkills(spec);
      if (skills.equals("exists")) {
        claim(namespace, "atomizer-skills");
      }
    }

    var found = SharedClaims.missing(agent, client);

    assertEquals(
        missing.isEmpty() ? List.of() : List.of(missing.split(" ")),
        found.stream().map(AgentPlan.MissingClaim::reason).toList());
    found.forEach(
        claim ->
            assertEquals(
                claim.reason().equals(Conditions.WORKSPACE_CLAIM_NOT_FOUND)
                    ? "spec.workspaces.claimName"
                    : "spec.skills.claimName",
                claim.field()));
  }

  private static void claim(String namespace, String name) {
    client
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .create();
  }
}
