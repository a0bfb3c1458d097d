package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.InboxSpec;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** InboxHealthy against spec.inbox maxPending 3 and maxAge 10m, at 12:00. */
class InboxHealthyTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest(name = "{0}, previous {1} -> {2} {3}")
  @CsvSource({
    // snapshot,         previous,     status,  reason
    "none,               none,         Unknown, NotScanned",
    "none,               Backlogged,   False,   Backlogged",
    "workspaceMissing,   none,         Unknown, WorkspaceUnavailable",
    "unreadable,         none,         Unknown, InboxUnreadable",
    "empty,              none,         True,    WithinLimits",
    "threeFresh,         Backlogged,   True,    WithinLimits",
    "fourFresh,          none,         False,   Backlogged",
    "oneOld,             WithinLimits, False,   Backlogged",
  })
  void decides(String snapshot, String previous, String status, String reason) {
    var spec = new InboxSpec();
    spec.setMaxPending(3);
    spec.setMaxAge("10m");

    var value = InboxHealthy.decide(spec, snapshot(snapshot), previous(previous), NOW);

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }

  private static InboxSnapshot snapshot(String kind) {
    var fresh = NOW.minusSeconds(60);
    return switch (kind) {
      case "none" -> null;
      case "workspaceMissing" -> InboxSnapshot.workspaceUnavailable("No workspaces.", NOW);
      case "unreadable" -> InboxSnapshot.unreadable("Permission denied.", NOW);
      case "empty" -> InboxSnapshot.ok(0, null, 0, NOW);
      case "threeFresh" -> InboxSnapshot.ok(3, fresh, 0, NOW);
      case "fourFresh" -> InboxSnapshot.ok(4, fresh, 0, NOW);
      case "oneOld" -> InboxSnapshot.ok(1, NOW.minusSeconds(11 * 60), 0, NOW);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static Optional<Condition> previous(String reason) {
    return reason.equals("none")
        ? Optional.empty()
        : Optional.of(
            new ConditionBuilder()
                .withType("InboxHealthy")
                .withStatus(reason.equals("Backlogged") ? "False" : "True")
                .withReason(reason)
                .withMessage("before")
                .build());
  }
}
