package io.atomizer.operator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.chaos.ClusterRecorder.AgentRecord;
import io.atomizer.operator.chaos.ClusterRecorder.ClaimRecord;
import io.atomizer.operator.chaos.ClusterRecorder.PodRecord;
import io.atomizer.operator.chaos.GarbageCollector.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each invariant check over a recorded history finds the violation it exists for, and only it. */
class InvariantsTest {

  @Test
  void replacementAfterTheOldPodIsGoneIsOnePodAtATime() {
    var history =
        List.of(
            pod("ADDED", "u1", "a", "f1", false),
            pod("MODIFIED", "u1", "a", "f1", true),
            pod("DELETED", "u1", "a", "f1", true),
            pod("ADDED", "u2", "a", "f2", false));
    assertEquals(List.of(), Invariants.twoPodsOfOneAgent(history));
    assertEquals(List.of(), Invariants.twoPodsWithOneToken(history));
  }

  @Test
  void aNewPodWhileTheOldOneTerminatesIsTwoPodsOfOneAgent() {
    var history =
        List.of(
            pod("ADDED", "u1", "a", "f1", false),
            pod("MODIFIED", "u1", "a", "f1", true),
            pod("ADDED", "u2", "a", "f2", false));
    assertEquals(1, Invariants.twoPodsOfOneAgent(history).size());
    assertEquals(List.of(), Invariants.twoPodsWithOneToken(history));
  }

  @Test
  void twoAgentsRunningOneTokenIsTwoPodsWithOneToken() {
    var history =
        List.of(
            pod("ADDED", "u1", "a", "f1", false),
            pod("MODIFIED", "u1", "a", "f1", true),
            pod("ADDED", "u2", "b", "f1", false),
            pod("DELETED", "u1", "a", "f1", true));
    var violations = Invariants.twoPodsWithOneToken(history);
    assertEquals(1, violations.size(), violations.toString());
    assertEquals(List.of(), Invariants.twoPodsOfOneAgent(history));
  }

  @Test
  void onlyCollectionsOfDiscardedStateAreAllowed() {
    var agents =
        List.of(
            agent("ADDED", "a1", "a", false, 1, null),
            agent("DELETED", "a1", "a", false, 1, 1L),
            agent("ADDED", "k1", "k", true, 1, null),
            agent("DELETED", "k1", "k", true, 1, 1L));
    var discarded = claim("DELETED", "c1", "a-state", "a1");
    var kept = claim("DELETED", "c2", "k-state", "k1");
    var gc =
        Map.of(
            "c1", new Collection("team", "a-state", "a1", false),
            "c2", new Collection("team", "k-state", "k1", false));

    assertEquals(List.of(), Invariants.retainedClaimsDeleted(List.of(discarded), agents, gc));
    assertEquals(1, Invariants.retainedClaimsDeleted(List.of(kept), agents, gc).size());
    assertEquals(
        1,
        Invariants.retainedClaimsDeleted(List.of(claim("DELETED", "c3", "k-state")), agents, gc)
            .size(),
        "deleted by someone other than the garbage collector");
    assertEquals(
        1,
        Invariants.retainedClaimsDeleted(
                List.of(discarded),
                agents,
                Map.of("c1", new Collection("team", "a-state", "a1", true)))
            .size(),
        "collected while a new agent of the same name used it");
  }

  @Test
  void observedGenerationMayOnlyGrow() {
    var growing =
        List.of(
            agent("ADDED", "u", "a", true, 1, null),
            agent("MODIFIED", "u", "a", true, 1, 1L),
            agent("MODIFIED", "u", "a", true, 2, 1L),
            agent("MODIFIED", "u", "a", true, 2, 2L));
    assertEquals(List.of(), Invariants.observedGenerationBackwards(growing));
    var backwards =
        List.of(
            agent("MODIFIED", "u", "a", true, 2, 2L),
            agent("MODIFIED", "u", "a", true, 2, 1L),
            agent("ADDED", "other-uid", "a", true, 1, 1L));
    assertEquals(1, Invariants.observedGenerationBackwards(backwards).size());
  }

  private static PodRecord pod(
      String action, String uid, String agent, String fingerprint, boolean terminating) {
    return new PodRecord(0, action, "team", agent, uid, "team/" + agent, fingerprint, terminating);
  }

  private static ClaimRecord claim(String action, String uid, String name, String... owners) {
    return new ClaimRecord(0, action, "team", name, uid, List.of(owners), false);
  }

  private static AgentRecord agent(
      String action, String uid, String name, boolean retained, long generation, Long observed) {
    return new AgentRecord(0, action, "team", name, uid, generation, observed, retained, false);
  }
}
