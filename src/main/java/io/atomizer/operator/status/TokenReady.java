package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;

/**
 * TokenReady: whether spec.token resolves to a token this agent may use. False when the Secret or
 * key is missing, the value cannot be a bot token, an older agent uses it, or Discord rejected it
 * (InvalidToken, which needs a human to reset it); Unknown while the spec is invalid.
 */
public final class TokenReady {

  /**
   * @param token what spec.token resolves to; null while the spec is invalid (then Unknown)
   * @param verification what Discord said of the token; null before it was asked
   */
  public static ConditionValue decide(
      AtomizerAgent agent, TokenResolution token, Verification verification) {
    if (token == null) {
      return ConditionValue.undecided();
    }
    var ref = agent.getSpec().getToken();
    if (token instanceof TokenResolution.SecretMissing) {
      return isFalse(
          Conditions.SECRET_NOT_FOUND,
          "Secret "
              + ref.getSecretName()
              + " (spec.token.secretName) does not exist in namespace "
              + agent.getMetadata().getNamespace()
              + " (or is of a type the operator does not read: by default only Opaque Secrets,"
              + " see ATOMIZER_SECRET_FIELD_SELECTOR). Create it, for example with kubectl create"
              + " secret generic "
              + ref.getSecretName()
              + " --from-env-file=.env; the agent starts"
              + " by itself once it exists.");
    }
    if (token instanceof TokenResolution.KeyMissing) {
      return isFalse(
          Conditions.KEY_NOT_FOUND,
          "Secret "
              + ref.getSecretName()
              + " has no non-empty key "
              + ref.getKey()
              + " (spec.token.key). Add the key, or point spec.token.key at the right one.");
    }
    if (token instanceof TokenResolution.Malformed malformed) {
      return isFalse(
          Conditions.MALFORMED_TOKEN,
          "Secret "
              + ref.getSecretName()
              + " key "
              + ref.getKey()
              + " (spec.token) does not hold a Discord bot token: the value "
              + malformed.problem()
              + ". Put the bot token from the Discord developer portal (the bot's page > Bot >"
              + " Reset Token) in that key, alone; the agent starts by itself.");
    }
    if (token instanceof TokenResolution.Duplicate duplicate) {
      return isFalse(
          Conditions.DUPLICATE_TOKEN,
          "The token in "
              + ref.getSecretName()
              + "/"
              + ref.getKey()
              + " (fingerprint "
              + duplicate.fingerprint()
              + ") is also used by the older agent "
              + Names.display(duplicate.holder())
              + ", which keeps it: one token may run in one process only."
              + " Give this agent its own bot token; it starts by itself once the conflict is"
              + " gone.");
    }
    if (verification instanceof Verification.Invalid) {
      return isFalse(
          Conditions.INVALID_TOKEN, TokenVerified.invalidMessage(agent, token.fingerprint()));
    }
    return isTrue(
        Conditions.TOKEN_RESOLVED,
        "The token in "
            + ref.getSecretName()
            + "/"
            + ref.getKey()
            + " has fingerprint "
            + token.fingerprint()
            + " and no older agent uses it.");
  }

  private TokenReady() {}
}
