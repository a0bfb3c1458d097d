package io.atomizer.operator.chaos;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.playground.SimulatedNode;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness variant the chaos suite needs: the mock API server and simulated node of {@link
 * OperatorHarness}, plus a garbage collector stand-in, a recorder of every event, and an operator
 * that can be killed at any moment and started again with a fresh client, as a crashed and
 * restarted operator pod would be.
 */
final class ChaosCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);

  /** Short enough that a late answer becomes a timeout within a chaos run. */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  private final MockCluster cluster = new MockCluster();
  private final ClusterRecorder recorder = new ClusterRecorder(cluster.client());
  private final GarbageCollector gc = new GarbageCollector(cluster.client());
  private final SimulatedNode node =
      new SimulatedNode(cluster.client(), false, Duration.ofMillis(50), Duration.ofMillis(300))
          .start();
  private final OperatorConfig config = OperatorHarness.config(Map.of());
  private final List<Thread> reapers = new ArrayList<>();
  private volatile ApiFaults apiFaults;
  private OperatorRuntime operator;
  private KubernetesClient operatorClient;
  private String instance;
  private int instances;
  private int failedStarts;
  private int watchRestarts;

  ChaosCluster() {
    cluster.injectFaults(this::answer);
    cluster.delayResponses(r -> apiFaults == null ? Optional.empty() : apiFaults.delay(r));
    startOperator();
  }

  /** Injects {@code faults} into the operator's requests from now on; null for none. */
  void apiFaults(ApiFaults faults) {
    this.apiFaults = faults;
  }

  private Optional<MockResponse> answer(RecordedRequest request) {
    var faults = apiFaults;
    return faults == null ? Optional.empty() : faults.answer(request);
  }

  /**
   * Starts an operator with a fresh client. Under injected faults the start itself can fail (its
   * caches cannot fill); like a crash-looping pod it is then tried again.
   */
  synchronized void startOperator() {
    for (int attempt = 1; ; attempt++) {
      var started = "instance-" + (++instances);
      instance = started;
      operatorClient = cluster.operatorClient(instance, CLIENT_TIMEOUT);
      try {
        operator =
            AtomizerOperator.start(
                operatorClient,
                config,
                Clock.systemUTC(),
                Optional.empty(),
                () -> restartAfterLostWatch(started));
        return;
      } catch (RuntimeException e) {
        failedStarts++;
        log.info("operator start {} failed: {}", attempt, e.toString());
        operatorClient.close();
        if (attempt == 20) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  /**
   * Stops the operator. With {@code hard} it is killed: from that instant none of its requests
   * reaches the server (what it sent before was carried out) and its watches are cut; its threads
   * are wound down in the background, so that the next instance can start at once. Otherwise it
   * stops as on SIGTERM: reconciles in flight finish first.
   */
  /**
   * An instance whose watch stopped for good has stopped itself, as the operator's own process
   * exits (see {@link AtomizerOperator#start}); like the kubelet restarting the pod, a new one
   * starts, unless the monkey already replaced that instance.
   */
  private synchronized void restartAfterLostWatch(String stopped) {
    if (!stopped.equals(instance)) {
      return;
    }
    watchRestarts++;
    log.info("{} stopped after a watch stopped for good; starting a new instance", stopped);
    operatorClient.close();
    startOperator();
  }

  synchronized void stopOperator(boolean hard) {
    var runtime = operator;
    var client = operatorClient;
    Runnable stop =
        () -> {
          try {
            runtime.stop();
          } catch (RuntimeException e) {
            log.debug("operator stop: {}", e.toString());
          }
          client.close();
        };
    if (hard) {
      cluster.disconnect(instance);
      var reaper = new Thread(stop, "reap-" + instance);
      reaper.start();
      reapers.add(reaper);
    } else {
      stop.run();
    }
  }

  synchronized int failedStarts() {
    return failedStarts;
  }

  /** How many instances stopped themselves because a watch stopped for good. */
  synchronized int watchRestarts() {
    return watchRestarts;
  }

  MockCluster mock() {
    return cluster;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  SimulatedNode node() {
    return node;
  }

  ClusterRecorder recorder() {
    return recorder;
  }

  GarbageCollector gc() {
    return gc;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every killed instance has wound down its threads. */
  void awaitKilledInstances() {
    for (var reaper : reapers) {
      try {
        reaper.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    stopOperator(false);
    awaitKilledInstances();
    node.close();
    gc.close();
    recorder.close();
    cluster.close();
  }
}
