package io.atomizer.operator.agentstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.agentstatus.DiscordStatus.Read;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the operator asks, and with which token: the pod's own OPENCLAW_GATEWAY_TOKEN. */
class GatewayTargetsTest {

  private final GatewayTargets.SecretValues secrets =
      (ns, name, key) ->
          "team".equals(ns) && "tokens".equals(name) && "GATEWAY_TOKEN".equals(key)
              ? Optional.of("from-secret")
              : Optional.empty();

  private GatewayTargets.Resolution resolve(Pod pod, EnvVar... env) {
    var agent = Agents.agent("team", "manager", "MANAGER_TOKEN");
    agent.getSpec().setEnv(java.util.List.of(env));
    return new GatewayTargets(id -> Optional.ofNullable(pod), secrets).resolve(agent);
  }

  private GatewayTargets.Resolution resolve(Pod pod) {
    return resolve(
        pod, new EnvVarBuilder().withName(GatewayTargets.TOKEN_ENV).withValue("literal").build());
  }

  @Test
  void literalToken() {
    var r = resolve(DiscordStatusEventSourceTest.readyPod("literal"));
    assertEquals("literal", r.target().token());
    assertEquals("http://127.0.0.1:18789", r.target().baseUrl().toString());
  }

  @Test
  void tokenFromASecretKey() {
    var r =
        resolve(
            DiscordStatusEventSourceTest.readyPod("x"),
            new EnvVarBuilder()
                .withName(GatewayTargets.TOKEN_ENV)
                .withNewValueFrom()
                .withNewSecretKeyRef("GATEWAY_TOKEN", "tokens", false)
                .endValueFrom()
                .build());
    assertEquals("from-secret", r.target().token());
  }

  @Test
  void theTokenVariableIsReadFromTheSpecNotFromACachedPodWithoutContainers() {
    // the operator's client reads pods without their containers (OperatorClient)
    var pod = DiscordStatusEventSourceTest.readyPod("x");
    pod.getSpec().setContainers(null);
    assertEquals("literal", resolve(pod).target().token());
  }

  @Test
  void noPodOrNotReadyIsNotRunning() {
    assertEquals(Read.NOT_RUNNING, resolve(null).instead().read());
    var notReady =
        new PodBuilder(DiscordStatusEventSourceTest.readyPod("t"))
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build();
    assertEquals(Read.NOT_RUNNING, resolve(notReady).instead().read());
  }

  @Test
  void noTokenIsUnreadableAndSaysWhatToSet() {
    var r = resolve(DiscordStatusEventSourceTest.readyPod("t"), new EnvVar[0]);
    assertNull(r.target());
    assertEquals(Read.UNREADABLE, r.instead().read());
    assertTrue(r.instead().problem().contains(GatewayTargets.TOKEN_ENV));
  }

  @Test
  void noTokenIsUnreadableBeforeThePodRunsToo() {
    // the same answer before and after the pod turns ready: the condition is written once
    var before = resolve(null, new EnvVar[0]).instead();
    var after = resolve(DiscordStatusEventSourceTest.readyPod("t"), new EnvVar[0]).instead();
    assertEquals(Read.UNREADABLE, before.read());
    assertEquals(after, before);
    assertEquals(Optional.of(before), GatewayTargets.withoutAsking(agentWithEnv(), null));
  }

  @Test
  void withoutAskingSaysNotRunningUntilThePodIsReadyThenAsks() {
    var agent =
        agentWithEnv(new EnvVarBuilder().withName(GatewayTargets.TOKEN_ENV).withValue("x").build());
    assertEquals(Read.NOT_RUNNING, GatewayTargets.withoutAsking(agent, null).orElseThrow().read());
    assertEquals(
        Optional.empty(),
        GatewayTargets.withoutAsking(agent, DiscordStatusEventSourceTest.readyPod("x")));
  }

  private static io.atomizer.operator.customresource.AtomizerAgent agentWithEnv(EnvVar... env) {
    var agent = Agents.agent("team", "manager", "MANAGER_TOKEN");
    agent.getSpec().setEnv(java.util.List.of(env));
    return agent;
  }
}
