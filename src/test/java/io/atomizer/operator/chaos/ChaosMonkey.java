package io.atomizer.operator.chaos;

import io.atomizer.operator.chaos.Fleet.Member;
import io.atomizer.operator.playground.SimulatedNode.Behavior;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a random sequence of faults, drawn from one seeded {@link Random}: the same seed makes
 * the same choices (which fault, which agent, how long) for as long as the cluster answers the same
 * way; the exact interleaving with the operator's threads is not reproducible. Many faults schedule
 * their own repair (a crash-looping pod heals, a deleted Secret comes back); {@link #quiesce} does
 * every repair still due, so that the fleet can converge.
 */
final class ChaosMonkey {

  private static final Logger log = LoggerFactory.getLogger(ChaosMonkey.class);

  /** The faults, with their relative weights. */
  enum Fault {
    OPERATOR_RESTART(3),
    OPERATOR_KILL_MID_RECONCILE(3),
    POD_DELETE(7),
    POD_EVICT(5),
    CRASH_LOOP(4),
    OOM_KILL(4),
    TOKEN_ROTATE(5),
    TOKEN_SHARE(4),
    SECRET_DELETE_RECREATE(2),
    SUSPEND_RESUME(4),
    SPEC_CHANGE(6),
    AGENT_DELETE_RECREATE(4),
    WATCH_DROP(3);

    final int weight;

    Fault(int weight) {
      this.weight = weight;
    }
  }

  /** The share of each fault period at its end without operator restarts. */
  static final double CALM_TAIL = 0.3;

  private record FollowUp(long due, String what, Runnable action, BooleanSupplier ready) {}

  private final ChaosCluster cluster;
  private final Fleet fleet;
  private final Random random;
  private final long started = System.nanoTime();
  private final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
  private final List<FollowUp> followUps = new ArrayList<>();
  private final Set<String> deleting = new HashSet<>();
  private final List<String> journal = new ArrayList<>();
  private int killsWithRequestsInFlight;
  private int watchesDropped;

  ChaosMonkey(ChaosCluster cluster, Fleet fleet, long seed) {
    this.cluster = cluster;
    this.fleet = fleet;
    this.random = new Random(seed);
  }

  /**
   * Applies faults until {@code deadline} (System.nanoTime), 0.05 to 0.4 s apart. In the last
   * {@link #CALM_TAIL} of the time the operator process is left alone: every restart makes it
   * reconcile every agent afresh, which would hide an event it fails to react to.
   */
  void run(long deadline) {
    long calmFrom = deadline - (long) ((deadline - System.nanoTime()) * CALM_TAIL);
    while (System.nanoTime() < deadline) {
      runDueFollowUps(false);
      var fault = pick();
      if (System.nanoTime() > calmFrom
          && (fault == Fault.OPERATOR_RESTART || fault == Fault.OPERATOR_KILL_MID_RECONCILE)) {
        continue;
      }
      try {
        if (apply(fault)) {
          counts.merge(fault, 1, Integer::sum);
        }
      } catch (KubernetesClientException e) {
        // the harness's own request raced with the operator (the object just went away): skip
        note("skipped " + fault + ": " + e.getCode());
      }
      ChaosCluster.sleep(50 + random.nextInt(350));
    }
  }

  /**
   * Ends the faults: every pending repair is done (a suspended agent stays suspended with
   * probability 1/2, so that the final fleet has agents that must not run), every pod behaves,
   * every shared token (but the twins') is replaced by a fresh one.
   */
  void quiesce() {
    runDueFollowUps(true);
    for (var m : fleet.members()) {
      cluster.node().setBehavior(fleet.namespace(), m.name(), Behavior.READY);
    }
    fleet.sharedTokens().keySet().forEach(m -> fleet.setToken(m, fleet.fresh(m)));
    note("quiesced");
  }

  Map<Fault, Integer> counts() {
    return new EnumMap<>(counts);
  }

  int killsWithRequestsInFlight() {
    return killsWithRequestsInFlight;
  }

  int watchesDropped() {
    return watchesDropped;
  }

  /** The journal, its times in seconds from the first line's instant. */
  List<String> journal() {
    var lines = new ArrayList<String>();
    lines.add("   0.000s = " + ChaosTest.instant(started));
    lines.addAll(journal);
    return lines;
  }

  private Fault pick() {
    int total = 0;
    for (var f : Fault.values()) {
      total += f.weight;
    }
    int roll = random.nextInt(total);
    for (var f : Fault.values()) {
      roll -= f.weight;
      if (roll < 0) {
        return f;
      }
    }
    throw new IllegalStateException();
  }

  /** Applies one fault; false when it had no target (for example no pod to delete). */
  private boolean apply(Fault fault) {
    var ns = fleet.namespace();
    switch (fault) {
      case OPERATOR_RESTART -> {
        long t = System.nanoTime();
        cluster.stopOperator(false);
        long stopped = System.nanoTime();
        ChaosCluster.sleep(random.nextInt(1000));
        long down = System.nanoTime();
        cluster.startOperator();
        note(
            "operator restarted: stop %d ms, down %d ms, start %d ms",
            ms(stopped - t), ms(down - stopped), ms(System.nanoTime() - down));
      }
      case OPERATOR_KILL_MID_RECONCILE -> {
        var before = cluster.mock().operatorCalls().size();
        for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
          var m = existing(false);
          if (m != null) {
            changeImage(m);
          }
        }
        ChaosCluster.sleep(random.nextInt(100));
        var during = cluster.mock().operatorCalls().size() - before;
        cluster.stopOperator(true);
        if (during > 0) {
          killsWithRequestsInFlight++;
        }
        ChaosCluster.sleep(random.nextInt(1000));
        long down = System.nanoTime();
        cluster.startOperator();
        note(
            "operator killed %d requests into a burst of spec changes; start %d ms",
            during, ms(System.nanoTime() - down));
      }
      case POD_DELETE -> {
        var pod = randomPod();
        if (pod == null) {
          return false;
        }
        cluster.client().resource(pod).delete();
        note("pod deleted " + pod.getMetadata().getName());
      }
      case POD_EVICT -> {
        var pod = randomPod();
        if (pod == null) {
          return false;
        }
        cluster.node().evict(ns, pod.getMetadata().getName());
        note("pod evicted " + pod.getMetadata().getName());
      }
      case CRASH_LOOP, OOM_KILL -> {
        var m = any(true);
        var behavior = fault == Fault.CRASH_LOOP ? Behavior.CRASH_LOOP : Behavior.OOM_KILLED;
        cluster.node().setBehavior(ns, m.name(), behavior);
        later(
            2000 + random.nextInt(6000),
            m.name() + " behaves",
            () -> cluster.node().setBehavior(ns, m.name(), Behavior.READY));
        note(behavior + " " + m.name());
      }
      case TOKEN_ROTATE -> {
        var m = any(false);
        fleet.setToken(m, fleet.fresh(m));
        note("token rotated " + m.name());
      }
      case TOKEN_SHARE -> {
        var a = any(false);
        var b = any(false);
        if (a == b) {
          return false;
        }
        fleet.setToken(b, fleet.token(a));
        later(
            1000 + random.nextInt(5000),
            b.name() + " gets its own token",
            () -> fleet.setToken(b, fleet.fresh(b)));
        note("token shared: " + b.name() + " now has the token of " + a.name());
      }
      case SECRET_DELETE_RECREATE -> {
        var secrets = new ArrayList<>(fleet.secrets());
        secrets.removeIf(fleet::secretMissing);
        if (secrets.isEmpty()) {
          return false;
        }
        var secret = secrets.get(random.nextInt(secrets.size()));
        fleet.deleteSecret(secret);
        later(500 + random.nextInt(3500), secret + " restored", () -> fleet.restoreSecret(secret));
        note("secret deleted " + secret);
      }
      case SUSPEND_RESUME -> {
        var m = existing(true);
        if (m == null) {
          return false;
        }
        if (Boolean.TRUE.equals(fleet.agent(m).getSpec().getSuspend())) {
          // left suspended at the end of an earlier cycle
          fleet.edit(m, a -> a.getSpec().setSuspend(false));
          note("resumed " + m.name());
          return true;
        }
        fleet.edit(m, a -> a.getSpec().setSuspend(true));
        later(
            2000 + random.nextInt(8000),
            m.name() + " resumed",
            () -> {
              if (fleet.agent(m) != null) {
                fleet.edit(m, a -> a.getSpec().setSuspend(false));
              }
            });
        note("suspended " + m.name());
      }
      case SPEC_CHANGE -> {
        var m = existing(true);
        if (m == null) {
          return false;
        }
        changeImage(m);
      }
      case AGENT_DELETE_RECREATE -> {
        var m = existing(false);
        if (m == null) {
          return false;
        }
        var old = fleet.agent(m);
        var uid = old.getMetadata().getUid();
        deleting.add(m.name());
        fleet.deleteAgent(m);
        var keep = random.nextBoolean();
        var due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(2000));
        followUps.add(
            new FollowUp(
                due,
                m.name() + " re-created, retainOnDelete=" + keep,
                () -> {
                  fleet.createAgent(m, keep);
                  deleting.remove(m.name());
                },
                () -> dependentsGone(m, uid)));
        note(
            "agent deleted "
                + m.name()
                + " (retainOnDelete="
                + old.getSpec().getState().retained()
                + ")");
      }
      case WATCH_DROP -> {
        int dropped = cluster.mock().dropWatches();
        watchesDropped += dropped;
        note("dropped " + dropped + " watch connections");
      }
      default -> throw new IllegalStateException(fault.name());
    }
    return true;
  }

  private void changeImage(Member m) {
    var tag = Fleet.TAGS.get(random.nextInt(Fleet.TAGS.size()));
    fleet.edit(m, a -> a.getSpec().setImage(Fleet.IMAGE + tag));
    note("image of " + m.name() + " -> " + tag);
  }

  /** The old agent, its pod, and a claim it owned are gone, so that a new one starts clean. */
  private boolean dependentsGone(Member m, String uid) {
    var ns = fleet.namespace();
    if (fleet.agent(m) != null
        || cluster.client().pods().inNamespace(ns).withName(m.name()).get() != null) {
      return false;
    }
    var claim =
        cluster
            .client()
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(m.name() + "-state")
            .get();
    return claim == null || !ClusterRecorder.agentOwners(claim, o -> o.getUid()).contains(uid);
  }

  private void later(long millis, String what, Runnable action) {
    followUps.add(
        new FollowUp(
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), what, action, () -> true));
  }

  private void runDueFollowUps(boolean all) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      boolean pending = false;
      for (Iterator<FollowUp> it = followUps.iterator(); it.hasNext(); ) {
        var f = it.next();
        if ((all || System.nanoTime() >= f.due()) && f.ready().getAsBoolean()) {
          it.remove();
          if (all && f.what().endsWith(" resumed") && random.nextBoolean()) {
            note("stays suspended: " + f.what());
            continue;
          }
          f.action().run();
          note(f.what());
        } else {
          pending = true;
        }
      }
      if (!all || !pending) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("repairs never became possible: " + followUps);
      }
      ChaosCluster.sleep(100);
    }
  }

  /** A member that exists now and is not being re-created; twins only if {@code twins}. */
  private Member existing(boolean twins) {
    var candidates =
        fleet.members().stream()
            .filter(m -> twins || !m.twin())
            .filter(m -> !deleting.contains(m.name()))
            .toList();
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  private Member any(boolean twins) {
    var candidates = fleet.members().stream().filter(m -> twins || !m.twin()).toList();
    return candidates.get(random.nextInt(candidates.size()));
  }

  private Pod randomPod() {
    var pods =
        cluster.client().pods().inNamespace(fleet.namespace()).list().getItems().stream()
            .filter(p -> !p.isMarkedForDeletion())
            .toList();
    return pods.isEmpty() ? null : pods.get(random.nextInt(pods.size()));
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private void note(String format, Object... args) {
    note(String.format(format, args));
  }

  private void note(String what) {
    var line = String.format("%8.3fs %s", (System.nanoTime() - started) / 1e9, what);
    journal.add(line);
    log.debug(line);
  }
}
