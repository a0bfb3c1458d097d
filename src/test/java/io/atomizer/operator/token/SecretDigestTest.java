package io.atomizer.operator.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the Secret cache keeps: fingerprints and names, never a value. */
class SecretDigestTest {

  static final String TOKEN = Agents.token("digest");

  @Test
  void digestKeepsIdentityLabelsTypeAndAFingerprintPerKeyButNoValue() {
    var secret = secret();
    var digest = SecretDigest.of(secret);

    assertTrue(SecretDigest.isDigest(digest));
    assertEquals("tokens", digest.getMetadata().getName());
    assertEquals("team", digest.getMetadata().getNamespace());
    assertEquals("42", digest.getMetadata().getResourceVersion());
    assertEquals("uid-1", digest.getMetadata().getUid());
    assertEquals(Map.of("atomizer.io/tokens", "true"), digest.getMetadata().getLabels());
    assertEquals("Opaque", digest.getType());
    assertTrue(digest.getData() == null || digest.getData().isEmpty(), "no values");
    assertTrue(digest.getStringData() == null || digest.getStringData().isEmpty());
    var annotations = digest.getMetadata().getAnnotations();
    assertTrue(annotations == null || annotations.isEmpty(), "last-applied repeats the values");
    assertEquals(Fingerprints.all(secret), Fingerprints.all(digest), "the same index keys");
    assertEquals(
        Fingerprints.of(secret, "MANAGER_TOKEN"), Fingerprints.of(digest, "MANAGER_TOKEN"));
    assertEquals(Optional.empty(), Fingerprints.value(digest, "MANAGER_TOKEN"));
    assertSame(digest, SecretDigest.of(digest));

    var text = Serialization.asJson(digest) + digest;
    var encoded = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    assertFalse(text.contains(TOKEN), text);
    assertFalse(text.contains(encoded), text);
  }

  @Test
  void digestRemembersWhyAValueCannotBeAToken() {
    var digest = SecretDigest.of(secret());

    assertNull(SecretDigest.key(digest, "MANAGER_TOKEN").orElseThrow().problem());
    var pem = SecretDigest.key(digest, "CERT").orElseThrow();
    assertEquals(TokenShape.problem("-----BEGIN CERTIFICATE-----").orElseThrow(), pem.problem());
    assertEquals(Optional.empty(), SecretDigest.key(digest, "BLANK"), "blank: no key");
    assertEquals(Optional.empty(), SecretDigest.key(digest, "OTHER"));
  }

  private static Secret secret() {
    var secret =
        Agents.secret(
            "team",
            "tokens",
            Map.of("MANAGER_TOKEN", TOKEN, "CERT", "-----BEGIN CERTIFICATE-----", "BLANK", " "));
    secret.getMetadata().setResourceVersion("42");
    secret.getMetadata().setUid("uid-1");
    secret.getMetadata().setLabels(Map.of("atomizer.io/tokens", "true"));
    secret
        .getMetadata()
        .setAnnotations(
            Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"" + TOKEN + "\"}"));
    secret.setType("Opaque");
    return secret;
  }
}
