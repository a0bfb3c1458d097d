package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.inbox.InboxRules;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.status.Observed;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** When to reconcile an agent again although no watched object changed. */
final class Recheck {

  private Recheck() {}

  /**
   * The sooner of: {@code interval} while the agent waits on something the operator does not watch,
   * or has a pod that is not ready (it may be gone without a trace: see {@link
   * io.atomizer.operator.dependent.AgentPod#forgetIfGone}); the moment the INBOX's oldest task
   * passes spec.inbox.maxAge.
   */
  static Optional<Duration> after(
      AgentPlan plan,
      Observed observed,
      AtomizerAgentStatus status,
      InboxSpec inbox,
      Instant now,
      Duration interval) {
    var waits = waitsOnUnwatchedChange(plan) || (observed.pod().isPresent() && !isReady(status));
    return Stream.of(
            waits ? Optional.of(interval) : Optional.<Duration>empty(),
            InboxRules.recheckAfter(inbox, observed.inbox(), now))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  /**
   * A requested wait, shortened to the longest interval between two reconciles: JOSDK applies its
   * own timer of that length only when the reconciler asks for no wait, and a longer wait (an INBOX
   * task far from spec.inbox.maxAge) would stretch its bound on a dropped event.
   */
  static Duration noLaterThan(Duration delay, Duration longest) {
    return delay.compareTo(longest) > 0 ? longest : delay;
  }

  /** Missing claims and held tokens change without an event the operator watches; look again. */
  static boolean waitsOnUnwatchedChange(AgentPlan plan) {
    return plan.specValid()
        && (!plan.missingClaims().isEmpty()
            || plan.blockingPod() != null
            || plan.verification() instanceof Verification.Pending
            || plan.token() instanceof TokenResolution.Duplicate);
  }

  static boolean isReady(AtomizerAgentStatus status) {
    return status != null
        && status.condition(Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
