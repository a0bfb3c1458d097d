package io.atomizer.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.EnumSet;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake Discord speaks well enough for a real JDA client: REST login, then a full gateway
 * handshake. The verifier's "no gateway session" test relies on the fake seeing one if it existed.
 */
class FakeDiscordTest {

  private static final String TOKEN = "MTAxMjM0.fake-discord.valid";

  private final FakeDiscord discord =
      new FakeDiscord().bot(TOKEN, "1012340000000000001", "atomizer-manager");

  @AfterEach
  void close() {
    discord.close();
  }

  @Test
  void jdaLogsInAndReachesReadyOverTheFakeGateway() {
    var jda =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> client(TOKEN).build().awaitReady());
    try {
      assertEquals(JDA.Status.CONNECTED, jda.getStatus());
      assertEquals("atomizer-manager", jda.getSelfUser().getName());
      assertEquals(1, discord.gatewayConnections());
      var identify = discord.identifies().get(0);
      assertEquals(TOKEN, identify.token());
      assertEquals(
          1, // GUILDS (1 << 0): JDA always sets it and has no constant for it
          identify.intents(),
          "only GUILDS, which JDA always forces");
      assertFalse(identify.compress(), "no compression");
    } finally {
      jda.shutdownNow();
    }
  }

  @Test
  void unknownTokenIsRejectedWith401() {
    assertThrows(InvalidTokenException.class, () -> client("MTAx.unknown.token").build());
    assertEquals(1, discord.logins("MTAx.unknown.token"));
  }

  private JDABuilder client(String token) {
    var gateway = discord.gatewayUrl();
    return JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
        .setRestConfig(new RestConfig().setBaseUrl(discord.apiUrl()))
        .setCompression(Compression.NONE)
        .setEnableShutdownHook(false)
        .setSessionController(
            new SessionControllerAdapter() {
              @Override
              public String getGateway() {
                return gateway;
              }
            });
  }
}
