package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.ConditionValue.unknown;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.DiscordIdentity;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;

/**
 * TokenVerified: what Discord said when the operator logged in with the token; also status.discord,
 * the bot the token logs in as.
 */
public final class TokenVerified {

  private TokenVerified() {}

  /**
   * TokenVerified from the verifier's answer; {@code verification} is null while the token does not
   * resolve (TokenReady=False), since there is nothing to verify yet.
   *
   * @param token what spec.token resolves to; null while the spec is invalid
   */
  public static ConditionValue decide(
      AtomizerAgent agent, TokenResolution token, Verification verification) {
    if (token == null) {
      return ConditionValue.undecided();
    }
    var fingerprint = token.fingerprint();
    if (verification == null) {
      return unknown(
          Conditions.VERIFICATION_PENDING,
          "The token is verified with Discord once it resolves; see TokenReady.");
    }
    if (verification instanceof Verification.Verified v) {
      return isTrue(
          Conditions.VERIFIED,
          "Discord accepted the token (fingerprint "
              + fingerprint
              + "): it logs in as bot "
              + v.botName()
              + " (id "
              + v.botId()
              + ").");
    }
    if (verification instanceof Verification.Invalid) {
      return isFalse(Conditions.INVALID_TOKEN, invalidMessage(agent, fingerprint));
    }
    if (verification instanceof Verification.Unavailable u) {
      return unknown(
          Conditions.VERIFICATION_UNAVAILABLE,
          "The token could not be verified: "
              + u.describe()
              + ". The agent runs anyway; the operator retries with backoff.");
    }
    if (verification instanceof Verification.Disabled) {
      return unknown(
          Conditions.VERIFICATION_DISABLED,
          "Token verification is turned off in the operator's configuration"
              + " (ATOMIZER_DISCORD_VERIFY=false); the operator does not log in to Discord.");
    }
    return unknown(
        Conditions.VERIFICATION_PENDING,
        "The operator logs in to Discord once with this token before it creates the pod;"
            + " this takes a few seconds.");
  }

  /** status.discord: the bot the token logs in as, or null when that is not known. */
  public static DiscordIdentity identity(Verification verification) {
    return verification instanceof Verification.Verified v
        ? new DiscordIdentity(v.botId(), v.botName(), v.verifiedAt().toString())
        : null;
  }

  static String invalidMessage(AtomizerAgent agent, String fingerprint) {
    var ref = agent.getSpec().getToken();
    return "Discord rejected the token in Secret "
        + ref.getSecretName()
        + " key "
        + ref.getKey()
        + " (fingerprint "
        + fingerprint
        + ") with 401 Unauthorized: it was reset or revoked. Reset the bot's token in the Discord"
        + " developer portal (Applications > the bot > Bot > Reset Token) and put the new one in"
        + " that Secret key; the agent starts by itself.";
  }
}
