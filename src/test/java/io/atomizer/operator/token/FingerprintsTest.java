package io.atomizer.operator.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fingerprints tell tokens apart without showing them. */
class FingerprintsTest {

  static final String TOKEN = Agents.token("tech-lead");

  @Test
  void fingerprintIsTwelveHexDigits() {
    var fingerprint = fingerprint(TOKEN);

    assertTrue(fingerprint.matches("[0-9a-f]{12}"), fingerprint);
  }

  @Test
  void fingerprintNeverContainsTheToken() {
    var fingerprint = fingerprint(TOKEN);

    assertFalse(TOKEN.contains(fingerprint), fingerprint);
    assertFalse(fingerprint.contains(TOKEN.substring(0, 6)), fingerprint);
  }

  @Test
  void trailingNewlineIsTheSameToken() {
    assertEquals(fingerprint("abc"), fingerprint("abc\n"));
    assertEquals(fingerprint("abc"), fingerprint("  abc \r\n"));
  }

  @Test
  void differentTokensHaveDifferentFingerprints() {
    assertNotEquals(fingerprint(Agents.token("manager")), fingerprint(Agents.token("secretary")));
  }

  @Test
  void blankValueHasNoFingerprint() {
    assertEquals(Optional.empty(), Fingerprints.of(secret(Map.of("K", " \n")), "K"));
    assertEquals(Optional.empty(), Fingerprints.of(secret(Map.of("K", "")), "K"));
  }

  @Test
  void missingKeyHasNoFingerprint() {
    assertEquals(Optional.empty(), Fingerprints.of(secret(Map.of("K", TOKEN)), "OTHER"));
    assertEquals(Optional.empty(), Fingerprints.of(new SecretBuilder().build(), "K"));
  }

  @Test
  void invalidBase64HasNoFingerprint() {
    var secret = new SecretBuilder().addToData("K", "not base64 at all!").build();

    assertEquals(Optional.empty(), Fingerprints.of(secret, "K"));
  }

  @Test
  void stringDataCountsLikeData() {
    var secret = new SecretBuilder().addToStringData("K", TOKEN).build();

    assertEquals(Optional.of(fingerprint(TOKEN)), Fingerprints.of(secret, "K"));
  }

  @Test
  void allFingerprintsEveryNonBlankKey() {
    var secret =
        new SecretBuilder(secret(Map.of("A", "token-a", "BLANK", " ")))
            .addToStringData("B", "token-b")
            .build();

    assertEquals(
        Map.of("A", fingerprint("token-a"), "B", fingerprint("token-b")), Fingerprints.all(secret));
  }

  private static String fingerprint(String token) {
    return Fingerprints.of(secret(Map.of("K", token)), "K").orElseThrow();
  }

  private static Secret secret(Map<String, String> values) {
    return Agents.secret("team", "tokens", values);
  }
}
