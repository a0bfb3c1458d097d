package io.atomizer.operator.discord;

import java.time.Duration;

/**
 * Where and how fast the operator posts operations notices.
 *
 * @param apiBaseUrl Discord's REST base URL with the API version (ATOMIZER_DISCORD_API_URL)
 * @param channelId the channel the notices go to (ATOMIZER_NOTIFY_CHANNEL_ID)
 * @param burst notices posted at once after a quiet period
 * @param interval spacing of notices beyond the burst
 * @param requestTimeout how long one post may take
 */
public record NotifierSettings(
    String apiBaseUrl, String channelId, int burst, Duration interval, Duration requestTimeout) {

  /**
   * The defaults: three notices at once, then one every five seconds (12 a minute), well inside
   * Discord's limit of five messages per five seconds per channel, so that eight agents failing
   * together are announced within half a minute without a 429.
   */
  public static NotifierSettings of(String apiBaseUrl, String channelId) {
    return new NotifierSettings(
        apiBaseUrl.endsWith("/") ? apiBaseUrl : apiBaseUrl + "/",
        channelId,
        3,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }
}
