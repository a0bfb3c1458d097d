package io.atomizer.operator.token;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No env variable of a pod carries a Discord token of any agent: a spec.env secretKeyRef to another
 * agent's token key (in the token Secret or in a copy) gets Ready=False/TokenInEnv, Stalled and no
 * pod, while GATEWAY_TOKEN read from the same token Secret keeps working.
 */
@Tag("mock")
class TokensInEnvTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  @Test
  void gatewayTokenFromTheTokenSecretRunsAnotherAgentsTokenKeyIsRefused() {
    var ns = team("env-same-secret");
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    var lead = agent(ns, "tech-lead", "TECH_LEAD_TOKEN");
    lead.getSpec().setEnv(List.of(fromSecret("GATEWAY_TOKEN", Agents.SECRET, "GATEWAY_TOKEN")));
    harness.create(lead);
    harness.awaitReady(ns, "manager");
    harness.awaitReady(ns, "tech-lead");

    var spy = agent(ns, "secretary", "SECRETARY_TOKEN");
    spy.getSpec()
        .setEnv(
            List.of(
                fromSecret("GATEWAY_TOKEN", Agents.SECRET, "GATEWAY_TOKEN"),
                fromSecret("BOSS", Agents.SECRET, "MANAGER_TOKEN")));
    harness.create(spy);

    assertRefused(ns, "secretary", "spec.env[1] (BOSS)", ns + "/manager");
  }

  @Test
  void aCopyOfAnotherAgentsTokenInAnotherSecretIsRefused() {
    var ns = team("env-copy");
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    harness
        .client()
        .resource(Agents.secret(ns, "copies", Map.of("SPARE", token("env-copy-manager"))))
        .create();
    var spy = agent(ns, "auditor", "AUDITOR_TOKEN");
    spy.getSpec().setEnv(List.of(fromSecret("SPARE", "copies", "SPARE")));
    harness.create(spy);

    assertRefused(ns, "auditor", "spec.env[0] (SPARE)", ns + "/manager");
  }

  @Test
  void addingAnotherAgentsTokenToARunningAgentRemovesItsPodAndRemovingItStartsItAgain() {
    var ns = team("env-edit");
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    harness.create(agent(ns, "optimizer", "OPTIMIZER_TOKEN"));
    harness.awaitReady(ns, "optimizer");

    edit(ns, "optimizer", List.of(fromSecret("BOSS", Agents.SECRET, "MANAGER_TOKEN")));
    assertRefused(ns, "optimizer", "spec.env[0] (BOSS)", ns + "/manager");

    edit(ns, "optimizer", List.of(fromSecret("GATEWAY_TOKEN", Agents.SECRET, "GATEWAY_TOKEN")));
    harness.awaitReady(ns, "optimizer");
  }

  /** The team Secret: one token per agent, and a gateway token that is no bot's. */
  private static String team(String seed) {
    var keys = new java.util.HashMap<String, String>();
    for (var name : List.of("manager", "tech-lead", "secretary", "auditor", "optimizer")) {
      keys.put(Agents.tokenKey(name), token(seed + "-" + name));
    }
    keys.put("GATEWAY_TOKEN", "gateway-" + seed);
    return harness.namespace(keys);
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static void edit(String ns, String name, List<EnvVar> env) {
    AgentEdits.edit(harness.client(), ns, name, a -> a.getSpec().setEnv(new ArrayList<>(env)));
  }

  private static void assertRefused(String ns, String name, String variable, String holder) {
    var ready = harness.awaitCondition(ns, name, "Ready", "False", "TokenInEnv");
    assertTrue(ready.getMessage().contains(variable), ready.getMessage());
    assertTrue(ready.getMessage().contains(holder), ready.getMessage());
    harness.awaitCondition(ns, name, "Stalled", "True", "TokenInEnv");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> harness.pod(ns, name).isEmpty());
  }
}
