package io.atomizer.operator.inbox;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.ConditionValue.unknown;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.customresource.InboxStatus;
import io.atomizer.operator.status.ConditionValue;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The InboxHealthy condition and {@code status.inbox}, as pure functions of the spec, the last
 * snapshot and the time.
 *
 * <p>A backlog never makes Ready False: an agent that is up but behind is busy, not broken, and
 * Flux or Argo CD must not roll it back. A backlog shows as InboxHealthy=False (Backlogged) and as
 * phase Degraded.
 */
public final class InboxRules {

  private static final Pattern DURATION =
      Pattern.compile("^(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,9})s)?$");

  private InboxRules() {}

  /**
   * InboxHealthy. Unknown before the first scan (NotScanned), without a workspaces volume
   * (WorkspaceUnavailable) or when the INBOX cannot be read (InboxUnreadable); False (Backlogged)
   * when more than {@code spec.inbox.maxPending} tasks wait or the oldest waited longer than {@code
   * spec.inbox.maxAge}; True (WithinLimits) otherwise. Messages do not change with the clock, so an
   * unchanged inbox means an unchanged condition.
   *
   * @param snapshot the latest scan, or null when there has been none yet
   */
  public static ConditionValue computeInboxHealthy(
      InboxSpec spec, InboxSnapshot snapshot, Instant now) {
    if (snapshot == null) {
      return unknown(
          Conditions.INBOX_NOT_SCANNED, "The operator has not scanned the agent's INBOX yet.");
    }
    switch (snapshot.state()) {
      case WORKSPACE_UNAVAILABLE:
        return unknown(
            Conditions.WORKSPACE_UNAVAILABLE,
            snapshot.detail()
                + " Mount the workspaces claim into the operator, read-only, at"
                + " ATOMIZER_WORKSPACES_ROOT (the Helm chart does) to see the agent's backlog.");
      case INBOX_UNREADABLE:
        return unknown(Conditions.INBOX_UNREADABLE, snapshot.detail());
      default:
        break;
    }
    int maxPending = maxPending(spec);
    var maxAge = maxAge(spec);
    var invalidNote =
        snapshot.invalid() == 0
            ? ""
            : " " + snapshot.invalid() + " invalid file(s) in INBOX are not counted.";
    if (snapshot.pending() > maxPending) {
      return isFalse(
          Conditions.BACKLOGGED,
          snapshot.pending()
              + " tasks wait in INBOX, more than spec.inbox.maxPending ("
              + maxPending
              + ")."
              + invalidNote);
    }
    if (overAge(snapshot, maxAge, now)) {
      return isFalse(
          Conditions.BACKLOGGED,
          "The oldest task in INBOX has waited since "
              + snapshot.oldestPending()
              + ", longer than spec.inbox.maxAge ("
              + text(spec)
              + ")."
              + invalidNote);
    }
    return isTrue(
        Conditions.WITHIN_LIMITS,
        snapshot.pending()
            + " task(s) wait in INBOX (spec.inbox.maxPending "
            + maxPending
            + "), none longer than spec.inbox.maxAge ("
            + text(spec)
            + ")."
            + invalidNote);
  }

  /**
   * InboxHealthy, keeping the {@code previous} condition until the first scan after an operator
   * restart: the cache is empty then, and flipping to NotScanned and back would write the status
   * twice for nothing.
   *
   * @param previous the InboxHealthy condition of the status as it is, if any
   */
  public static ConditionValue computeInboxHealthy(
      InboxSpec spec, InboxSnapshot snapshot, Optional<Condition> previous, Instant now) {
    if (snapshot == null && previous.isPresent()) {
      var c = previous.get();
      return new ConditionValue(c.getStatus(), c.getReason(), c.getMessage());
    }
    return computeInboxHealthy(spec, snapshot, now);
  }

  /**
   * When InboxHealthy must be computed again although no file changed: the moment the oldest task
   * passes {@code maxAge}. The reconciler passes it to {@code rescheduleAfter}.
   */
  public static Optional<Duration> recheckAfter(
      InboxSpec spec, InboxSnapshot snapshot, Instant now) {
    if (snapshot == null || !snapshot.isOk() || snapshot.oldestPending() == null) {
      return Optional.empty();
    }
    if (snapshot.pending() > maxPending(spec) || overAge(snapshot, maxAge(spec), now)) {
      return Optional.empty();
    }
    var due = snapshot.oldestPending().plus(maxAge(spec)).plusSeconds(1);
    return Optional.of(Duration.between(now, due));
  }

  /**
   * {@code status.inbox} for a snapshot. Keeps {@code previous} as it is (its lastScanTime and
   * oldestPendingSeconds included) while the figures it shows are the same, so that a scan that
   * finds nothing new never writes the status; oldestPendingSeconds is therefore the oldest task's
   * age at lastScanTime, the scan that first saw these figures. The current age is now minus
   * oldestPendingTime (and the atomizer_agent_inbox_oldest_pending_seconds metric). When the INBOX
   * could not be scanned, the figures are absent: unknown, not zero.
   *
   * @param snapshot the latest scan, or null before the first one (then {@code previous} stays)
   * @param previous the status.inbox written before, or null
   */
  public static InboxStatus inboxStatus(InboxSnapshot snapshot, InboxStatus previous) {
    if (snapshot == null) {
      return previous;
    }
    var next = new InboxStatus();
    next.setLastScanTime(rfc3339(snapshot.scannedAt()));
    if (snapshot.isOk()) {
      next.setPending(snapshot.pending());
      next.setInvalid(snapshot.invalid());
      if (snapshot.oldestPending() != null) {
        next.setOldestPendingTime(rfc3339(snapshot.oldestPending()));
        next.setOldestPendingSeconds(
            Math.max(
                0, Duration.between(snapshot.oldestPending(), snapshot.scannedAt()).toSeconds()));
      }
    }
    return previous != null && sameFigures(previous, next) ? previous : next;
  }

  /**
   * What is wrong with {@code spec.inbox}, for the operator's own spec checks; empty when valid.
   */
  public static List<String> specProblems(InboxSpec spec) {
    var problems = new ArrayList<String>();
    if (spec == null) {
      return problems;
    }
    if (spec.getMaxPending() != null && spec.getMaxPending() < 0) {
      problems.add("spec.inbox.maxPending must be 0 or more, not " + spec.getMaxPending() + ".");
    }
    if (spec.getMaxAge() != null && parseDuration(spec.getMaxAge()).isEmpty()) {
      problems.add(
          "spec.inbox.maxAge must be a duration such as 90s, 30m or 1h30m, not '"
              + ConditionValue.brief(spec.getMaxAge())
              + "'.");
    }
    return problems;
  }

  /** Parses {@code 90s}, {@code 30m}, {@code 1h30m}; empty for anything else. */
  public static Optional<Duration> parseDuration(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    var m = DURATION.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        Duration.ofHours(number(m.group(1)))
            .plusMinutes(number(m.group(2)))
            .plusSeconds(number(m.group(3))));
  }

  static int maxPending(InboxSpec spec) {
    return spec == null || spec.getMaxPending() == null
        ? InboxSpec.DEFAULT_MAX_PENDING
        : spec.getMaxPending();
  }

  /** spec.inbox.maxAge; the default when unset or (past the CRD schema) unparseable. */
  static Duration maxAge(InboxSpec spec) {
    return parseDuration(text(spec))
        .orElseGet(() -> parseDuration(InboxSpec.DEFAULT_MAX_AGE).orElseThrow());
  }

  private static String text(InboxSpec spec) {
    return spec == null || spec.getMaxAge() == null ? InboxSpec.DEFAULT_MAX_AGE : spec.getMaxAge();
  }

  private static boolean overAge(InboxSnapshot snapshot, Duration maxAge, Instant now) {
    return snapshot.oldestPending() != null
        && Duration.between(snapshot.oldestPending(), now).compareTo(maxAge) > 0;
  }

  private static boolean sameFigures(InboxStatus a, InboxStatus b) {
    return Objects.equals(a.getPending(), b.getPending())
        && Objects.equals(a.getInvalid(), b.getInvalid())
        && Objects.equals(a.getOldestPendingTime(), b.getOldestPendingTime())
        && a.getLastScanTime() != null;
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  private static String rfc3339(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
