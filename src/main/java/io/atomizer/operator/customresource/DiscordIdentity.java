package io.atomizer.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** The Discord bot a token logs in as. Never holds the token itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiscordIdentity {

  /** The bot user's id (a Discord snowflake). */
  private String botId;

  /** The bot user's name. */
  private String botName;

  /** When the operator first saw Discord accept this token as this bot (RFC 3339). */
  private String verifiedAt;

  public DiscordIdentity() {}

  public DiscordIdentity(String botId, String botName, String verifiedAt) {
    this.botId = botId;
    this.botName = botName;
    this.verifiedAt = verifiedAt;
  }

  public String getBotId() {
    return botId;
  }

  public void setBotId(String botId) {
    this.botId = botId;
  }

  public String getBotName() {
    return botName;
  }

  public void setBotName(String botName) {
    this.botName = botName;
  }

  public String getVerifiedAt() {
    return verifiedAt;
  }

  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscordIdentity d
        && Objects.equals(botId, d.botId)
        && Objects.equals(botName, d.botName)
        && Objects.equals(verifiedAt, d.verifiedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(botId, botName, verifiedAt);
  }
}
