package io.atomizer.operator.chaos;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.token.Fingerprints;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every agent should come to once the faults stop, and how long it took. An agent that should
 * run must be Ready=True with a live pod carrying its current token; a suspended one must have no
 * pod and say Suspended; of agents sharing a token, only the oldest runs and the others say
 * DuplicateToken (Stalled=True). Each must also have observed its current generation and not be
 * Reconciling.
 */
final class Convergence {

  /** The outcomes an agent may converge to. */
  enum Outcome {
    RUNNING,
    SUSPENDED,
    DUPLICATE_TOKEN
  }

  record Expectation(String name, Outcome outcome, String fingerprint) {}

  /**
   * Per-agent convergence: seconds from the end of the faults until the agent last came to its
   * expected outcome (and stayed there until the whole fleet had).
   */
  record Result(Map<String, Double> seconds, double fleetSeconds) {
    double median() {
      var sorted = seconds.values().stream().sorted().toList();
      if (sorted.isEmpty()) {
        return 0;
      }
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double max() {
      return seconds.values().stream().mapToDouble(d -> d).max().orElse(0);
    }
  }

  private final KubernetesClient client;
  private final Fleet fleet;

  Convergence(KubernetesClient client, Fleet fleet) {
    this.client = client;
    this.fleet = fleet;
  }

  /** The expected outcome of every agent that exists now, from the tokens the Secrets hold. */
  Map<String, Expectation> expected() {
    var agents = agents();
    var byToken = new HashMap<String, List<AtomizerAgent>>();
    for (var a : agents.values()) {
      if (!Boolean.TRUE.equals(a.getSpec().getSuspend())) {
        byToken
            .computeIfAbsent(
                fleet.token(fleet.member(a.getMetadata().getName())), t -> new ArrayList<>())
            .add(a);
      }
    }
    var holders =
        byToken.values().stream()
            .map(
                sharing ->
                    sharing.stream()
                        .min(
                            Comparator.comparing(
                                    (AtomizerAgent a) -> a.getMetadata().getCreationTimestamp())
                                .thenComparing(a -> a.getMetadata().getName()))
                        .orElseThrow()
                        .getMetadata()
                        .getName())
            .collect(Collectors.toSet());
    var expected = new TreeMap<String, Expectation>();
    for (var a : agents.values()) {
      var name = a.getMetadata().getName();
      var fingerprint = fingerprint(fleet.token(fleet.member(name)));
      Outcome outcome =
          Boolean.TRUE.equals(a.getSpec().getSuspend())
              ? Outcome.SUSPENDED
              : holders.contains(name) ? Outcome.RUNNING : Outcome.DUPLICATE_TOKEN;
      expected.put(name, new Expectation(name, outcome, fingerprint));
    }
    return expected;
  }

  /**
   * Waits until every agent in {@code expected} meets its expectation, at most {@code bound}.
   *
   * @throws AssertionError naming the agents that did not converge, with their conditions
   */
  Result await(Map<String, Expectation> expected, long since, Duration bound) {
    var streakStart = new HashMap<String, Long>();
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      var agents = agents();
      var pods = pods();
      var failing = new LinkedHashMap<String, String>();
      long now = System.nanoTime();
      for (var e : expected.values()) {
        var pod = Optional.ofNullable(pods.get(e.name()));
        var problem = problem(e, agents.get(e.name()), pod);
        if (problem == null) {
          streakStart.putIfAbsent(e.name(), now);
        } else {
          streakStart.remove(e.name());
          failing.put(
              e.name(), problem + "; pod now: " + pod.map(Convergence::describe).orElse("none"));
        }
      }
      if (failing.isEmpty()) {
        var seconds = new TreeMap<String, Double>();
        streakStart.forEach((name, at) -> seconds.put(name, Math.max(0, at - since) / 1e9));
        return new Result(seconds, (now - since) / 1e9);
      }
      if (now > deadline) {
        throw new AssertionError(
            failing.size()
                + " agents did not converge within "
                + bound.toSeconds()
                + " s after the last fault:\n"
                + failing.entrySet().stream()
                    .map(f -> "  " + f.getKey() + ": " + f.getValue())
                    .collect(Collectors.joining("\n")));
      }
      ChaosCluster.sleep(200);
    }
  }

  /** Checks that nothing changed since convergence: every expectation still holds. */
  List<String> stillConverged(Map<String, Expectation> expected) {
    var agents = agents();
    var pods = pods();
    var problems = new ArrayList<String>();
    for (var e : expected.values()) {
      var problem = problem(e, agents.get(e.name()), Optional.ofNullable(pods.get(e.name())));
      if (problem != null) {
        problems.add(e.name() + ": " + problem);
      }
    }
    return problems;
  }

  /** Why the agent does not meet the expectation yet, or null when it does. */
  static String problem(Expectation e, AtomizerAgent agent, Optional<Pod> pod) {
    if (agent == null) {
      return "gone";
    }
    var status = agent.getStatus();
    if (status == null
        || !agent.getMetadata().getGeneration().equals(status.getObservedGeneration())) {
      return "observedGeneration "
          + (status == null ? null : status.getObservedGeneration())
          + " of generation "
          + agent.getMetadata().getGeneration();
    }
    var ready = status.condition("Ready").orElse(null);
    var stalled = status.condition("Stalled").orElse(null);
    // an agent the operator is still working on (a failed pod deletion waiting for its retry,
    // say) has not converged, whatever Ready says
    var reconciling = status.condition("Reconciling").orElse(null);
    if (reconciling != null && "True".equals(reconciling.getStatus())) {
      return "still Reconciling: " + describe(reconciling);
    }
    var livePod = pod.filter(p -> !p.isMarkedForDeletion());
    switch (e.outcome()) {
      case RUNNING -> {
        if (!is(ready, "True", "Running")) {
          return "expected Ready=True, has " + describe(ready);
        }
        // an agent whose status still says its claim is not bound has not converged either (a
        // short run saw one repaired by the periodic reconcile in the quiet period, check 5)
        var storage = status.condition("StorageReady").orElse(null);
        if (!is(storage, "True", "Bound")) {
          return "expected StorageReady=True Bound, has " + describe(storage);
        }
        // the pod's own Ready condition, not only its phase: a crash-looping or OOM-killed pod
        // stays in phase Running, and an agent that still says Ready=True because the operator has
        // not seen the kill yet must not count as converged
        if (livePod.isEmpty()
            || !e.fingerprint().equals(Labels.fingerprintOf(livePod.get()))
            || livePod.get().getStatus() == null
            || !"Running".equals(livePod.get().getStatus().getPhase())
            || !podReady(livePod.get())) {
          return "Ready=True but no running and ready pod with token "
              + e.fingerprint()
              + ": "
              + pod.map(Convergence::describe).orElse("no pod");
        }
      }
      case SUSPENDED -> {
        if (!is(ready, "False", "Suspended") || blank(ready)) {
          return "expected Ready=False Suspended, has " + describe(ready);
        }
        if (pod.isPresent()) {
          return "suspended but has pod " + describe(pod.get());
        }
      }
      case DUPLICATE_TOKEN -> {
        if (!is(ready, "False", "DuplicateToken")
            || blank(ready)
            || !is(stalled, "True", "DuplicateToken")) {
          return "expected Ready=False and Stalled=True DuplicateToken, has "
              + describe(ready)
              + " / "
              + describe(stalled);
        }
        if (pod.isPresent()) {
          return "duplicate token but has pod " + describe(pod.get());
        }
      }
      default -> throw new IllegalStateException();
    }
    return null;
  }

  private static boolean podReady(Pod p) {
    return p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean is(Condition c, String status, String reason) {
    return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
  }

  private static boolean blank(Condition c) {
    return c.getMessage() == null || c.getMessage().isBlank();
  }

  private static String describe(Condition c) {
    return c == null
        ? "no condition"
        : c.getType() + "=" + c.getStatus() + " " + c.getReason() + " (" + c.getMessage() + ")";
  }

  private static String describe(Pod p) {
    return p.getMetadata().getName()
        + "[uid "
        + p.getMetadata().getUid()
        + ", hash "
        + p.getMetadata().getAnnotations().get(Labels.SPEC_HASH)
        + ", fp "
        + Labels.fingerprintOf(p)
        + ", phase "
        + (p.getStatus() == null ? null : p.getStatus().getPhase())
        + (p.getStatus() == null ? "" : ", ready " + podReady(p) + containerState(p))
        + (p.isMarkedForDeletion() ? ", Terminating" : "")
        + "]";
  }

  private static String containerState(Pod p) {
    return p.getStatus().getContainerStatuses().stream()
        .findFirst()
        .map(
            c ->
                ", restarts "
                    + c.getRestartCount()
                    + (c.getState() != null && c.getState().getWaiting() != null
                        ? ", waiting " + c.getState().getWaiting().getReason()
                        : ""))
        .orElse("");
  }

  static String fingerprint(String token) {
    return Fingerprints.of(Agents.secret("x", "x", Map.of("K", token)), "K").orElseThrow();
  }

  private Map<String, AtomizerAgent> agents() {
    return index(
        client.resources(AtomizerAgent.class).inNamespace(fleet.namespace()).list().getItems(),
        a -> a.getMetadata().getName());
  }

  private Map<String, Pod> pods() {
    return index(
        client.pods().inNamespace(fleet.namespace()).list().getItems(),
        p -> p.getMetadata().getName());
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> name) {
    var map = new HashMap<String, T>();
    items.forEach(i -> map.put(name.apply(i), i));
    return map;
  }

  static long now() {
    return System.nanoTime();
  }

  static double seconds(long nanos) {
    return nanos / (double) TimeUnit.SECONDS.toNanos(1);
  }
}
