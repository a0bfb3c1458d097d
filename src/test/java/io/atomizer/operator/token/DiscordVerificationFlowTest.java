package io.atomizer.operator.token;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.atomizer.operator.support.FakeDiscord.Mode;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.SecretEdits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Discord verification end to end: the operator with verification on, pointed at a fake Discord on
 * localhost, checks each token once before the agent's pod exists.
 */
@Tag("mock")
class DiscordVerificationFlowTest {

  static FakeDiscord discord;
  static OperatorHarness harness;

  @BeforeAll
  static void start() {
    discord = new FakeDiscord();
    harness =
        new OperatorHarness(
            Map.of(
                "ATOMIZER_DISCORD_VERIFY", "true",
                "ATOMIZER_DISCORD_API_URL", discord.apiUrl(),
                "ATOMIZER_DISCORD_GATEWAY_URL", discord.gatewayUrl()));
  }

  @AfterAll
  static void stop() {
    harness.close();
    discord.close();
  }

  @Test
  void validTokenIsVerifiedAndTheBotIdentityRecorded() {
    var value = token("verify-valid");
    discord.bot(value, "1100000000000000001", "atomizer-manager");
    var ns = harness.namespace(Map.of("MANAGER_TOKEN", value));
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));

    harness.awaitCondition(ns, "manager", "TokenVerified", "True", "Verified");
    harness.awaitReady(ns, "manager");
    var identity = harness.get(ns, "manager").getStatus().getDiscord();
    assertNotNull(identity, "status.discord");
    assertEquals("1100000000000000001", identity.getBotId());
    assertEquals("atomizer-manager", identity.getBotName());
    assertNotNull(identity.getVerifiedAt());
    assertEquals(1, discord.logins(value));
  }

  @Test
  void revokedTokenBlocksThePodAndStallsTheAgent() throws InterruptedException {
    var value = token("verify-revoked");
    var ns = harness.namespace(Map.of("SECRETARY_TOKEN", value));
    harness.create(agent(ns, "secretary", "SECRETARY_TOKEN"));

    var tokenReady = harness.awaitCondition(ns, "secretary", "TokenReady", "False", "InvalidToken");
    assertTrue(tokenReady.getMessage().contains("SECRETARY_TOKEN"), tokenReady.getMessage());
    harness.awaitCondition(ns, "secretary", "TokenVerified", "False", "InvalidToken");
    harness.awaitCondition(ns, "secretary", "Stalled", "True", "InvalidToken");
    harness.awaitSettled(ns);
    assertTrue(harness.pod(ns, "secretary").isEmpty(), "no pod with a revoked token");
    assertEquals(null, harness.get(ns, "secretary").getStatus().getDiscord());
    assertEquals(1, discord.logins(value), "a rejected token is not retried");
  }

  @Test
  void discordDownStillRunsTheAgent() {
    var value = token("verify-down");
    discord.bot(value, "1100000000000000003", "atomizer-auditor");
    discord.mode(Mode.SERVER_ERROR);
    try {
      var ns = harness.namespace(Map.of("AUDITOR_TOKEN", value));
      harness.create(agent(ns, "auditor", "AUDITOR_TOKEN"));

      harness.awaitCondition(ns, "auditor", "TokenVerified", "Unknown", "VerificationUnavailable");
      harness.awaitReady(ns, "auditor");
      harness.awaitCondition(ns, "auditor", "TokenReady", "True", "TokenResolved");
      assertTrue(discord.logins(value) >= 1);
    } finally {
      discord.mode(Mode.UP);
    }
  }

  @Test
  void manyReconcilesOfOneTokenMakeOneLogin() {
    var value = token("verify-cached");
    discord.bot(value, "1100000000000000004", "atomizer-webster");
    var ns = harness.namespace(Map.of("WEBSTER_TOKEN", value));
    harness.create(agent(ns, "webster", "WEBSTER_TOKEN"));
    harness.awaitCondition(ns, "webster", "TokenVerified", "True", "Verified");
    harness.awaitReady(ns, "webster");

    // every Secret change and every step of a pod replacement reconciles the agent
    for (int i = 0; i < 10; i++) {
      SecretEdits.annotate(harness.client(), ns, Agents.SECRET, "touch", Integer.toString(i));
    }
    var podUid = harness.pod(ns, "webster").orElseThrow().getMetadata().getUid();
    AgentEdits.edit(
        harness.client(),
        ns,
        "webster",
        a -> a.getSpec().setImage("ghcr.io/openclaw/openclaw:2026.8.2-slim"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .pod(ns, "webster")
                    .filter(p -> !p.getMetadata().getUid().equals(podUid))
                    .isPresent());
    harness.awaitAgent(
        ns,
        "webster",
        a ->
            a.getStatus().getObservedGeneration() == 2L
                && "True".equals(a.getStatus().condition("Ready").orElseThrow().getStatus()));

    assertEquals(1, discord.logins(value), "one login for the token: " + discord.logins());
    assertEquals(
        "True",
        harness.condition(ns, "webster", "TokenVerified").orElseThrow().getStatus(),
        "still verified");
  }
}
