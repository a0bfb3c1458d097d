package io.atomizer.operator.discord;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import java.util.Optional;

/**
 * The health states worth telling people about, read from an agent's status. States in between
 * (starting, replacing the pod, waiting for storage) have none and are never announced.
 */
public enum AgentHealth {
  /** Ready, and keeping up with its INBOX. */
  HEALTHY("🟢", "recovered: it runs and is ready."),
  /** The container runs but fails its readiness probe. */
  NOT_READY("🟠", "is not ready: its container runs but fails its readiness probe."),
  /** The container keeps crashing. */
  CRASH_LOOP("🔴", "is crash-looping (CrashLoopBackOff): its container keeps exiting."),
  /** The container was killed for exceeding its memory limit. */
  OOM_KILLED("🔴", "was OOMKilled: it needs a higher memory limit."),
  /** Discord rejected the agent's token. */
  TOKEN_INVALID(
      "🔴",
      "has a token Discord rejected (401): reset it in the Discord developer portal and update"
          + " the agent's Secret."),
  /** Ready, but its INBOX holds more or older tasks than its limits allow. */
  INBOX_BACKLOG("🟡", "is falling behind: its INBOX is over its limits.");

  private final String mark;
  private final String text;

  AgentHealth(String mark, String text) {
    this.mark = mark;
    this.text = text;
  }

  /** The notable state {@code status} shows, if any. */
  public static Optional<AgentHealth> of(AtomizerAgentStatus status) {
    if (status == null) {
      return Optional.empty();
    }
    if (is(status, Conditions.TOKEN_READY, "False", Conditions.INVALID_TOKEN)) {
      return Optional.of(TOKEN_INVALID);
    }
    if (is(status, Conditions.POD_HEALTHY, "False", Conditions.OOM_KILLED)) {
      return Optional.of(OOM_KILLED);
    }
    if (is(status, Conditions.POD_HEALTHY, "False", Conditions.CRASH_LOOP_BACK_OFF)) {
      return Optional.of(CRASH_LOOP);
    }
    if (is(status, Conditions.POD_HEALTHY, "False", Conditions.NOT_READY)) {
      return Optional.of(NOT_READY);
    }
    if (status.condition(Conditions.READY).filter(c -> "True".equals(c.getStatus())).isPresent()) {
      return Optional.of(
          is(status, Conditions.INBOX_HEALTHY, "False", Conditions.BACKLOGGED)
              ? INBOX_BACKLOG
              : HEALTHY);
    }
    return Optional.empty();
  }

  /** The message for agent {@code name} in {@code namespace}; fixed text, nothing from outside. */
  public String notice(String namespace, String name) {
    return mark
        + " Agent **"
        + name
        + "** (namespace "
        + namespace
        + ") "
        + text
        + " Details: `kubectl -n "
        + namespace
        + " describe atomizeragent "
        + name
        + "`";
  }

  private static boolean is(
      AtomizerAgentStatus status, String type, String conditionStatus, String reason) {
    return status
        .condition(type)
        .filter(c -> conditionStatus.equals(c.getStatus()) && reason.equals(c.getReason()))
        .isPresent();
  }
}
