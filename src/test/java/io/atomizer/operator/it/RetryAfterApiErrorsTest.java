package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failed reconciles are retried with a backoff capped at the recheck interval: once the API server
 * answers again, an agent whose pod could not be created gets it within that interval, however long
 * the errors lasted; and the retries never write an older observedGeneration over a newer one.
 */
@Tag("mock")
class RetryAfterApiErrorsTest {

  private static final Duration RECHECK = Duration.ofSeconds(5);
  private static final int FAILURES = 6;

  @RegisterExtension
  static final OperatorHarness harness =
      new OperatorHarness(Map.of("ATOMIZER_RECHECK_SECONDS", String.valueOf(RECHECK.toSeconds())));

  @AfterEach
  void clearFaults() {
    harness.cluster().clearFaults();
  }

  /**
   * (A 409 rather than a 500: the client itself retries 5xx answers, so a 500 would not always
   * reach the reconciler as a failure.) Five failed pod creations in a row: an uncapped backoff (2,
   * 4, 8, 16 s, ...) would wait 32 s before the next attempt, the capped one waits at most the
   * recheck interval.
   */
  @Test
  void agentGetsItsPodWithinTheRecheckIntervalAfterTheErrorsEnd() {
    var ns = harness.namespace(Map.of("K", token("retry-a")));
    var failed = new AtomicInteger();
    var errorsEnded = new AtomicLong();
    harness
        .cluster()
        .injectFaults(
            r -> {
              if (!isPodCreate(r, ns) || failed.get() >= FAILURES) {
                return Optional.empty();
              }
              if (failed.incrementAndGet() == FAILURES) {
                errorsEnded.set(System.nanoTime());
              }
              return Optional.of(conflict());
            });
    harness.create(agent(ns, "manager", "K"));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> errorsEnded.get() != 0);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> podOf(ns));
    double seconds = (System.nanoTime() - errorsEnded.get()) / 1e9;
    assertTrue(
        seconds <= RECHECK.toSeconds() + 2,
        "the pod came " + seconds + " s after the API errors ended (cap " + RECHECK + ")");
    harness.awaitReady(ns, "manager");
  }

  /**
   * Spec changes while a share of the operator's writes fail: every recorded version of the agent
   * has an observedGeneration at least that of the version before, and the agent ends current.
   */
  @Test
  void observedGenerationNeverGoesBackwardsAcrossRetries() throws Exception {
    var ns = harness.namespace(Map.of("K", token("retry-b")));
    var seen = new CopyOnWriteArrayList<Long>();
    var random = new Random(20261207L);
    try (var watch =
        harness
            .client()
            .resources(AtomizerAgent.class)
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, AtomizerAgent agent) {
                    if (agent.getStatus() != null
                        && agent.getStatus().getObservedGeneration() != null) {
                      seen.add(agent.getStatus().getObservedGeneration());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      harness.create(agent(ns, "auditor", "K"));
      harness.awaitReady(ns, "auditor");
      var failedWrites = new AtomicInteger();
      harness
          .cluster()
          .injectFaults(
              r -> {
                var call = ApiCall.parse(r.getMethod(), r.getPath());
                if (call == null || !call.isWrite() || !ns.equals(call.namespace())) {
                  return Optional.empty();
                }
                synchronized (random) {
                  if (random.nextDouble() >= 0.5) {
                    return Optional.empty();
                  }
                }
                failedWrites.incrementAndGet();
                return Optional.of(conflict());
              });
      for (int i = 1; i <= 6; i++) {
        int n = i;
        AgentEdits.edit(
            harness.client(),
            ns,
            "auditor",
            a -> a.getSpec().setImage("ghcr.io/openclaw/openclaw:2026.9." + n));
        int before = failedWrites.get();
        // the next change once the operator has failed on this one at least once
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> failedWrites.get() > before);
      }
      harness.cluster().clearFaults();
      var generation = harness.get(ns, "auditor").getMetadata().getGeneration();
      harness.awaitAgent(
          ns, "auditor", a -> generation.equals(a.getStatus().getObservedGeneration()));
      harness.awaitReady(ns, "auditor");
      assertTrue(failedWrites.get() >= 6, "writes failed: " + failedWrites.get());
      assertEquals(List.of(), backwards(seen), "observedGeneration in the order seen: " + seen);
    }
  }

  private static List<String> backwards(List<Long> seen) {
    var found = new ArrayList<String>();
    for (int i = 1; i < seen.size(); i++) {
      if (seen.get(i) < seen.get(i - 1)) {
        found.add(seen.get(i - 1) + " -> " + seen.get(i));
      }
    }
    return found;
  }

  private static boolean podOf(String ns) {
    return harness
        .pod(ns, "manager")
        .filter(Predicate.not(p -> p.isMarkedForDeletion()))
        .isPresent();
  }

  private static boolean isPodCreate(RecordedRequest r, String ns) {
    var call = ApiCall.parse(r.getMethod(), r.getPath());
    return call != null
        && call.verb().equals("create")
        && call.resource().equals("pods")
        && ns.equals(call.namespace());
  }

  private static MockResponse conflict() {
    return new MockResponse()
        .setResponseCode(409)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"the object has been modified\",\"reason\":\"Conflict\","
                + "\"code\":409}");
  }
}
