package io.atomizer.operator.token;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the operator keeps of a Secret: its identity, labels and type, and for each key the
 * fingerprint of its value and, when the value cannot be a bot token, what is wrong with it. The
 * values themselves, the annotations (kubectl's last-applied-configuration repeats them) and the
 * managed fields are dropped, so that the informer's cache holds no token, and a Helm release
 * Secret of 64 KB costs a few hundred bytes. The digest travels inside a Secret (as an additional
 * property), so that the informer, its indexes and {@link Fingerprints} read it like the original.
 */
public final class SecretDigest {

  /** The additional property of a digested Secret that holds its keys' digests. */
  static final String PROPERTY = "atomizer.io/digest";

  /**
   * One key of a Secret.
   *
   * @param fingerprint the fingerprint of the stripped value
   * @param problem why the value cannot be a bot token ({@link TokenShape}), or null
   */
  public record Key(String fingerprint, String problem) {}

  private SecretDigest() {}

  /** The digest of {@code secret}: itself when it is one already. */
  public static Secret of(Secret secret) {
    if (isDigest(secret)) {
      return secret;
    }
    var keys = new TreeMap<String, Key>();
    for (var name : keyNames(secret)) {
      Fingerprints.value(secret, name)
          .ifPresent(
              value ->
                  keys.put(
                      name,
                      new Key(
                          Fingerprints.digest(value.getBytes(StandardCharsets.UTF_8)),
                          TokenShape.problem(value).orElse(null))));
    }
    var meta = secret.getMetadata();
    var digest =
        new SecretBuilder()
            .withApiVersion(secret.getApiVersion())
            .withKind(secret.getKind())
            .withType(secret.getType())
            .withImmutable(secret.getImmutable())
            .withMetadata(
                meta == null
                    ? null
                    : new ObjectMetaBuilder()
                        .withName(meta.getName())
                        .withNamespace(meta.getNamespace())
                        .withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion())
                        .withCreationTimestamp(meta.getCreationTimestamp())
                        .withDeletionTimestamp(meta.getDeletionTimestamp())
                        .withLabels(meta.getLabels())
                        .build())
            .build();
    digest.setAdditionalProperty(PROPERTY, Collections.unmodifiableMap(keys));
    return digest;
  }

  /** Whether {@code secret} is a digest (its values are gone). */
  public static boolean isDigest(Secret secret) {
    return secret.getAdditionalProperties().get(PROPERTY) instanceof Map<?, ?>;
  }

  /** The digest of {@code key} in {@code secret}, digested or not; empty when absent or blank. */
  public static Optional<Key> key(Secret secret, String key) {
    return Optional.ofNullable(keys(secret).get(key));
  }

  /** The digests of every non-blank key of {@code secret}, digested or not, by key. */
  @SuppressWarnings("unchecked")
  public static Map<String, Key> keys(Secret secret) {
    if (isDigest(secret)) {
      return (Map<String, Key>) secret.getAdditionalProperties().get(PROPERTY);
    }
    return keys(of(secret));
  }

  private static java.util.Set<String> keyNames(Secret secret) {
    var names = new java.util.TreeSet<String>();
    if (secret.getData() != null) {
      names.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      names.addAll(secret.getStringData().keySet());
    }
    return names;
  }
}
