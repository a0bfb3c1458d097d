package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where the agent's Discord bot token comes from. The token itself is never part of the spec. */
public class TokenSpec {

  /** The variable name OpenClaw reads its default Discord account's token from. */
  public static final String DEFAULT_ENV_NAME = "DISCORD_BOT_TOKEN";

  /**
   * Name of the Secret, in the agent's namespace, that holds the token. The operator reads it to
   * fingerprint the token and to keep one token in one pod; the pod reads it via secretKeyRef.
   */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String secretName;

  /** Key inside the Secret whose value is this agent's token, for example TECH_LEAD_TOKEN. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DATA_KEY)
  private String key;

  /**
   * Environment variable the container reads the token from. OpenClaw reads DISCORD_BOT_TOKEN; the
   * team's docker-compose file used DISCORD_TOKEN.
   */
  @Default(DEFAULT_ENV_NAME)
  @Size(min = 1, max = 128)
  @Pattern(Patterns.ENV_NAME)
  private String envName = DEFAULT_ENV_NAME;

  public TokenSpec() {}

  public TokenSpec(String secretName, String key) {
    this.secretName = secretName;
    this.key = key;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getEnvName() {
    return envName;
  }

  public void setEnvName(String envName) {
    this.envName = envName;
  }
}
