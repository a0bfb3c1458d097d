package io.atomizer.operator.inbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one scan of an agent's INBOX found. Immutable.
 *
 * <p>Equality deliberately ignores {@link #scannedAt()}: two scans that found the same figures are
 * the same snapshot, so the event source raises no event (and the reconciler writes no status) when
 * only time has passed. For the same reason the oldest task is kept as a timestamp, not as an age.
 *
 * @param state whether the INBOX could be scanned
 * @param pending valid task files waiting ({@code *.json} regular files holding one JSON document);
 *     0 unless {@code state} is {@link State#OK}
 * @param oldestPending modification time of the oldest valid task, whole seconds; null when none
 * @param invalid {@code *.json} entries that are not valid tasks: unreadable, empty, over 10 MiB,
 *     not JSON, partly written, or not a regular file (a directory, symlink, FIFO ...)
 * @param detail for a state other than OK, one stable sentence saying what was wrong; else null
 * @param scannedAt when the scan finished (not part of equality)
 */
public record InboxSnapshot(
    State state,
    int pending,
    Instant oldestPending,
    int invalid,
    String detail,
    Instant scannedAt) {

  /** Whether the INBOX could be scanned. */
  public enum State {
    /** Scanned; a missing INBOX directory is OK with nothing pending. */
    OK,
    /** The workspaces root is missing or not a directory: the operator has no volume mounted. */
    WORKSPACE_UNAVAILABLE,
    /**
     * The INBOX (or the agent's directory) exists but cannot be listed: permission denied, not a
     * directory, a symlink loop, a symlink out of the workspaces root, or a scan that did not
     * finish.
     */
    INBOX_UNREADABLE
  }

  public InboxSnapshot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(scannedAt, "scannedAt");
    oldestPending = oldestPending == null ? null : oldestPending.truncatedTo(ChronoUnit.SECONDS);
  }

  /** A successful scan. */
  public static InboxSnapshot ok(int pending, Instant oldestPending, int invalid, Instant at) {
    return new InboxSnapshot(State.OK, pending, oldestPending, invalid, null, at);
  }

  /** The workspaces root is not there; {@code detail} says what was found instead. */
  public static InboxSnapshot workspaceUnavailable(String detail, Instant at) {
    return new InboxSnapshot(State.WORKSPACE_UNAVAILABLE, 0, null, 0, detail, at);
  }

  /** The INBOX cannot be read; {@code detail} says why. */
  public static InboxSnapshot unreadable(String detail, Instant at) {
    return new InboxSnapshot(State.INBOX_UNREADABLE, 0, null, 0, detail, at);
  }

  public boolean isOk() {
    return state == State.OK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboxSnapshot s
        && state == s.state
        && pending == s.pending
        && invalid == s.invalid
        && Objects.equals(oldestPending, s.oldestPending)
        && Objects.equals(detail, s.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, pending, oldestPending, invalid, detail);
  }
}
