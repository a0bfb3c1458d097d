package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** status.phase from Ready, Stalled, InboxHealthy, suspend and whether the container runs. */
class AgentPhaseTest {

  @ParameterizedTest(name = "Ready {0}, Stalled {1}, Inbox {2}, suspended {3}, running {4} -> {5}")
  @CsvSource({
    // ready, stalled, inbox,   suspended, running, phase
    "False,   True,    Unknown, true,      true,    Suspended",
    "False,   True,    Unknown, false,     false,   Failed",
    "True,    False,   True,    false,     true,    Running",
    "True,    False,   Unknown, false,     true,    Running",
    "True,    False,   False,   false,     true,    Degraded",
    "False,   False,   True,    false,     true,    Degraded",
    "False,   False,   Unknown, false,     false,   Pending",
  })
  void decides(
      String ready, String stalled, String inbox, boolean suspended, boolean running, Phase phase) {
    assertEquals(
        phase,
        AgentPhase.decide(
            new ConditionValue(ready, "R", "m"),
            new ConditionValue(stalled, "S", "m"),
            new ConditionValue(inbox, "I", "m"),
            suspended,
            running));
  }
}
