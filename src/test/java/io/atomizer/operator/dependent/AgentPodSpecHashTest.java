package io.atomizer.operator.dependent;

import static io.atomizer.operator.dependent.AgentPodTemplateTest.overrides;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spec-hash annotation decides when a pod is replaced: it must not move for the same input, and
 * must move for every change that needs a new pod.
 */
class AgentPodSpecHashTest {

  static final String FINGERPRINT = "0123456789ab";

  @Test
  void sameInputGivesTheSameHash() {
    assertEquals(hash(agent(), FINGERPRINT), hash(agent(), FINGERPRINT));
  }

  @Test
  void userMapKeyOrderDoesNotChangeTheHash() {
    var first = agent();
    var selector = new LinkedHashMap<String, String>();
    selector.put("kubernetes.io/hostname", "t420");
    selector.put("disk", "ssd");
    overrides(first).setNodeSelector(selector);
    var labels = new LinkedHashMap<String, String>();
    labels.put("team", "atomizer");
    labels.put("tier", "agents");
    overrides(first).setLabels(labels);

    var second = agent();
    var reordered = new LinkedHashMap<String, String>();
    reordered.put("disk", "ssd");
    reordered.put("kubernetes.io/hostname", "t420");
    overrides(second).setNodeSelector(reordered);
    var reorderedLabels = new LinkedHashMap<String, String>();
    reorderedLabels.put("tier", "agents");
    reorderedLabels.put("team", "atomizer");
    overrides(second).setLabels(reorderedLabels);

    assertEquals(hash(first, FINGERPRINT), hash(second, FINGERPRINT));
  }

  @Test
  void agentFieldsThePodDoesNotUseDoNotChangeTheHash() {
    var changed = agent();
    changed.getMetadata().setGeneration(7L);
    changed.getMetadata().setResourceVersion("12345");
    changed.getSpec().setDisplayName("Someone else");

    assertEquals(hash(agent(), FINGERPRINT), hash(changed, FINGERPRINT));
  }

  @Test
  void imageChangeChangesTheHash() {
    var changed = agent();
    changed.getSpec().setImage("ghcr.io/openclaw/openclaw:2026.9.1-slim");

    assertNotEquals(hash(agent(), FINGERPRINT), hash(changed, FINGERPRINT));
  }

  @Test
  void envChangeChangesTheHash() {
    var changed = agent();
    changed.getSpec().setEnv(List.of(new EnvVar("TZ", "Europe/Paris", null)));

    assertNotEquals(hash(agent(), FINGERPRINT), hash(changed, FINGERPRINT));
  }

  @Test
  void tokenFingerprintChangeChangesTheHash() {
    assertNotEquals(hash(agent(), FINGERPRINT), hash(agent(), "ba9876543210"));
  }

  @Test
  void fingerprintIsAnnotatedOnThePod() {
    var pod = AgentPodTemplate.build(agent(), FINGERPRINT);

    assertEquals(FINGERPRINT, pod.getMetadata().getAnnotations().get(Labels.TOKEN_FINGERPRINT));
    assertEquals(FINGERPRINT, Labels.fingerprintOf(pod));
  }

  private static AtomizerAgent agent() {
    return Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
  }

  private static String hash(AtomizerAgent agent, String fingerprint) {
    return AgentPodTemplate.build(agent, fingerprint)
        .getMetadata()
        .getAnnotations()
        .get(Labels.SPEC_HASH);
  }
}
