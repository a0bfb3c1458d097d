package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.discord.DiscordLogin.Failure;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TokenReady, decided once from the Secret's answer and Discord's. */
class TokenReadyTest {

  private final io.atomizer.operator.customresource.AtomizerAgent agent =
      Agents.agent("team", "manager", "MANAGER_TOKEN");

  @ParameterizedTest(name = "{0} + {1} -> {2} {3}")
  @CsvSource({
    // token,       verification, status,   reason
    "resolved,      none,         True,     TokenResolved",
    "resolved,      pending,      True,     TokenResolved",
    "resolved,      verified,     True,     TokenResolved",
    "resolved,      unavailable,  True,     TokenResolved",
    "resolved,      disabled,     True,     TokenResolved",
    "resolved,      invalid,      False,    InvalidToken",
    "secretMissing, none,         False,    SecretNotFound",
    "keyMissing,    none,         False,    KeyNotFound",
    "keyMissing,    invalid,      False,    KeyNotFound",
    "malformed,     none,         False,    MalformedToken",
    "duplicate,     none,         False,    DuplicateToken",
    "duplicate,     invalid,      False,    DuplicateToken",
    "invalidSpec,   none,         Unknown,  InvalidSpec",
  })
  void decides(String token, String verification, String status, String reason) {
    var value = TokenReady.decide(agent, token(token), verification(verification));

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }

  static TokenResolution token(String kind) {
    return switch (kind) {
      case "resolved" -> new TokenResolution.Resolved("0a1b2c3d4e5f");
      case "secretMissing" -> new TokenResolution.SecretMissing(Agents.SECRET);
      case "keyMissing" -> new TokenResolution.KeyMissing(Agents.SECRET, "MANAGER_TOKEN");
      case "malformed" -> new TokenResolution.Malformed(Agents.SECRET, "MANAGER_TOKEN", "is empty");
      case "duplicate" ->
          new TokenResolution.Duplicate("0a1b2c3d4e5f", new ResourceID("tech-lead", "team"));
      case "invalidSpec" -> null;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static Verification verification(String kind) {
    return switch (kind) {
      case "none" -> null;
      case "pending" -> new Verification.Pending();
      case "verified" -> new Verification.Verified("1012", "atomizer-manager", Instant.EPOCH);
      case "invalid" -> new Verification.Invalid();
      case "unavailable" -> new Verification.Unavailable(Failure.TIMEOUT, null);
      case "disabled" -> new Verification.Disabled();
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
