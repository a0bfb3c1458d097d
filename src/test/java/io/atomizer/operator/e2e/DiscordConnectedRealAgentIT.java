package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.agentstatus.ChannelStatusClient;
import io.atomizer.operator.agentstatus.GatewayTargets;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.GatewaySpec;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.status.DiscordConnected;
import io.atomizer.operator.status.Stalled;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.atomizer.operator.support.RealOpenClaw;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-agent tier: the real OpenClaw gateway (the version e2e/install-openclaw.sh pins) runs on
 * this host with its Discord plugin pointed at the FakeDiscord, and the operator's own code reads
 * its Discord status the way it reads a pod's: the gateway token named by the agent's spec.env
 * (here a Secret key), the admin HTTP RPC route, and DiscordConnected decided from the answer. It
 * shows True while the fake accepts the bot, Disconnected when the fake's gateway closes the
 * session, and InvalidToken (Stalled) when the fake rejects the token.
 */
@Tag("agent")
class DiscordConnectedRealAgentIT {

  /** The shape of token the fake was first proven with against OpenClaw by hand. */
  private static final String BOT_TOKEN = "fake-bot.real-agent.token";

  private static final String BOT_ID = "1012340000000000001";

  private static final String GATEWAY_TOKEN = "gw-real-agent-5b0e9c2f";
  private static final Duration START_BUDGET = Duration.ofMinutes(8);

  @TempDir Path work;

  @Test
  void connectedThenDisconnectedThenTokenRejected() throws Exception {
    var install = RealOpenClaw.install();
    try (var discord = new FakeDiscord().bot(BOT_TOKEN, BOT_ID, "atomizer-manager");
        var agent =
            RealOpenClaw.start(install, work, discord.agentApiUrl(), BOT_TOKEN, GATEWAY_TOKEN)) {
      var latest = new AtomicReference<ConditionValue>();
      var poll = poller(agent, latest);

      await("DiscordConnected=True once the fake accepts the bot")
          .atMost(START_BUDGET)
          .pollInterval(Duration.ofSeconds(2))
          .failFast("the gateway exited", () -> !agent.isAlive())
          .until(() -> poll.get().holds());
      assertEquals(Conditions.CONNECTED, latest.get().reason());
      assertFalse(discord.identifies().isEmpty(), "the agent identified on the fake gateway");

      discord.closeGateway(4000);
      await("DiscordConnected=False, Disconnected, once the fake's gateway closes the session")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Conditions.DISCONNECTED.equals(poll.get().reason()));
      assertEquals("False", latest.get().status(), latest.get().message());
      assertFalse(
          Stalled.decide(latest.get()).holds(), // a ready pod's Ready takes this reason
          "a closed session is retried by the agent; nothing for a human yet");

      discord.revoke(BOT_TOKEN);
      discord.closeGateway(4004);
      await("DiscordConnected=False, InvalidToken, once the fake rejects the token")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Conditions.INVALID_TOKEN.equals(poll.get().reason()));
      assertTrue(Stalled.decide(latest.get()).holds(), "a rejected token needs a human");
      assertFalse(latest.get().message().contains(BOT_TOKEN), latest.get().message());
      assertFalse(latest.get().message().contains(GATEWAY_TOKEN), latest.get().message());
    }
  }

  /** One poll as the operator makes it: target from the pod, one call, the condition decided. */
  private static java.util.function.Supplier<ConditionValue> poller(
      RealOpenClaw agent, AtomicReference<ConditionValue> latest) {
    // The pod the kubelet runs: the operator's pod cache holds no containers, so the gateway token
    // is found through the agent's spec.env (below), the way a user declares it.
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("manager")
            .withNamespace("atomizer")
            .endMetadata()
            .withNewStatus()
            .withPodIP("127.0.0.1")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    var targets =
        new GatewayTargets(
            id -> Optional.of(pod),
            (ns, name, key) ->
                "atomizer-discord-tokens".equals(name)
                    ? Optional.of(GATEWAY_TOKEN)
                    : Optional.empty());
    var spec = Agents.agent("atomizer", "manager", "MANAGER_TOKEN");
    var gateway = new GatewaySpec();
    gateway.setPort(agent.port());
    spec.getSpec().setGateway(gateway);
    spec.getSpec()
        .setEnv(
            List.of(
                new EnvVarBuilder()
                    .withName(GatewayTargets.TOKEN_ENV)
                    .withNewValueFrom()
                    .withNewSecretKeyRef("GATEWAY_TOKEN", "atomizer-discord-tokens", false)
                    .endValueFrom()
                    .build()));
    var client = new ChannelStatusClient(Duration.ofSeconds(10));
    return () -> {
      var resolution = targets.resolve(spec);
      var status =
          resolution.target() == null ? resolution.instead() : client.fetch(resolution.target());
      var value = DiscordConnected.decide(status);
      latest.set(value);
      return value;
    };
  }
}
