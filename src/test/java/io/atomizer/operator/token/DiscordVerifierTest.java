package io.atomizer.operator.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.discord.DiscordLogin.Failure;
import io.atomizer.operator.support.FakeDiscord.Mode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each kind of answer from Discord (or its absence) means for an agent's token. */
class DiscordVerifierTest {

  private static final String MANAGER_TOKEN = "MTAxMjM0.manager-token.valid";
  private static final String REVOKED_TOKEN = "MTAxMjM1.secretary-token.revoked";

  private final VerifierDriver driver = new VerifierDriver();

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void validTokenIsVerifiedAsItsBotBeforeThePodMayStart() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);

    var first = driver.reconcile(manager);
    assertInstanceOf(Verification.Pending.class, first);
    assertFalse(first.allowsPod(), "no pod before the first answer");

    var answer = driver.awaitAnswer(manager, v -> !(v instanceof Verification.Pending));
    var verified = assertInstanceOf(Verification.Verified.class, answer);
    assertEquals("1012340000000000001", verified.botId());
    assertEquals("atomizer-manager", verified.botName());
    assertEquals(Instant.parse("2026-03-01T08:00:00Z"), verified.verifiedAt());
    assertTrue(verified.allowsPod());
    assertEquals(1, driver.discord.logins(MANAGER_TOKEN));
  }

  @Test
  void verificationOpensNoGatewaySession() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);
    driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    // a second, slower login gives a gateway session JDA might have started time to show up
    var other = driver.agent("other", "MTAxMjM2.other.valid");
    driver.discord.bot("MTAxMjM2.other.valid", "1012360000000000001", "atomizer-other");
    driver.reconcile(other);
    driver.awaitAnswer(other, v -> v instanceof Verification.Verified);

    assertEquals(0, driver.discord.gatewayConnections(), "no IDENTIFY spent on verification");
  }

  @Test
  void revokedTokenIsInvalidBlocksThePodAndIsNotRetried() {
    driver.start(driver.fast());
    var secretary = driver.agent("secretary", REVOKED_TOKEN);
    driver.reconcile(secretary);

    var answer = driver.awaitAnswer(secretary, v -> !(v instanceof Verification.Pending));
    assertInstanceOf(Verification.Invalid.class, answer);
    assertFalse(answer.allowsPod());

    for (int i = 0; i < 20; i++) {
      assertInstanceOf(Verification.Invalid.class, driver.reconcile(secretary));
    }
    driver.clock.advance(Duration.ofHours(1));
    assertInstanceOf(Verification.Invalid.class, driver.reconcile(secretary));
    assertEquals(1, driver.discord.logins(REVOKED_TOKEN), "a 401 is not retried within 24 h");
  }

  @Test
  void discordAnsweringServerErrorsIsUnavailableAndDoesNotBlockThePod() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.discord.mode(Mode.SERVER_ERROR);
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);

    var answer = driver.awaitAnswer(manager, v -> !(v instanceof Verification.Pending));
    var unavailable = assertInstanceOf(Verification.Unavailable.class, answer);
    assertEquals(Failure.SERVER_ERROR, unavailable.failure());
    assertEquals("HTTP 500", unavailable.detail());
    assertTrue(unavailable.allowsPod(), "Discord being down must not stop the agent");
  }

  @Test
  void refusedConnectionIsUnavailable() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    var settings = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            "http://127.0.0.1:" + closedPort + "/api/v10/",
            settings.gatewayUrl(),
            settings.cacheFor(),
            settings.loginDeadline(),
            settings.loginBurst(),
            settings.loginInterval(),
            settings.retryInitial(),
            settings.retryMax()));
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);

    var answer = driver.awaitAnswer(manager, v -> !(v instanceof Verification.Pending));
    assertEquals(
        Failure.CONNECTION_FAILED,
        assertInstanceOf(Verification.Unavailable.class, answer).failure());
    assertTrue(answer.allowsPod());
  }

  @Test
  void unresolvableDiscordHostIsUnavailableWithDnsFailure() {
    var settings = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            "http://discord.invalid/api/v10/",
            settings.gatewayUrl(),
            settings.cacheFor(),
            Duration.ofSeconds(30),
            settings.loginBurst(),
            settings.loginInterval(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5)));
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);

    var answer = driver.awaitAnswer(manager, v -> !(v instanceof Verification.Pending));
    assertEquals(
        Failure.DNS_FAILURE, assertInstanceOf(Verification.Unavailable.class, answer).failure());
    assertTrue(answer.allowsPod());
  }

  @Test
  void discordThatNeverAnswersTimesOutAndDoesNotBlockThePod() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.discord.mode(Mode.HANG);
    var settings = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            settings.apiBaseUrl(),
            settings.gatewayUrl(),
            settings.cacheFor(),
            Duration.ofMillis(700),
            settings.loginBurst(),
            settings.loginInterval(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5)));
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);

    var answer = driver.awaitAnswer(manager, v -> !(v instanceof Verification.Pending));
    assertEquals(
        Failure.TIMEOUT, assertInstanceOf(Verification.Unavailable.class, answer).failure());
    assertTrue(answer.allowsPod());
  }

  @Test
  void unavailableDiscordIsRetriedWithGrowingPausesUntilItAnswers() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.discord.mode(Mode.SERVER_ERROR);
    var settings = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            settings.apiBaseUrl(),
            settings.gatewayUrl(),
            settings.cacheFor(),
            settings.loginDeadline(),
            settings.loginBurst(),
            settings.loginInterval(),
            Duration.ofMillis(400),
            Duration.ofSeconds(10)));
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);
    driver.awaitAnswer(manager, v -> v instanceof Verification.Unavailable);

    await().atMost(Duration.ofSeconds(20)).until(() -> driver.discord.logins(MANAGER_TOKEN) >= 4);
    driver.discord.mode(Mode.UP);
    driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    // pauses after the second and third failures (the first includes JDA's cold start)
    var times = driver.discord.logins().stream().mapToLong(l -> l.nanoTime()).toArray();
    double firstPause = times[2] - times[1];
    double secondPause = times[3] - times[2];
    assertTrue(
        secondPause / firstPause > 1.4,
        "the pause doubles after each failure: "
            + firstPause / 1e6
            + " ms, then "
            + secondPause / 1e6
            + " ms");
  }

  @Test
  void disabledVerificationNeverLogsInAndSaysSo() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    var settings = driver.fast();
    driver.start(
        new VerifierSettings(
            false,
            settings.apiBaseUrl(),
            settings.gatewayUrl(),
            settings.cacheFor(),
            settings.loginDeadline(),
            settings.loginBurst(),
            settings.loginInterval(),
            settings.retryInitial(),
            settings.retryMax()));
    var manager = driver.agent("manager", MANAGER_TOKEN);

    var answer = driver.reconcile(manager);
    assertInstanceOf(Verification.Disabled.class, answer);
    assertTrue(answer.allowsPod(), "with verification off the agent runs unverified");
    assertEquals(0, driver.discord.logins().size());
  }
}
