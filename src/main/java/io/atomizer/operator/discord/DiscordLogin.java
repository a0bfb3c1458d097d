package io.atomizer.operator.discord;

/**
 * Logs in to Discord with a bot token and reports who the token belongs to. Implementations never
 * log the token, never put it in a result or exception, and keep no reference to it after the call.
 */
@FunctionalInterface
public interface DiscordLogin {

  /** Logs in once with {@code token}; never throws. */
  Result login(String token);

  /** What one login attempt found out. */
  sealed interface Result {}

  /** Discord accepted the token; it belongs to the bot user {@code botId}/{@code botName}. */
  record Accepted(String botId, String botName) implements Result {}

  /** Discord rejected the token (HTTP 401): it is wrong, was reset, or was revoked. */
  record Rejected() implements Result {}

  /**
   * The login could not be completed, so nothing is known about the token.
   *
   * @param failure the category, decided from exception types and HTTP status codes
   * @param detail the HTTP status or the exception type, never an exception message
   */
  record Failed(Failure failure, String detail) implements Result {}

  /** Why a login could not be completed. */
  enum Failure {
    DNS_FAILURE("the Discord API host name could not be resolved (DNS)"),
    CONNECTION_FAILED("the connection to the Discord API failed"),
    TIMEOUT("Discord did not answer in time"),
    SERVER_ERROR("Discord answered with a server error"),
    RATE_LIMITED("Discord rate-limited the login"),
    UNEXPECTED_RESPONSE("Discord answered with an unexpected status"),
    ERROR("the login failed unexpectedly");

    private final String description;

    Failure(String description) {
      this.description = description;
    }

    /** One phrase for people, with {@code detail} in brackets when there is one. */
    public String describe(String detail) {
      return detail == null || detail.isBlank() ? description : description + " (" + detail + ")";
    }
  }
}
