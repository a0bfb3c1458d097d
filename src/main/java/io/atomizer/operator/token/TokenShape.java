package io.atomizer.operator.token;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises Secret values that cannot be a Discord bot token, so that a key pointing at the wrong
 * value (a certificate, a whole .env file, an "Authorization: Bot ..." value) is answered with a
 * clear condition instead of a pod that crash-loops. Bot tokens are three base64url parts joined by
 * dots, about 70 characters; the check is lenient (any run of base64url characters and dots of
 * sensible length passes), so that it never rejects a real token. Descriptions never quote the
 * value.
 */
public final class TokenShape {

  static final int MAX_LENGTH = 256;
  private static final Pattern TOKEN_CHARACTERS = Pattern.compile("^[A-Za-z0-9_.-]+$");

  private TokenShape() {}

  /**
   * What is wrong with {@code value} (already stripped of surrounding whitespace), as the end of a
   * sentence starting "the value ...", or empty when it may be a token.
   */
  public static Optional<String> problem(String value) {
    if (value.startsWith("-----BEGIN ")) {
      return Optional.of("is a PEM block (a certificate or a key), not a token");
    }
    if (value.startsWith("Bot ") || value.startsWith("Bearer ")) {
      return Optional.of(
          "starts with '"
              + value.substring(0, value.indexOf(' ') + 1)
              + "', which belongs in an Authorization header; keep only the token itself");
    }
    long lines = value.lines().count();
    if (lines > 1) {
      return Optional.of(
          value.lines().anyMatch(l -> l.matches("^\\s*(export\\s+)?[A-Za-z_][A-Za-z0-9_]*=.*"))
              ? "has "
                  + lines
                  + " KEY=value lines, a whole .env file: create the Secret with kubectl create"
                  + " secret generic <name> --from-env-file=.env, so that each token gets its own"
                  + " key"
              : "has " + lines + " lines; a token is one line");
    }
    if (value.length() > MAX_LENGTH) {
      return Optional.of("is " + value.length() + " characters long; a bot token is about 70");
    }
    if (!TOKEN_CHARACTERS.matcher(value).matches()) {
      return Optional.of(
          "contains characters a bot token never has (it is letters, digits, '-', '_' and dots)");
    }
    return Optional.empty();
  }
}
