package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One agent as it is now, judged by kstatus and the Argo CD health script ({@link HealthJudge}),
 * for the points a test asserts. A single read, judged once (a fresh read only while the operator
 * is still moving to the awaited state): no watch of everything.
 */
final class JudgedAgent {

  /** Ready for the current generation. */
  static final List<String> CURRENT_HEALTHY = List.of("Current", "Healthy");

  /** Stalled: only a human can fix it. */
  static final List<String> FAILED_DEGRADED = List.of("Failed", "Degraded");

  /** Neither Ready nor Stalled: the operator or the kubelet is still at work. */
  static final List<String> IN_PROGRESS = List.of("InProgress", "Progressing");

  /**
   * Suspended, its pod gone: Suspended for Argo CD, but InProgress for kstatus, whose {@code
   * status.Compute} reads a Ready condition that is False as InProgress once no Reconciling or
   * Stalled condition is True. So a Flux {@code wait: true} on a suspended agent times out.
   */
  static final List<String> IN_PROGRESS_SUSPENDED = List.of("InProgress", "Suspended");

  private JudgedAgent() {}

  /**
   * Asserts that kstatus and Argo CD judge agent {@code ns/name} as {@code expected} (one of the
   * constants), and that the verdict agrees with the operator's own conditions in the same read:
   * Current/Healthy exactly when Ready is True for the current generation, Failed/Degraded exactly
   * when Stalled is True.
   */
  static void assertJudged(KubernetesClient client, String ns, String name, List<String> expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              var agent =
                  client
                      .genericKubernetesResources("atomizer.io/v1alpha1", "AtomizerAgent")
                      .inNamespace(ns)
                      .withName(name)
                      .get();
              assertNotNull(agent, ns + "/" + name);
              var verdict = HealthJudge.judge(List.of(Serialization.asJson(agent))).get(0);
              var where = ns + "/" + name + " " + conditions(agent);
              assertNull(verdict.error(), where);
              assertEquals(fromConditions(agent), expected, "the operator's conditions: " + where);
              assertEquals(
                  expected,
                  List.of(verdict.kstatus(), verdict.argocd()),
                  "kstatus / Argo CD: " + verdict + " " + where);
            });
  }

  /** What the operator's conditions mean to kstatus and Argo CD, by the README. */
  private static List<String> fromConditions(GenericKubernetesResource agent) {
    var status = status(agent);
    var observed = status.get("observedGeneration");
    var current =
        observed instanceof Number n && n.longValue() == agent.getMetadata().getGeneration();
    if (current && "True".equals(condition(agent, "Ready"))) {
      return CURRENT_HEALTHY;
    }
    if ("True".equals(condition(agent, "Stalled"))) {
      return FAILED_DEGRADED;
    }
    if (current && "Suspended".equals(status.get("phase"))) {
      return IN_PROGRESS_SUSPENDED;
    }
    return IN_PROGRESS;
  }

  private static Map<?, ?> status(GenericKubernetesResource agent) {
    return agent.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String condition(GenericKubernetesResource agent, String type) {
    return conditionList(agent).stream()
        .filter(c -> type.equals(c.get("type")))
        .map(c -> String.valueOf(c.get("status")))
        .findFirst()
        .orElse(null);
  }

  private static List<Map<?, ?>> conditionList(GenericKubernetesResource agent) {
    var result = new java.util.ArrayList<Map<?, ?>>();
    if (status(agent).get("conditions") instanceof List<?> l) {
      for (var c : l) {
        if (c instanceof Map<?, ?> m) {
          result.add(m);
        }
      }
    }
    return result;
  }

  private static String conditions(GenericKubernetesResource agent) {
    var s = new StringBuilder("gen ").append(agent.getMetadata().getGeneration());
    s.append(" observed ").append(status(agent).get("observedGeneration"));
    s.append(" phase ").append(status(agent).get("phase"));
    for (var c : conditionList(agent)) {
      s.append(' ').append(c.get("type")).append('=').append(c.get("status"));
      s.append('/').append(c.get("reason"));
    }
    return s.toString();
  }
}
