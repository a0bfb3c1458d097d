package io.atomizer.operator.chaos;

import io.atomizer.operator.chaos.ClusterRecorder.AgentRecord;
import io.atomizer.operator.chaos.ClusterRecorder.ClaimRecord;
import io.atomizer.operator.chaos.ClusterRecorder.PodRecord;
import io.atomizer.operator.chaos.GarbageCollector.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The invariants the chaos suite checks over a recorded history. Each check replays events in the
 * order the API server sent them and returns one line per violation (empty when the invariant
 * held), so that a failure says what happened, to which object, at which event.
 */
final class Invariants {

  private Invariants() {}

  /** Invariant 1a: never two pods (Terminating included) for one agent. */
  static List<String> twoPodsOfOneAgent(List<PodRecord> events) {
    return twoAtOnce(events, PodRecord::agent, "agent");
  }

  /** Invariant 1b: never two pods (Terminating included) carrying one token fingerprint. */
  static List<String> twoPodsWithOneToken(List<PodRecord> events) {
    return twoAtOnce(events, PodRecord::fingerprint, "token fingerprint");
  }

  private static List<String> twoAtOnce(
      List<PodRecord> events, Function<PodRecord, String> keyOf, String what) {
    var violations = new ArrayList<String>();
    Map<String, Set<String>> alive = new HashMap<>();
    Map<String, String> keyOfPod = new HashMap<>();
    Map<String, String> describe = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      var e = events.get(i);
      var previousKey = keyOfPod.remove(e.uid());
      if (previousKey != null) {
        alive.get(previousKey).remove(e.uid());
      }
      if (e.action().equals("DELETED")) {
        continue;
      }
      var key = keyOf.apply(e);
      if (key == null) {
        continue;
      }
      keyOfPod.put(e.uid(), key);
      describe.put(
          e.uid(), e.namespace() + "/" + e.name() + (e.terminating() ? " (Terminating)" : ""));
      var pods = alive.computeIfAbsent(key, k -> new LinkedHashSet<>());
      pods.add(e.uid());
      // one violation per overlap (a new set of pods at once), not per event during it
      if (pods.size() > 1 && reported.add(key + pods.stream().sorted().toList())) {
        violations.add(
            "event #"
                + i
                + ": "
                + pods.size()
                + " pods at once for "
                + what
                + " "
                + key
                + ": "
                + pods.stream().map(describe::get).toList());
      }
    }
    return violations;
  }

  /**
   * Invariant 2: no state claim of an agent that keeps its state was ever deleted. The only
   * deletions allowed are the garbage collector's, of a claim owned by an agent that was deleted
   * with retainOnDelete=false while no agent of the same name existed.
   */
  static List<String> retainedClaimsDeleted(
      List<ClaimRecord> events, List<AgentRecord> agents, Map<String, Collection> collected) {
    var violations = new ArrayList<String>();
    var seen = new HashSet<String>();
    Map<String, Boolean> retainedAtDeletion = new HashMap<>();
    for (var a : agents) {
      if (a.action().equals("DELETED")) {
        retainedAtDeletion.put(a.uid(), a.retained());
      }
    }
    for (var e : events) {
      boolean deletion = e.action().equals("DELETED") || e.terminating();
      if (!deletion || !e.name().endsWith("-state") || !seen.add(e.uid())) {
        continue;
      }
      var claim = e.namespace() + "/" + e.name();
      var gc = collected.get(e.uid());
      if (gc == null) {
        violations.add(
            "claim "
                + claim
                + " was deleted, not by the garbage collector (owners "
                + e.ownerUids()
                + ")");
      } else if (gc.liveAgent()) {
        violations.add(
            "claim "
                + claim
                + " was garbage-collected (owner "
                + gc.ownerUid()
                + ") while an agent of that name existed");
      } else if (!Boolean.FALSE.equals(retainedAtDeletion.get(gc.ownerUid()))) {
        violations.add(
            "claim "
                + claim
                + " was garbage-collected after its owner "
                + gc.ownerUid()
                + " was deleted with retainOnDelete="
                + retainedAtDeletion.get(gc.ownerUid())
                + ": the operator gave a kept claim an owner");
      }
    }
    return violations;
  }

  /** Invariant 4: status.observedGeneration of an agent never went backwards. */
  static List<String> observedGenerationBackwards(List<AgentRecord> events) {
    var violations = new ArrayList<String>();
    Map<String, Long> highest = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      var e = events.get(i);
      if (e.observedGeneration() == null) {
        continue;
      }
      var before = highest.get(e.uid());
      if (before != null && e.observedGeneration() < before) {
        violations.add(
            "event #"
                + i
                + ": agent "
                + e.namespace()
                + "/"
                + e.name()
                + " observedGeneration went from "
                + before
                + " back to "
                + e.observedGeneration()
                + " (generation "
                + e.generation()
                + ")");
      }
      highest.merge(e.uid(), e.observedGeneration(), Math::max);
    }
    return violations;
  }
}
