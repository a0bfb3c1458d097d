package io.atomizer.operator.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.status.InboxHealthy;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** InboxHealthy and status.inbox, one case per rule. */
class InboxRulesTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static InboxSpec spec(int maxPending, String maxAge) {
    var spec = new InboxSpec();
    spec.setMaxPending(maxPending);
    spec.setMaxAge(maxAge);
    return spec;
  }

  static InboxSnapshot ok(int pending, Instant oldest) {
    return InboxSnapshot.ok(pending, oldest, 0, NOW);
  }

  static ConditionValue healthy(InboxSpec spec, InboxSnapshot snapshot) {
    return InboxHealthy.decide(spec, snapshot, NOW);
  }

  @Test
  void beforeTheFirstScanTheInboxIsNotScanned() {
    var value = healthy(new InboxSpec(), null);
    assertEquals("Unknown", value.status());
    assertEquals(Conditions.INBOX_NOT_SCANNED, value.reason());
  }

  @Test
  void withoutAWorkspacesVolumeHealthIsUnknownAndTheMessageSaysHowToMountIt() {
    var value =
        healthy(
            new InboxSpec(), InboxSnapshot.workspaceUnavailable("No volume at /workspaces.", NOW));
    assertEquals("Unknown", value.status());
    assertEquals(Conditions.WORKSPACE_UNAVAILABLE, value.reason());
    assertTrue(value.message().contains("ATOMIZER_WORKSPACES_ROOT"), value.message());
  }

  @Test
  void unreadableInboxMakesHealthUnknownWithTheScannersReason() {
    var value = healthy(new InboxSpec(), InboxSnapshot.unreadable("It is a file.", NOW));
    assertEquals(
        new ConditionValue("Unknown", Conditions.INBOX_UNREADABLE, "It is a file."), value);
  }

  @Test
  void morePendingThanMaxPendingIsBacklogged() {
    assertEquals("True", healthy(spec(5, "1h"), ok(5, NOW)).status(), "5 of 5 is within limits");
    var value = healthy(spec(5, "1h"), ok(6, NOW));
    assertEquals("False", value.status());
    assertEquals(Conditions.BACKLOGGED, value.reason());
    assertTrue(value.message().contains("spec.inbox.maxPending (5)"), value.message());
  }

  @Test
  void taskOlderThanMaxAgeIsBacklogged() {
    var spec = spec(100, "1h30m");
    assertEquals("True", healthy(spec, ok(1, NOW.minus(Duration.ofMinutes(90)))).status());
    var value = healthy(spec, ok(1, NOW.minus(Duration.ofMinutes(91))));
    assertEquals("False", value.status());
    assertEquals(Conditions.BACKLOGGED, value.reason());
    assertTrue(value.message().contains("1h30m"), value.message());
  }

  @Test
  void emptyInboxIsWithinLimits() {
    var value = healthy(new InboxSpec(), ok(0, null));
    assertEquals("True", value.status());
    assertEquals(Conditions.WITHIN_LIMITS, value.reason());
  }

  @Test
  void defaultsAreTwentyTasksAndThirtyMinutes() {
    var defaults = new InboxSpec();
    defaults.setMaxPending(null);
    defaults.setMaxAge(null);
    assertEquals("True", healthy(defaults, ok(20, NOW.minus(Duration.ofMinutes(30)))).status());
    assertEquals("False", healthy(defaults, ok(21, NOW)).status());
    assertEquals("False", healthy(defaults, ok(1, NOW.minusSeconds(1801))).status());
  }

  @Test
  void conditionDoesNotChangeWhileOnlyTimePassesWithinTheLimit() {
    var spec = spec(10, "30m");
    var snapshot = ok(3, NOW.minus(Duration.ofMinutes(1)));
    assertEquals(
        InboxHealthy.decide(spec, snapshot, NOW),
        InboxHealthy.decide(spec, snapshot, NOW.plus(Duration.ofMinutes(20))));
  }

  @Test
  void recheckIsDueJustAfterTheOldestTaskPassesMaxAge() {
    var spec = spec(10, "30m");
    var snapshot = ok(1, NOW.minus(Duration.ofMinutes(10)));

    var after = InboxRules.recheckAfter(spec, snapshot, NOW).orElseThrow();

    assertEquals(Duration.ofMinutes(20).plusSeconds(1), after);
    assertEquals("False", InboxHealthy.decide(spec, snapshot, NOW.plus(after)).status());
    assertEquals(Optional.empty(), InboxRules.recheckAfter(spec, ok(0, null), NOW));
    assertEquals(
        Optional.empty(),
        InboxRules.recheckAfter(spec, ok(1, NOW.minusSeconds(3600)), NOW),
        "already backlogged: nothing left to wait for");
  }

  @Test
  void durationsParseHoursMinutesAndSeconds() {
    assertEquals(Optional.of(Duration.ofMinutes(90)), InboxRules.parseDuration("1h30m"));
    assertEquals(Optional.of(Duration.ofSeconds(90)), InboxRules.parseDuration("90s"));
    assertEquals(Optional.of(Duration.ofHours(2)), InboxRules.parseDuration("2h"));
    assertEquals(Optional.of(Duration.ofSeconds(3723)), InboxRules.parseDuration("1h2m3s"));
    for (var bad : new String[] {"", "1d", "30", "m", "1m1h", "-1m", "99999999999h"}) {
      assertEquals(Optional.empty(), InboxRules.parseDuration(bad), bad);
    }
  }

  @Test
  void invalidInboxSpecIsReportedWithTheFieldName() {
    assertEquals(List.of(), InboxRules.specProblems(spec(3, "1h")));
    var problems = InboxRules.specProblems(spec(-1, "tomorrow"));
    assertEquals(2, problems.size());
    assertTrue(problems.get(0).contains("spec.inbox.maxPending"));
    assertTrue(problems.get(1).contains("spec.inbox.maxAge"));
  }

  @Test
  void statusShowsTheFiguresOfTheScan() {
    var snapshot = InboxSnapshot.ok(4, NOW.minusSeconds(125), 2, NOW);

    var status = InboxRules.inboxStatus(snapshot, null);

    assertEquals(4, status.getPending());
    assertEquals(2, status.getInvalid());
    assertEquals("2026-03-01T11:57:55Z", status.getOldestPendingTime());
    assertEquals(125L, status.getOldestPendingSeconds());
    assertEquals("2026-03-01T12:00:00Z", status.getLastScanTime());
  }

  @Test
  void laterScanWithTheSameFiguresKeepsTheStatusAsItWas() {
    var first = InboxRules.inboxStatus(ok(4, NOW.minusSeconds(60)), null);
    var later = InboxSnapshot.ok(4, NOW.minusSeconds(60), 0, NOW.plus(Duration.ofMinutes(10)));

    assertSame(first, InboxRules.inboxStatus(later, first));
    assertEquals("2026-03-01T12:00:00Z", first.getLastScanTime());
    assertEquals(60L, first.getOldestPendingSeconds());
  }

  @Test
  void changedFiguresGiveANewStatusWithTheNewScanTime() {
    var first = InboxRules.inboxStatus(ok(4, NOW.minusSeconds(60)), null);
    var later = NOW.plusSeconds(30);

    var next = InboxRules.inboxStatus(InboxSnapshot.ok(5, NOW.minusSeconds(60), 0, later), first);

    assertEquals(5, next.getPending());
    assertEquals(later.toString(), next.getLastScanTime());
    assertEquals(90L, next.getOldestPendingSeconds());
  }

  @Test
  void unscannableInboxShowsNoFiguresRatherThanZero() {
    var status = InboxRules.inboxStatus(InboxSnapshot.unreadable("x", NOW), null);
    assertNull(status.getPending());
    assertNull(status.getInvalid());
    assertNull(status.getOldestPendingTime());
    assertEquals(NOW.toString(), status.getLastScanTime());
  }

  @Test
  void beforeTheFirstScanAfterARestartThePreviousConditionStays() {
    var previous =
        new ConditionBuilder()
            .withType(Conditions.INBOX_HEALTHY)
            .withStatus("False")
            .withReason(Conditions.BACKLOGGED)
            .withMessage("30 tasks wait")
            .build();
    assertEquals(
        new ConditionValue("False", Conditions.BACKLOGGED, "30 tasks wait"),
        InboxHealthy.decide(new InboxSpec(), null, Optional.of(previous), NOW));
    assertEquals(
        Conditions.INBOX_NOT_SCANNED,
        InboxHealthy.decide(new InboxSpec(), null, Optional.empty(), NOW).reason());
    assertEquals(
        "True",
        InboxHealthy.decide(new InboxSpec(), ok(0, null), Optional.of(previous), NOW).status(),
        "a scan overrides what was there");
  }

  @Test
  void beforeTheFirstScanAfterARestartThePreviousStatusStays() {
    var previous = InboxRules.inboxStatus(ok(4, NOW.minusSeconds(60)), null);
    assertSame(previous, InboxRules.inboxStatus(null, previous));
  }
}
