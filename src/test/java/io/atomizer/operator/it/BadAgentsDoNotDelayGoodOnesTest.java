package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reconcile of a bad agent must not delay the good ones: ten good agents become Ready about as
 * fast while fifty hostile agents are created at the same time (by a second thread) as they do
 * alone. Shown as a ratio of two timings in one run, with a generous bound, not as an absolute
 * time.
 */
@Tag("mock")
class BadAgentsDoNotDelayGoodOnesTest {

  static final int GOOD = 10;
  static final int HOSTILE = 50;
  static final double BOUND = 3.0;
  static final int ROUNDS = 3;

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  @Test
  void fiftyHostileAgentsDoNotDelayTenGoodOnes() {
    goodAgentsReadyAfter(0); // warm-up: class loading and JIT, not measured
    var alone = new ArrayList<Long>();
    var crowded = new ArrayList<Long>();
    // every round alone first: work left over from hostile agents must not slow an "alone" round
    for (int round = 0; round < ROUNDS; round++) {
      alone.add(goodAgentsReadyAfter(0));
    }
    for (int round = 0; round < ROUNDS; round++) {
      crowded.add(goodAgentsReadyAfter(HOSTILE));
    }
    double ratio = median(crowded) / median(alone);
    System.out.printf(
        "%d good agents Ready (ms): alone %s, while %d hostile agents are created %s;"
            + " ratio of medians %.2f (bound %.1f)%n",
        GOOD, alone, HOSTILE, crowded, ratio, BOUND);
    assertTrue(ratio < BOUND, "hostile agents slowed the good ones down " + ratio + " times");
  }

  private static double median(List<Long> values) {
    var sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** Creates {@code hostile} bad agents, then the good ones, and times until all good are Ready. */
  private static long goodAgentsReadyAfter(int hostile) {
    var tokens = new LinkedHashMap<String, String>();
    for (int i = 0; i < GOOD; i++) {
      tokens.put("GOOD_" + i, token("good-" + i + "-" + System.nanoTime()));
    }
    tokens.put("SHARED", token("shared-" + System.nanoTime()));
    var ns = harness.namespace(tokens);
    harness
        .client()
        .resource(
            Agents.secret(
                ns,
                "not-tokens",
                Map.of("tls.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")))
        .create();
    var bad = new ArrayList<AtomizerAgent>();
    for (int i = 0; i < hostile; i++) {
      bad.add(hostileAgent(ns, i));
    }
    // the hostile agents are created by a second client thread while the good ones are
    long start = System.nanoTime();
    var hostileCreated = CompletableFuture.runAsync(() -> bad.forEach(harness::create));
    var good = new ArrayList<String>();
    for (int i = 0; i < GOOD; i++) {
      good.add("good-" + i);
      harness.create(agent(ns, "good-" + i, "GOOD_" + i));
    }
    good.forEach(name -> harness.awaitReady(ns, name));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    hostileCreated.join();
    // let every hostile agent settle before the next round, so that no round's timing carries
    // work left over from the one before
    bad.forEach(
        a ->
            harness.awaitAgent(
                ns,
                a.getMetadata().getName(),
                x -> x.getStatus() != null && x.getStatus().condition("Ready").isPresent()));
    return took;
  }

  /** Five kinds of bad agents, in turn: what the schema lets through but the operator must stop. */
  private static AtomizerAgent hostileAgent(String ns, int i) {
    var name = "hostile-" + i;
    return switch (i % 5) {
      case 0 -> {
        var a = agent(ns, name, "NO_SUCH_KEY");
        yield a;
      }
      case 1 -> {
        var a = agent(ns, name, "GOOD_0");
        a.getSpec().getToken().setSecretName("no-such-secret-" + i);
        yield a;
      }
      case 2 -> {
        var a = agent(ns, name, "tls.crt");
        a.getSpec().getToken().setSecretName("not-tokens");
        yield a;
      }
      case 3 -> {
        var a = agent(ns, name, "SHARED");
        yield a;
      }
      default -> {
        var a = agent(ns, name, "NO_SUCH_KEY");
        a.getSpec()
            .setResources(
                new ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity("-1Gi"))
                    .build());
        yield a;
      }
    };
  }
}
