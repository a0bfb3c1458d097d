package io.atomizer.operator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.plan.SpecChecks;
import io.atomizer.operator.support.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The manifests a user applies with kubectl apply -k examples/, checked without a cluster. */
class ExamplesTest {

  static final CrdJsonSchema SCHEMA = CrdJsonSchema.load();

  @Test
  void everyAgentManifestValidatesAgainstTheCrdSchema() {
    var agents = Examples.agentManifests();
    assertEquals(Examples.TEAM.size(), agents.size(), "one manifest per agent");
    var problems = new ArrayList<String>();
    for (var agent : agents) {
      SCHEMA.problems(agent).forEach(p -> problems.add(name(agent) + ": " + p));
    }
    assertEquals(List.of(), problems);
  }

  /** The schema check would catch what a person gets wrong; otherwise it proves nothing. */
  @Test
  void theSchemaCheckRejectsTyposMissingFieldsAndBadQuantities() {
    var valid = Examples.agentManifests().get(0);
    assertEquals(List.of(), SCHEMA.problems(valid));

    var typo = valid.deepCopy();
    ((ObjectNode) typo.path("spec")).set("worksapces", typo.path("spec").path("workspaces"));
    assertFalse(SCHEMA.problems(typo).isEmpty(), "unknown field spec.worksapces");

    var noKey = valid.deepCopy();
    ((ObjectNode) noKey.path("spec").path("token")).remove("key");
    assertFalse(SCHEMA.problems(noKey).isEmpty(), "spec.token.key is required");

    var badSize = valid.deepCopy();
    ((ObjectNode) badSize.path("spec")).putObject("state").put("size", "lots");
    assertFalse(SCHEMA.problems(badSize).isEmpty(), "state.size must be a quantity");

    var badRole = valid.deepCopy();
    ((ObjectNode) badRole.path("spec")).put("role", "Tech Lead");
    assertFalse(SCHEMA.problems(badRole).isEmpty(), "role must be a DNS label");
  }

  @Test
  void everyAgentPassesTheOperatorsOwnSpecChecks() {
    // the operator's checks repeat the CRD's CEL rules, which no offline validator can run
    for (var manifest : Examples.agentManifests()) {
      var agent = (AtomizerAgent) Manifests.typed(manifest);
      assertEquals(List.of(), SpecChecks.problems(agent), name(manifest));
    }
  }

  @Test
  void theExamplesAreTheTeamsEightAgentsInItsNamespace() {
    var names = Examples.agentManifests().stream().map(ExamplesTest::name).sorted().toList();
    assertEquals(Examples.TEAM.stream().sorted().toList(), names);
    for (var agent : Examples.agentManifests()) {
      assertEquals("atomizer", agent.path("metadata").path("namespace").asText(), name(agent));
      assertEquals(name(agent), agent.path("spec").path("role").asText());
      assertEquals(
          "atomizer-workspaces", agent.path("spec").path("workspaces").path("claimName").asText());
    }
    var techLead = agent("tech-lead");
    assertEquals(
        "technical-lead",
        techLead.path("spec").path("workspaces").path("agentDir").asText(),
        "the team's tech-lead works in workspaces/technical-lead/");
  }

  @Test
  void noTwoAgentsShareATokenKey() {
    var byKey = new HashMap<String, List<String>>();
    for (var agent : Examples.agentManifests()) {
      var token = agent.path("spec").path("token");
      byKey
          .computeIfAbsent(
              token.path("secretName").asText() + "/" + token.path("key").asText(),
              k -> new ArrayList<>())
          .add(name(agent));
    }
    var shared =
        byKey.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(Map.Entry::toString)
            .toList();
    assertEquals(List.of(), shared);
  }

  @Test
  void secretTemplateHasEachAgentsKeyAndTheGatewayTokenAsPlaceholdersOnly() {
    var secret = (Secret) Manifests.typed(Manifests.documents(Examples.SECRET_TEMPLATE).get(0));
    var keys = new TreeSet<>(secret.getStringData().keySet());
    var expected = new TreeSet<String>();
    Examples.agentManifests()
        .forEach(a -> expected.add(a.path("spec").path("token").path("key").asText()));
    expected.add("GATEWAY_TOKEN");
    assertEquals(expected, keys);
    secret
        .getStringData()
        .forEach(
            (k, v) -> assertTrue(v.startsWith("<") && v.endsWith(">"), k + " is a placeholder"));
    for (var agent : Examples.agentManifests()) {
      assertEquals(
          secret.getMetadata().getName(),
          agent.path("spec").path("token").path("secretName").asText());
    }
  }

  @Test
  void kustomizationAppliesEveryManifestButTheSecretTemplate() {
    var kustomization = Manifests.documents(Examples.KUSTOMIZATION).get(0);
    var listed = new TreeSet<String>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    var expected =
        Examples.yamlFiles().stream()
            .filter(f -> f.getNameCount() == 1 || f.startsWith("agents"))
            .map(Path::toString)
            .filter(f -> !f.equals("kustomization.yaml") && !f.equals("secret.template.yaml"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, listed);
    assertTrue(listed.containsAll(List.of("namespace.yaml", "workspaces-pvc.yaml")));
    assertFalse(listed.contains("secret.template.yaml"), "never the placeholder Secret");
  }

  @Test
  void everyManifestTheKustomizationAppliesParsesIntoItsType() {
    var kustomization = Manifests.documents(Examples.KUSTOMIZATION).get(0);
    var kinds = new TreeSet<String>();
    kustomization
        .path("resources")
        .forEach(
            r ->
                Manifests.documents(Examples.ROOT.resolve(r.asText()))
                    .forEach(d -> kinds.add(Manifests.typed(d).getKind())));
    assertEquals(
        new TreeSet<>(List.of("AtomizerAgent", "ConfigMap", "Namespace", "PersistentVolumeClaim")),
        kinds);
  }

  @Test
  void agentsHavePinnedImagesAndResourcesThatFitTheT420() {
    var limits = BigDecimal.ZERO;
    var requests = BigDecimal.ZERO;
    for (var manifest : Examples.agentManifests()) {
      var agent = (AtomizerAgent) Manifests.typed(manifest);
      var image = agent.getSpec().getImage();
      assertTrue(image.matches(".+:[\\w][\\w.-]*$") && !image.endsWith(":latest"), image);
      var resources = agent.getSpec().getResources();
      var limit = Quantity.getAmountInBytes(resources.getLimits().get("memory"));
      var request = Quantity.getAmountInBytes(resources.getRequests().get("memory"));
      assertTrue(request.compareTo(limit) <= 0, name(manifest) + ": request within limit");
      // an idle agent measured 0.87-0.92 GB (830-877Mi) of RSS: the request covers it
      assertTrue(
          between(request, "880Mi", "1Gi") && between(limit, "1280Mi", "1536Mi"),
          name(manifest) + ": requests 880Mi-1Gi, limits 1.25Gi-1.5Gi");
      limits = limits.add(limit);
      requests = requests.add(request);
    }
    assertTrue(limits.compareTo(bytes("12Gi")) <= 0, "all limits fit 12Gi: " + limits);
    // 8 x 896Mi: fits a 16 GB T420's allocatable memory (about 13Gi); an 8 GB one holds six
    assertTrue(requests.compareTo(bytes("7Gi")) <= 0, "all requests fit a 16 GB T420: " + requests);
  }

  @Test
  void agentsShareTheOpenClawConfigAndGatewayToken() throws Exception {
    var configMap =
        (ConfigMap)
            Manifests.typed(
                Manifests.documents(Examples.ROOT.resolve("openclaw-config.yaml")).get(0));
    var config = new ObjectMapper().readTree(configMap.getData().get("openclaw.json"));
    var gateway = config.path("gateway");
    assertEquals("local", gateway.path("mode").asText(), "OpenClaw refuses to start otherwise");
    assertEquals("lan", gateway.path("bind").asText(), "the kubelet's probes must reach it");
    assertEquals(18789, gateway.path("port").asInt());
    assertEquals("token", gateway.path("auth").path("mode").asText());
    assertEquals("${OPENCLAW_GATEWAY_TOKEN}", gateway.path("auth").path("token").asText());
    var discord = config.path("channels").path("discord");
    assertTrue(discord.path("enabled").asBoolean());
    assertTrue(
        config.path("plugins").path("entries").path("discord").path("enabled").asBoolean(),
        "an installed channel plugin starts only when the config enables it");
    assertTrue(
        config.path("plugins").path("entries").path("admin-http-rpc").path("enabled").asBoolean(),
        "the operator reads DiscordConnected through this plugin's route");
    for (var manifest : Examples.agentManifests()) {
      var agent = (AtomizerAgent) Manifests.typed(manifest);
      assertEquals(
          configMap.getMetadata().getName(), agent.getSpec().getConfig().getConfigMapName());
      assertEquals(
          "${" + agent.getSpec().getToken().getEnvName() + "}",
          discord.path("token").asText(),
          "the config reads the token from the variable the operator sets");
      var gatewayToken =
          agent.getSpec().getEnv().stream()
              .filter(e -> e.getName().equals("OPENCLAW_GATEWAY_TOKEN"))
              .findFirst()
              .orElseThrow();
      assertEquals("GATEWAY_TOKEN", gatewayToken.getValueFrom().getSecretKeyRef().getKey());
      assertEquals(
          agent.getSpec().getToken().getSecretName(),
          gatewayToken.getValueFrom().getSecretKeyRef().getName());
    }
  }

  @Test
  void helmManagedFleetOnTheT420HasTheSameAgentsAsTheExamples() {
    var values = Manifests.documents(Examples.T420_VALUES).get(0);
    var fromValues = new HashMap<String, JsonNode>();
    values.path("agents").forEach(a -> fromValues.put(a.path("name").asText(), a.path("spec")));
    var fromExamples = new HashMap<String, JsonNode>();
    Examples.agentManifests().forEach(a -> fromExamples.put(name(a), a.path("spec")));
    assertEquals(fromExamples, fromValues);
    assertNotEquals(0, fromValues.size());
  }

  private static JsonNode agent(String name) {
    return Examples.agentManifests().stream()
        .filter(a -> name(a).equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String name(JsonNode manifest) {
    return manifest.path("metadata").path("name").asText();
  }

  private static boolean between(BigDecimal value, String min, String max) {
    return value.compareTo(bytes(min)) >= 0 && value.compareTo(bytes(max)) <= 0;
  }

  private static BigDecimal bytes(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity));
  }
}
