package io.atomizer.operator.agentstatus;

/**
 * What the operator last learned about an agent's own Discord connection, from the agent's gateway
 * ({@code channels.status}, the data {@code openclaw channels status --json} prints). It holds no
 * time, so that two polls that saw the same thing are equal and trigger no reconcile.
 *
 * @param read how far the operator got
 * @param problem why the status could not be read ({@link Read#UNREADABLE}, {@link
 *     Read#NOT_RUNNING}); null otherwise
 * @param channelKnown whether the gateway knows a Discord channel at all (false: no plugin provides
 *     it)
 * @param configured whether the Discord account is configured (a token is set)
 * @param enabled whether the Discord account is enabled
 * @param running whether the Discord channel runtime runs
 * @param connected whether its gateway session is connected; null when the agent does not say
 * @param lifecycle OpenClaw's lifecycle word for the account ("ready", "blocked", …), or null
 * @param lastError the channel's last error, on one line and with anything token-like removed, or
 *     null
 * @param disconnectCode the HTTP status or gateway close code of the last disconnect (401, 4004,
 *     …), or null
 */
public record DiscordStatus(
    Read read,
    String problem,
    boolean channelKnown,
    boolean configured,
    boolean enabled,
    boolean running,
    Boolean connected,
    String lifecycle,
    String lastError,
    Integer disconnectCode) {

  /** How far a poll got. */
  public enum Read {
    /** The agent's gateway answered with its channel status. */
    READ,
    /** The agent has no running, ready pod to ask yet. */
    NOT_RUNNING,
    /** The agent's gateway could not be asked, or did not answer usefully. */
    UNREADABLE
  }

  /** The agent has no ready pod to ask. */
  public static DiscordStatus notRunning(String why) {
    return new DiscordStatus(
        Read.NOT_RUNNING, why, false, false, false, false, null, null, null, null);
  }

  /** The status could not be read; {@code why} says so for people, without any secret. */
  public static DiscordStatus unreadable(String why) {
    return new DiscordStatus(
        Read.UNREADABLE, why, false, false, false, false, null, null, null, null);
  }

  /** A status read from the agent. */
  public static DiscordStatus read(
      boolean channelKnown,
      boolean configured,
      boolean enabled,
      boolean running,
      Boolean connected,
      String lifecycle,
      String lastError,
      Integer disconnectCode) {
    return new DiscordStatus(
        Read.READ,
        null,
        channelKnown,
        configured,
        enabled,
        running,
        connected,
        lifecycle,
        lastError,
        disconnectCode);
  }

  /** Running and connected: the bot is online. */
  public boolean online() {
    return read == Read.READ && running && Boolean.TRUE.equals(connected);
  }
}
