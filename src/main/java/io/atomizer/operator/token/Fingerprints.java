package io.atomizer.operator.token;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Short, non-reversible fingerprints of tokens: the first 12 hex digits of the SHA-256 of the token
 * with surrounding whitespace removed, so that "abc" and "abc\n" count as the same token. Only
 * fingerprints ever leave this class.
 */
public final class Fingerprints {

  static final int LENGTH = 12;

  private Fingerprints() {}

  /**
   * The fingerprint of {@code key} in {@code secret} (a Secret or its {@link SecretDigest}), empty
   * when the key is absent or blank.
   */
  public static Optional<String> of(Secret secret, String key) {
    if (SecretDigest.isDigest(secret)) {
      return SecretDigest.key(secret, key).map(SecretDigest.Key::fingerprint);
    }
    return raw(secret, key).map(Fingerprints::digest);
  }

  /**
   * The token itself, stripped, for the one place that needs it: the Discord login. Callers must
   * not keep, log or print it. A {@link SecretDigest} has no values: empty.
   */
  static Optional<String> value(Secret secret, String key) {
    return raw(secret, key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** Fingerprints of every non-blank entry of the Secret (or its digest), by key. */
  public static Map<String, String> all(Secret secret) {
    var result = new TreeMap<String, String>();
    if (SecretDigest.isDigest(secret)) {
      SecretDigest.keys(secret).forEach((k, d) -> result.put(k, d.fingerprint()));
      return result;
    }
    if (secret.getData() != null) {
      secret.getData().keySet().forEach(k -> of(secret, k).ifPresent(f -> result.put(k, f)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().keySet().forEach(k -> of(secret, k).ifPresent(f -> result.put(k, f)));
    }
    return result;
  }

  static String digest(byte[] token) {
    try {
      var sha = MessageDigest.getInstance("SHA-256").digest(token);
      return HexFormat.of().formatHex(sha).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static Optional<byte[]> raw(Secret secret, String key) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    byte[] value;
    if (encoded != null) {
      try {
        value = Base64.getDecoder().decode(encoded.strip());
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    } else if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      value = secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8);
    } else {
      return Optional.empty();
    }
    var trimmed = new String(value, StandardCharsets.UTF_8).strip();
    return trimmed.isEmpty()
        ? Optional.empty()
        : Optional.of(trimmed.getBytes(StandardCharsets.UTF_8));
  }
}
