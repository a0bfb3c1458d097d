package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Holds back, for a moment, a status write whose only news is that the state claim got bound: when
 * the claim binds within {@link #HOLD} of its first report as pending, the change is written with
 * the next one (the pod running and Ready, most often, which follows within a second on a fast
 * cluster), and alone once the hold is over. The pending to bound transition is reported once,
 * never skipped and never delayed by more than {@link #HOLD}; it saves one write per new agent
 * where volumes bind at once.
 *
 * <p>Only StorageReady waits, and only from False/ClaimPending to True/Bound with nothing else
 * changed: kstatus reads the same then (Ready=False, Reconciling=True), so no waiter sees the agent
 * differently for it. The first status is never held (issue 18: it is written in the reconcile that
 * creates the claim and the pod), nor any change of Ready, Reconciling, Stalled or the pod.
 */
final class BoundClaimHold {

  /** The longest a bound claim waits to be written together with the pod's next change. */
  static final Duration HOLD = Duration.ofSeconds(2);

  private BoundClaimHold() {}

  /**
   * How much longer to hold {@code next} back, or empty to write it now.
   *
   * @param written the status the agent has (null before the first write)
   * @param next the status just computed
   */
  static Optional<Duration> of(AtomizerAgentStatus written, AtomizerAgentStatus next, Instant now) {
    if (written == null || next.equals(written)) {
      return Optional.empty();
    }
    var was = written.condition(Conditions.STORAGE_READY).orElse(null);
    var is = next.condition(Conditions.STORAGE_READY).orElse(null);
    if (was == null
        || is == null
        || !Conditions.CLAIM_PENDING.equals(was.getReason())
        || !Conditions.BOUND.equals(is.getReason())
        || !onlyStorageReadyDiffers(written, next, was)) {
      return Optional.empty();
    }
    try {
      var left = Duration.between(now, Instant.parse(was.getLastTransitionTime()).plus(HOLD));
      return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code next}, with {@code written}'s StorageReady, equals {@code written}. */
  private static boolean onlyStorageReadyDiffers(
      AtomizerAgentStatus written, AtomizerAgentStatus next, Condition writtenStorage) {
    var same = new AtomizerAgentStatus();
    same.setObservedGeneration(next.getObservedGeneration());
    same.setPhase(next.getPhase());
    same.setConditions(
        next.getConditions().stream()
            .map(c -> Conditions.STORAGE_READY.equals(c.getType()) ? writtenStorage : c)
            .toList());
    same.setPod(next.getPod());
    same.setStateClaimName(next.getStateClaimName());
    same.setTokenFingerprint(next.getTokenFingerprint());
    same.setDiscord(next.getDiscord());
    same.setInbox(next.getInbox());
    return same.equals(written);
  }
}
