package io.atomizer.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.DiscordIdentity;
import io.atomizer.operator.discord.DiscordLogin.Failure;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.Verification;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One case per rule of TokenVerified, status.discord and the InvalidToken override. */
class TokenVerifiedRulesTest {

  private static final String FINGERPRINT = "0a1b2c3d4e5f";
  private final io.atomizer.operator.customresource.AtomizerAgent agent =
      Agents.agent("team", "manager", "MANAGER_TOKEN");

  @Test
  void verifiedTokenNamesTheBot() {
    var value =
        TokenVerifiedRules.computeTokenVerified(
            agent,
            FINGERPRINT,
            new Verification.Verified("1012", "atomizer-manager", Instant.EPOCH));

    assertEquals("True", value.status());
    assertEquals(Conditions.VERIFIED, value.reason());
    assertTrue(value.message().contains("atomizer-manager"), value.message());
  }

  @Test
  void rejectedTokenSaysWhereToPutANewOne() {
    var value =
        TokenVerifiedRules.computeTokenVerified(agent, FINGERPRINT, new Verification.Invalid());

    assertEquals("False", value.status());
    assertEquals(Conditions.INVALID_TOKEN, value.reason());
    assertTrue(value.message().contains("Reset Token"), value.message());
    assertTrue(value.message().contains("Secret atomizer-discord-tokens key MANAGER_TOKEN"));
  }

  @Test
  void unreachableDiscordSaysTheAgentRunsAnyway() {
    var value =
        TokenVerifiedRules.computeTokenVerified(
            agent, FINGERPRINT, new Verification.Unavailable(Failure.SERVER_ERROR, "HTTP 503"));

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_UNAVAILABLE, value.reason());
    assertTrue(value.message().contains("HTTP 503"), value.message());
    assertTrue(value.message().contains("runs anyway"), value.message());
  }

  @Test
  void disabledVerificationSaysHowItWasTurnedOff() {
    var value =
        TokenVerifiedRules.computeTokenVerified(agent, FINGERPRINT, new Verification.Disabled());

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_DISABLED, value.reason());
    assertTrue(value.message().contains("ATOMIZER_DISCORD_VERIFY=false"), value.message());
  }

  @Test
  void firstCheckInProgressIsPending() {
    var value =
        TokenVerifiedRules.computeTokenVerified(agent, FINGERPRINT, new Verification.Pending());

    assertEquals("Unknown", value.status());
    assertEquals(Conditions.VERIFICATION_PENDING, value.reason());
  }

  @Test
  void unresolvedTokenIsPendingAndPointsAtTokenReady() {
    var value = TokenVerifiedRules.computeTokenVerified(agent, null, null);

    assertEquals(Conditions.VERIFICATION_PENDING, value.reason());
    assertTrue(value.message().contains("TokenReady"), value.message());
  }

  @Test
  void rejectedTokenMakesTokenReadyFalseWithInvalidToken() {
    var resolved = ConditionValue.isTrue(Conditions.TOKEN_RESOLVED, "resolved");

    var value =
        TokenVerifiedRules.computeTokenReady(
            resolved, agent, FINGERPRINT, new Verification.Invalid());

    assertEquals("False", value.status());
    assertEquals(Conditions.INVALID_TOKEN, value.reason());
    assertTrue(StatusRules.NEEDS_A_HUMAN.contains(value.reason()), "InvalidToken stalls");
  }

  @Test
  void tokenReadyFromTheSecretStandsForEveryOtherAnswer() {
    var resolved = ConditionValue.isTrue(Conditions.TOKEN_RESOLVED, "resolved");
    var missing = ConditionValue.isFalse(Conditions.KEY_NOT_FOUND, "missing");

    assertSame(
        resolved,
        TokenVerifiedRules.computeTokenReady(
            resolved, agent, FINGERPRINT, new Verification.Unavailable(Failure.TIMEOUT, null)));
    assertSame(
        missing,
        TokenVerifiedRules.computeTokenReady(missing, agent, null, new Verification.Invalid()));
  }

  @Test
  void statusDiscordHoldsTheBotOnlyWhenVerified() {
    var at = Instant.parse("2026-03-01T08:00:00Z");

    assertEquals(
        new DiscordIdentity("1012", "atomizer-manager", "2026-03-01T08:00:00Z"),
        TokenVerifiedRules.identity(new Verification.Verified("1012", "atomizer-manager", at)));
    assertNull(TokenVerifiedRules.identity(new Verification.Invalid()));
    assertNull(TokenVerifiedRules.identity(new Verification.Disabled()));
  }
}
