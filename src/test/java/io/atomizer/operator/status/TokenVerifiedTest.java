package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.DiscordIdentity;
import io.atomizer.operator.discord.DiscordLogin.Failure;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One case per rule of TokenVerified, status.discord and the InvalidToken override. */
class TokenVerifiedTest {

  private static final String FINGERPRINT = "0a1b2c3d4e5f";
  private static final TokenResolution RESOLVED = new TokenResolution.Resolved(FINGERPRINT);
  private final io.atomizer.operator.customresource.AtomizerAgent agent =
      Agents.agent("team", "manager", "MANAGER_TOKEN");

  @Test
  void verifiedTokenNamesTheBot() {
    var value =
        TokenVerified.decide(
            agent, RESOLVED, new Verification.Verified("1012", "atomizer-manager", Instant.EPOCH));

    assertEquals("True", value.status());
    assertEquals(Conditions.VERIFIED, value.reason());
    assertTrue(value.message().contains("atomizer-manager"), value.message());
  }

  @Test
  void rejectedTokenSaysWhereToPutANewOne() {
    var value = TokenVerified.decide(agent, RESOLVED, new Verification.Invalid());

    assertEquals("False", value.status());
    assertEquals(Conditions.INVALID_TOKEN, value.reason());
    assertTrue(value.message().contains("Reset Token"), value.message());
    assertTrue(value.message().contains("Secret atomizer-discord-tokens key MANAGER_TOKEN"));
  }

  @Test
  void unreachableDiscordSaysTheAgentRunsAnyway() {
    var value =
        TokenVerified.decide(
            agent, RESOLVED, new Verification.Unavailable(Failure.SERVER_ERROR, "HTTP 503"));

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_UNAVAILABLE, value.reason());
    assertTrue(value.message().contains("HTTP 503"), value.message());
    assertTrue(value.message().contains("runs anyway"), value.message());
  }

  @Test
  void disabledVerificationSaysHowItWasTurnedOff() {
    var value = TokenVerified.decide(agent, RESOLVED, new Verification.Disabled());

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_DISABLED, value.reason());
    assertTrue(value.message().contains("ATOMIZER_DISCORD_VERIFY=false"), value.message());
  }

  @Test
  void firstCheckInProgressIsPending() {
    var value = TokenVerified.decide(agent, RESOLVED, new Verification.Pending());

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_PENDING, value.reason());
  }

  @Test
  void unresolvedTokenIsPendingAndPointsAtTokenReady() {
    var value = TokenVerified.decide(agent, new TokenResolution.KeyMissing("s", "k"), null);

    assertEquals(Conditions.VERIFICATION_PENDING, value.reason());
    assertTrue(value.message().contains("TokenReady"), value.message());
  }

  @Test
  void rejectedTokenMakesTokenReadyFalseWithInvalidToken() {
    var value = TokenReady.decide(agent, RESOLVED, new Verification.Invalid());

    assertEquals("False", value.status());
    assertEquals(Conditions.INVALID_TOKEN, value.reason());
    assertTrue(Stalled.needsAHuman(value.reason()), "InvalidToken stalls");
  }

  @Test
  void tokenReadyFromTheSecretStandsForEveryOtherAnswer() {
    var missing = new TokenResolution.KeyMissing("s", "MANAGER_TOKEN");

    assertEquals(
        TokenReady.decide(agent, RESOLVED, null),
        TokenReady.decide(agent, RESOLVED, new Verification.Unavailable(Failure.TIMEOUT, null)));
    assertEquals(
        TokenReady.decide(agent, missing, null),
        TokenReady.decide(agent, missing, new Verification.Invalid()));
  }

  @Test
  void statusDiscordHoldsTheBotOnlyWhenVerified() {
    var at = Instant.parse("2026-03-01T08:00:00Z");

    assertEquals(
        new DiscordIdentity("1012", "atomizer-manager", "2026-03-01T08:00:00Z"),
        TokenVerified.identity(new Verification.Verified("1012", "atomizer-manager", at)));
    assertNull(TokenVerified.identity(new Verification.Invalid()));
    assertNull(TokenVerified.identity(new Verification.Disabled()));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} + {1} -> {2} {3}")
  @org.junit.jupiter.params.provider.CsvSource({
    // token,       verification, status,   reason
    "resolved,      verified,     True,     Verified",
    "resolved,      invalid,      False,    InvalidToken",
    "resolved,      unavailable,  Unknown,  VerificationUnavailable",
    "resolved,      disabled,     Unknown,  VerificationDisabled",
    "resolved,      pending,      Unknown,  VerificationPending",
    "keyMissing,    none,         Unknown,  VerificationPending",
    "secretMissing, none,         Unknown,  VerificationPending",
    "invalidSpec,   none,         Unknown,  InvalidSpec",
  })
  void decides(String token, String verification, String status, String reason) {
    var value =
        TokenVerified.decide(
            agent, TokenReadyTest.token(token), TokenReadyTest.verification(verification));

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }
}
