package io.atomizer.operator.support;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.atomizer.operator.customresource.TokenSpec;
import io.atomizer.operator.customresource.WorkspacesSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test fixtures: agents, token Secrets and shared claims as a user would write them. */
public final class Agents {

  public static final String SECRET = "atomizer-discord-tokens";
  public static final String WORKSPACES = "atomizer-workspaces";

  /** The team's eight agents, in the order of its pivot document. */
  public static final List<String> TEAM =
      List.of(
          "manager",
          "tech-lead",
          "secretary",
          "auditor",
          "optimizer",
          "study-builder",
          "nx-expert",
          "webster");

  private Agents() {}

  /** The team's Secret key of an agent's token: tech-lead is TECH_LEAD_TOKEN. */
  public static String tokenKey(String agent) {
    return agent.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_TOKEN";
  }

  /** An agent in {@code namespace} whose token is key {@code tokenKey} of the team Secret. */
  public static AtomizerAgent agent(String namespace, String name, String tokenKey) {
    var agent = new AtomizerAgent();
    agent.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).build());
    var spec = new AtomizerAgentSpec();
    spec.setRole(name);
    spec.setDisplayName("Atomizer " + name);
    spec.setToken(new TokenSpec(SECRET, tokenKey));
    var workspaces = new WorkspacesSpec();
    workspaces.setClaimName(WORKSPACES);
    spec.setWorkspaces(workspaces);
    agent.setSpec(spec);
    return agent;
  }

  /** Same as {@link #agent}, with a creation timestamp, as the API server would set it. */
  public static AtomizerAgent created(String namespace, String name, String key, Instant at) {
    var agent = agent(namespace, name, key);
    agent.getMetadata().setCreationTimestamp(at.toString());
    agent.getMetadata().setUid(namespace + "-" + name + "-uid");
    return agent;
  }

  /** The team's token Secret with the given key/token pairs. */
  public static Secret tokens(String namespace, Map<String, String> tokens) {
    return secret(namespace, SECRET, tokens);
  }

  public static Secret secret(String namespace, String name, Map<String, String> values) {
    var data = new LinkedHashMap<String, String>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The shared workspaces claim. */
  public static PersistentVolumeClaim workspaces(String namespace) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(WORKSPACES)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withNewResources()
        .addToRequests("storage", new Quantity("5Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  /** A recognisable fake Discord token for {@code who}. */
  public static String token(String who) {
    return "MTA-fake-" + who + ".GhXyZ.secret-token-value-" + who;
  }
}
