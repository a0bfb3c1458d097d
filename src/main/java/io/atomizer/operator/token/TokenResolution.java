package io.atomizer.operator.token;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** What an agent's token reference resolves to, as far as the operator's caches know. */
public sealed interface TokenResolution {

  /** The fingerprint, when the Secret key holds a token. */
  default String fingerprint() {
    return null;
  }

  /** Whether this agent may run a pod with its token. */
  default boolean usable() {
    return false;
  }

  /** The Secret key holds a token no older agent uses. */
  record Resolved(String fingerprint) implements TokenResolution {
    @Override
    public boolean usable() {
      return true;
    }
  }

  /** The Secret named in spec.token does not exist (or is outside the operator's Secret scope). */
  record SecretMissing(String secretName) implements TokenResolution {}

  /** The Secret exists but has no non-empty value under the key. */
  record KeyMissing(String secretName, String key) implements TokenResolution {}

  /**
   * The Secret key holds something that cannot be a bot token (a certificate, a whole .env file, a
   * "Bot " prefix); {@code problem} says what, without quoting the value.
   */
  record Malformed(String secretName, String key, String problem) implements TokenResolution {}

  /** An older agent, {@code holder}, resolves to the same token; it keeps running. */
  record Duplicate(String fingerprint, ResourceID holder) implements TokenResolution {}
}
