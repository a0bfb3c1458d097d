package io.atomizer.operator.token;

import io.atomizer.operator.discord.DiscordLogin.Failure;
import java.time.Instant;

/** What the operator knows about a token from logging in to Discord with it. */
public sealed interface Verification {

  /** Whether the agent's pod may be created with this token. */
  boolean allowsPod();

  /** The token has not been checked yet; the pod waits for the first answer. */
  record Pending() implements Verification {
    @Override
    public boolean allowsPod() {
      return false;
    }
  }

  /**
   * Discord accepted the token.
   *
   * @param verifiedAt when the operator first saw Discord accept this token as this bot; later
   *     checks that find the same bot keep it, so that the status does not change every day
   */
  record Verified(String botId, String botName, Instant verifiedAt) implements Verification {
    @Override
    public boolean allowsPod() {
      return true;
    }
  }

  /** Discord rejected the token (401). A human must reset it; the pod is not created. */
  record Invalid() implements Verification {
    @Override
    public boolean allowsPod() {
      return false;
    }
  }

  /**
   * Discord could not be asked. The agent runs anyway, and the login is retried with backoff.
   *
   * @param detail the HTTP status or exception type, never an exception message
   */
  record Unavailable(Failure failure, String detail) implements Verification {
    @Override
    public boolean allowsPod() {
      return true;
    }

    /** One phrase for people. */
    public String describe() {
      return failure.describe(detail);
    }
  }

  /** Verification is turned off in the operator's configuration. */
  record Disabled() implements Verification {
    @Override
    public boolean allowsPod() {
      return true;
    }
  }
}
