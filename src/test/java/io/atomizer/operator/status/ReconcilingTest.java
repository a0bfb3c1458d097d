package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reconciling: True while converging, False when converged, suspended or stalled. */
class ReconcilingTest {

  @ParameterizedTest(name = "Ready {0} {1}, stalled {2}, suspended {3}, pod {4} -> {5} {6}")
  @CsvSource({
    // ready, readyReason,   stalled, suspended, hasPod, status, reason
    "True,    Running,       false,   false,     true,   False,  Reconciled",
    "False,   ReplacingPod,  false,   false,     true,   True,   ReplacingPod",
    "False,   Progressing,   false,   false,     false,  True,   Progressing",
    "False,   CrashLoopBackOff, true, false,     true,   False,  Blocked",
    "False,   Suspended,     false,   true,      true,   True,   Progressing",
    "False,   Suspended,     false,   true,      false,  False,  Reconciled",
    "False,   InvalidSpec,   true,    true,      false,  False,  Blocked",
  })
  void decides(
      String ready,
      String readyReason,
      boolean stalled,
      boolean suspended,
      boolean hasPod,
      String status,
      String reason) {
    var readyValue = new ConditionValue(ready, readyReason, "why");
    var stalledValue =
        stalled
            ? ConditionValue.isTrue(readyReason, "why")
            : ConditionValue.isFalse("NotStalled", "nothing");

    var value = Reconciling.decide(readyValue, stalledValue, suspended, hasPod);

    assertEquals(status, value.status());
    assertEquals(reason, value.reason());
  }
}
