package io.atomizer.operator.discord;

/**
 * A bot token held for API calls. Its {@code toString} never shows the value, so it cannot leak
 * through a log line, a record's {@code toString} or an exception message.
 */
public final class BotToken {

  private final String value;

  public BotToken(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the bot token is empty");
    }
    this.value = value.strip();
  }

  /** The {@code Authorization} header value. */
  String authorization() {
    return "Bot " + value;
  }

  /** Whether {@code text} contains the token. */
  boolean appearsIn(String text) {
    return text != null && text.contains(value);
  }

  @Override
  public String toString() {
    return "BotToken[redacted]";
  }
}
