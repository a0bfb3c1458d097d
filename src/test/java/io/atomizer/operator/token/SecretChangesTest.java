package io.atomizer.operator.token;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.PodEventRecorder;
import io.atomizer.operator.support.SecretEdits;
import io.atomizer.operator.support.StatusTripwire;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a change to a token Secret does: it reconciles exactly the agents that reference the Secret,
 * restarts an agent only when its own key changed, and a rotated token replaces the pod (old pod
 * gone first) on the same state claim.
 */
@Tag("mock")
class SecretChangesTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();

  @Test
  void secretCreatedChangedOrDeletedReconcilesExactlyTheAgentsThatReferenceIt() throws Exception {
    var ns = harness.namespace(Map.of("MANAGER_TOKEN", token("map-manager")));
    harness
        .client()
        .resource(
            Agents.secret(ns, "auditor-secret", Map.of("AUDITOR_TOKEN", token("map-auditor"))))
        .create();
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    harness.create(withSecret(agent(ns, "auditor", "AUDITOR_TOKEN"), "auditor-secret"));
    harness.create(withSecret(agent(ns, "secretary", "SECRETARY_TOKEN"), "secretary-secret"));
    converged(ns, "manager");
    converged(ns, "auditor");
    harness.awaitCondition(ns, "secretary", "TokenReady", "False", "SecretNotFound");

    // created: only the agent waiting for the Secret is reconciled
    var untouched = tripwires(ns, "manager", "auditor");
    harness
        .client()
        .resource(
            Agents.secret(
                ns, "secretary-secret", Map.of("SECRETARY_TOKEN", token("map-secretary"))))
        .create();
    converged(ns, "secretary");
    assertUntouched(ns, untouched);

    // changed: only the agent referencing it
    untouched = tripwires(ns, "auditor", "secretary");
    tripwires(ns, "manager");
    SecretEdits.annotate(harness.client(), ns, Agents.SECRET, "team.example/rotated-by", "ops");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !StatusTripwire.intact(harness.get(ns, "manager")));
    assertUntouched(ns, untouched);

    // deleted: only the agent referencing it
    untouched = tripwires(ns, "manager", "secretary");
    SecretEdits.delete(harness.client(), ns, "auditor-secret");
    harness.awaitCondition(ns, "auditor", "TokenReady", "False", "SecretNotFound");
    assertUntouched(ns, untouched);
  }

  @Test
  void secretChangeThatLeavesTheAgentsKeyAloneDoesNotRestartIt() throws Exception {
    var ns =
        harness.namespace(
            Map.of("MANAGER_TOKEN", token("keep-manager"), "AUDITOR_TOKEN", token("keep-auditor")));
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    converged(ns, "manager");
    var podUid = harness.pod(ns, "manager").orElseThrow().getMetadata().getUid();
    var status = harness.get(ns, "manager").getStatus();

    try (var recorder = new PodEventRecorder(harness.client())) {
      StatusTripwire.set(harness.client(), ns, "manager");
      SecretEdits.edit(
          harness.client(),
          ns,
          Agents.SECRET,
          s -> {
            s.getData().put("AUDITOR_TOKEN", SecretEdits.base64(token("keep-auditor-2")));
            s.getData().put("WEBSTER_TOKEN", SecretEdits.base64(token("keep-webster")));
            s.getMetadata().setLabels(Map.of("team.example/owner", "ops"));
          });
      // the Secret change reconciled the agent: the mark is gone
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !StatusTripwire.intact(harness.get(ns, "manager")));
      harness.awaitSettled(ns);

      assertEquals(podUid, harness.pod(ns, "manager").orElseThrow().getMetadata().getUid());
      assertEquals(status, harness.get(ns, "manager").getStatus(), "status as before the change");
      assertTrue(
          recorder.events().stream()
              .filter(e -> e.namespace().equals(ns))
              .allMatch(
                  e -> e.uid().equals(podUid) && !e.terminating() && !e.action().equals("DELETED")),
          "no pod of the agent was deleted or created: " + recorder.events());
    }
  }

  @Test
  void rotatedTokenReplacesThePodAfterTheOldOneIsGoneOnTheSameClaim() {
    var ns = harness.namespace(Map.of("TECH_LEAD_TOKEN", token("rotate-1")));
    try (var recorder = new PodEventRecorder(harness.client())) {
      harness.create(agent(ns, "tech-lead", "TECH_LEAD_TOKEN"));
      converged(ns, "tech-lead");
      var oldPod = harness.pod(ns, "tech-lead").orElseThrow().getMetadata().getUid();
      var claim = harness.stateClaim(ns, "tech-lead").orElseThrow().getMetadata().getUid();
      var oldFingerprint = harness.get(ns, "tech-lead").getStatus().getTokenFingerprint();

      SecretEdits.put(harness.client(), ns, Agents.SECRET, "TECH_LEAD_TOKEN", token("rotate-2"));

      var secret = harness.client().secrets().inNamespace(ns).withName(Agents.SECRET).get();
      var newFingerprint = Fingerprints.of(secret, "TECH_LEAD_TOKEN").orElseThrow();
      assertNotEquals(oldFingerprint, newFingerprint);
      harness.awaitAgent(
          ns,
          "tech-lead",
          a ->
              newFingerprint.equals(a.getStatus().getTokenFingerprint())
                  && a.getStatus().condition("Ready").orElseThrow().getStatus().equals("True"));
      var newPod = harness.pod(ns, "tech-lead").orElseThrow();
      assertNotEquals(oldPod, newPod.getMetadata().getUid(), "the pod was replaced");
      assertEquals(newFingerprint, Labels.fingerprintOf(newPod));
      assertEquals(
          claim,
          harness.stateClaim(ns, "tech-lead").orElseThrow().getMetadata().getUid(),
          "the state claim stays");
      assertEquals(1, recorder.maxPodsPerAgent(), "old pod gone first: " + recorder.events());
      assertEquals(1, recorder.maxPodsPerToken(), "one pod per token: " + recorder.events());
      assertTrue(
          recorder.events().stream().anyMatch(e -> e.uid().equals(oldPod) && e.terminating()),
          "the old pod went through Terminating");
    }
  }

  private static AtomizerAgent withSecret(AtomizerAgent agent, String secret) {
    agent.getSpec().getToken().setSecretName(secret);
    return agent;
  }

  /** Ready, storage bound, and no status write for a while: no reconcile left to do. */
  private static void converged(String ns, String name) {
    harness.awaitReady(ns, name);
    harness.awaitCondition(ns, name, "StorageReady", "True", "Bound");
    var last = new String[] {""};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1500))
        .until(
            () -> {
              var version = harness.get(ns, name).getMetadata().getResourceVersion();
              var quiet = version.equals(last[0]);
              last[0] = version;
              return quiet;
            });
  }

  /** Sets the mark on each agent; returns their resourceVersions after the mark. */
  private static Map<String, String> tripwires(String ns, String... names) {
    var versions = new java.util.TreeMap<String, String>();
    for (var name : names) {
      versions.put(name, StatusTripwire.set(harness.client(), ns, name));
    }
    return versions;
  }

  private static void assertUntouched(String ns, Map<String, String> versions)
      throws InterruptedException {
    harness.awaitSettled(ns);
    for (var entry : versions.entrySet()) {
      var agent = harness.get(ns, entry.getKey());
      assertTrue(StatusTripwire.intact(agent), entry.getKey() + " was reconciled");
      assertEquals(
          entry.getValue(),
          agent.getMetadata().getResourceVersion(),
          entry.getKey() + " was written to");
    }
  }
}
