package io.atomizer.operator.inbox;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.customresource.InboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The INBOX limits of {@code spec.inbox} and {@code status.inbox}, as pure functions of the spec,
 * the last snapshot and the time (the InboxHealthy condition is decided from them in the status
 * package).
 */
public final class InboxRules {

  private static final Pattern DURATION =
      Pattern.compile("^(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,9})s)?$");

  private InboxRules() {}

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
              + Conditions.brief(spec.getMaxAge())
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

  public static int maxPending(InboxSpec spec) {
    return spec == null || spec.getMaxPending() == null
        ? InboxSpec.DEFAULT_MAX_PENDING
        : spec.getMaxPending();
  }

  /** spec.inbox.maxAge; the default when unset or (past the CRD schema) unparseable. */
  public static Duration maxAge(InboxSpec spec) {
    return parseDuration(maxAgeText(spec))
        .orElseGet(() -> parseDuration(InboxSpec.DEFAULT_MAX_AGE).orElseThrow());
  }

  /** spec.inbox.maxAge as written, or the default. */
  public static String maxAgeText(InboxSpec spec) {
    return spec == null || spec.getMaxAge() == null ? InboxSpec.DEFAULT_MAX_AGE : spec.getMaxAge();
  }

  /** Whether the oldest task waited longer than {@code maxAge} at {@code now}. */
  public static boolean overAge(InboxSnapshot snapshot, Duration maxAge, Instant now) {
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
