package io.atomizer.operator.token;

import java.time.Duration;

/**
 * How the verifier behaves.
 *
 * @param enabled whether tokens are verified at all (ATOMIZER_DISCORD_VERIFY)
 * @param apiBaseUrl Discord's REST base URL with the API version (ATOMIZER_DISCORD_API_URL)
 * @param gatewayUrl Discord's gateway URL (ATOMIZER_DISCORD_GATEWAY_URL); named to JDA, never
 *     connected to
 * @param cacheFor how long an answer stays fresh; one login per token per this period at most
 * @param loginDeadline how long one login may take before it counts as a timeout
 * @param loginBurst logins allowed at once after a quiet period
 * @param loginInterval spacing of logins beyond the burst
 * @param retryInitial first wait after Discord could not be asked; doubles per failure
 * @param retryMax longest wait between retries
 */
public record VerifierSettings(
    boolean enabled,
    String apiBaseUrl,
    String gatewayUrl,
    Duration cacheFor,
    Duration loginDeadline,
    int loginBurst,
    Duration loginInterval,
    Duration retryInitial,
    Duration retryMax) {

  /**
   * The defaults. Two logins at once, then one every three seconds (at most 20 a minute): eight
   * agents are verified within about 20 seconds. Each login is one {@code GET users/@me} and no
   * gateway IDENTIFY, far below Discord's limits (50 requests a second per bot, 10,000 invalid
   * requests per 10 minutes per IP); the spacing keeps a restart of the operator, or a bulk token
   * rotation, from ever looking like a login storm.
   */
  public static VerifierSettings of(boolean enabled, String apiBaseUrl, String gatewayUrl) {
    return new VerifierSettings(
        enabled,
        apiBaseUrl,
        gatewayUrl,
        Duration.ofHours(24),
        Duration.ofSeconds(30),
        2,
        Duration.ofSeconds(3),
        Duration.ofSeconds(30),
        Duration.ofMinutes(30));
  }
}
