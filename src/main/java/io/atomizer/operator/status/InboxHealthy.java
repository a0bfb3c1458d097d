package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.ConditionValue.unknown;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.inbox.InboxRules;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Optional;

/**
 * InboxHealthy: whether the agent keeps up with the task files in its INBOX.
 *
 * <p>A backlog never makes Ready False: an agent that is up but behind is busy, not broken, and
 * Flux or Argo CD must not roll it back. A backlog shows as InboxHealthy=False (Backlogged) and as
 * phase Degraded.
 */
public final class InboxHealthy {

  private InboxHealthy() {}

  /**
   * InboxHealthy. Unknown before the first scan (NotScanned), without a workspaces volume
   * (WorkspaceUnavailable) or when the INBOX cannot be read (InboxUnreadable); False (Backlogged)
   * when more than {@code spec.inbox.maxPending} tasks wait or the oldest waited longer than {@code
   * spec.inbox.maxAge}; True (WithinLimits) otherwise. Messages do not change with the clock, so an
   * unchanged inbox means an unchanged condition.
   *
   * @param snapshot the latest scan, or null when there has been none yet
   */
  public static ConditionValue decide(InboxSpec spec, InboxSnapshot snapshot, Instant now) {
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
    int maxPending = InboxRules.maxPending(spec);
    var maxAge = InboxRules.maxAge(spec);
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
    if (InboxRules.overAge(snapshot, maxAge, now)) {
      return isFalse(
          Conditions.BACKLOGGED,
          "The oldest task in INBOX has waited since "
              + snapshot.oldestPending()
              + ", longer than spec.inbox.maxAge ("
              + InboxRules.maxAgeText(spec)
              + ")."
              + invalidNote);
    }
    return isTrue(
        Conditions.WITHIN_LIMITS,
        snapshot.pending()
            + " task(s) wait in INBOX (spec.inbox.maxPending "
            + maxPending
            + "), none longer than spec.inbox.maxAge ("
            + InboxRules.maxAgeText(spec)
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
  public static ConditionValue decide(
      InboxSpec spec, InboxSnapshot snapshot, Optional<Condition> previous, Instant now) {
    if (snapshot == null && previous.isPresent()) {
      var c = previous.get();
      return new ConditionValue(c.getStatus(), c.getReason(), c.getMessage());
    }
    return decide(spec, snapshot, now);
  }
}
