package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.ConditionValue.unknown;

import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.customresource.Conditions;
import java.util.regex.Pattern;

/**
 * The DiscordConnected condition, decided from the agent's own Discord status as its gateway last
 * reported it (it holds Ready back when False: see {@link Ready}). True only when the agent said
 * its Discord channel runs and is connected; Unknown whenever that cannot be read.
 */
public final class DiscordConnected {

  /** A rejected bot token in OpenClaw's lastError, when no disconnect code says so: 401, 4004. */
  private static final Pattern REJECTED =
      Pattern.compile(
          "\\b401\\b|\\b4004\\b|Unauthorized|Authentication failed|invalid token",
          Pattern.CASE_INSENSITIVE);

  /** What a Discord plugin that is missing or refused looks like in OpenClaw's lastError. */
  private static final Pattern NOT_INSTALLED =
      Pattern.compile("no channel plugin is installed|not installed", Pattern.CASE_INSENSITIVE);

  private static final Pattern NOT_LOADED =
      Pattern.compile(
          "Plugin discord failed|PluginTrustRefusal|plugin.*disabled", Pattern.CASE_INSENSITIVE);

  private DiscordConnected() {}

  /** The condition for {@code status}, the latest poll's result (null before the first one). */
  public static ConditionValue decide(DiscordStatus status) {
    if (status == null) {
      return unknown(
          Conditions.STATUS_NOT_READ,
          "The agent's Discord status has not been read yet (or reading it is turned off:"
              + " ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS=0).");
    }
    switch (status.read()) {
      case NOT_RUNNING -> {
        return unknown(Conditions.STATUS_NOT_READ, status.problem());
      }
      case UNREADABLE -> {
        return unknown(Conditions.STATUS_UNREADABLE, status.problem());
      }
      default -> {
        // read: below
      }
    }
    var error = status.lastError();
    if (!status.channelKnown() || matches(NOT_INSTALLED, error)) {
      return isFalse(
          Conditions.PLUGIN_NOT_INSTALLED,
          "The agent's OpenClaw has no Discord channel: its image lacks the @openclaw/discord"
              + " plugin (at the same version as openclaw). Use an image that contains it"
              + with(error));
    }
    if (status.online()) {
      return isTrue(Conditions.CONNECTED, "The agent's Discord bot is connected.");
    }
    if (rejected(status)) {
      return isFalse(
          Conditions.INVALID_TOKEN,
          "Discord rejected the bot token the agent logged in with ("
              + (error != null ? error : "code " + status.disconnectCode())
              + "); the agent does not retry it. Reset the token in the Discord developer portal"
              + " (the bot's page > Bot > Reset Token) and put the new one in the agent's Secret;"
              + " the pod is replaced by itself.");
    }
    if (matches(NOT_LOADED, error)) {
      return isFalse(
          Conditions.PLUGIN_NOT_LOADED,
          "The agent's Discord plugin did not start; enable and trust it in the OpenClaw config"
              + " (plugins.entries.discord.enabled=true)"
              + with(error));
    }
    if (!status.configured() || !status.enabled()) {
      return isFalse(
          Conditions.DISCORD_NOT_CONFIGURED,
          "The agent's OpenClaw config has no enabled Discord account: set channels.discord"
              + " (enabled: true, token: \"${DISCORD_BOT_TOKEN}\")"
              + with(error));
    }
    if (error != null) {
      return isFalse(
          Conditions.DISCONNECTED,
          "The agent is not connected to Discord and retries with backoff by itself: " + error);
    }
    return isFalse(
        Conditions.CONNECTING,
        status.running()
            ? "The agent's Discord channel runs and is connecting to Discord's gateway."
            : "The agent's Discord channel is starting.");
  }

  /** A 401 from Discord's REST API or close code 4004 from its gateway: the token is refused. */
  private static boolean rejected(DiscordStatus status) {
    var code = status.disconnectCode();
    return (code != null && (code == 401 || code == 4004)) || matches(REJECTED, status.lastError());
  }

  private static boolean matches(Pattern pattern, String text) {
    return text != null && pattern.matcher(text).find();
  }

  private static String with(String error) {
    return error == null ? "." : " (the agent says: " + error + ").";
  }
}
