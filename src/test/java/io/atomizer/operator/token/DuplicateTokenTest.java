package io.atomizer.operator.token;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.SkillsSpec;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.atomizer.operator.support.PodEventRecorder;
import io.atomizer.operator.support.SecretEdits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two agents resolving to the same token: the older runs, the newer waits with
 * TokenReady=False/DuplicateToken naming the holder and has no pod, and starts by itself once the
 * conflict is gone. Every test records every pod event: never two pods with one token.
 */
@Tag("mock")
class DuplicateTokenTest {

  @RegisterExtension static final OperatorHarness harness = new OperatorHarness();
  PodEventRecorder recorder;

  @BeforeEach
  void record() {
    recorder = new PodEventRecorder(harness.client());
  }

  @AfterEach
  void neverTwoPodsWithOneToken() {
    recorder.close();
    assertEquals(1, recorder.maxPodsPerToken(), "pods with one token: " + recorder.events());
  }

  @Test
  void sameSecretKeyTheNewerAgentWaitsAndStartsOnceTheOlderIsDeleted() throws Exception {
    var ns = harness.namespace(Map.of("MANAGER_TOKEN", token("dup-same-key")));
    harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
    harness.awaitReady(ns, "manager");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and this name sorts after the older one's
    harness.create(agent(ns, "manager-deputy", "MANAGER_TOKEN"));

    assertBlockedBy(ns, "manager-deputy", ns + "/manager");
    harness.awaitReady(ns, "manager");

    harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("manager").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.get(ns, "manager") == null);
    // the mock has no garbage collector: delete the owned pod as it would
    harness.client().pods().inNamespace(ns).withName("manager").delete();

    harness.awaitReady(ns, "manager-deputy");
    harness.awaitCondition(ns, "manager-deputy", "TokenReady", "True", "TokenResolved");
  }

  @Test
  void sameTokenInOtherSecretsTheNewerAgentStartsOnceItsTokenChanges() throws Exception {
    var older = harness.namespace(Map.of("SECRETARY_TOKEN", token("dup-value")));
    harness.create(agent(older, "secretary", "SECRETARY_TOKEN"));
    harness.awaitReady(older, "secretary");
    var holderPod = harness.pod(older, "secretary").orElseThrow().getMetadata().getUid();
    // younger: created later, and its namespace (team-NNNN, numbered in creation order) sorts after
    var newer = harness.namespace(Map.of("OTHER", token("unrelated")));
    harness
        .client()
        .resource(Agents.secret(newer, "copied-tokens", Map.of("ASSISTANT", token("dup-value"))))
        .create();
    var assistant = agent(newer, "assistant", "ASSISTANT");
    assistant.getSpec().getToken().setSecretName("copied-tokens");
    harness.create(assistant);

    assertBlockedBy(newer, "assistant", older + "/secretary");

    SecretEdits.put(harness.client(), newer, "copied-tokens", "ASSISTANT", token("own-token"));
    harness.awaitReady(newer, "assistant");
    assertEquals(holderPod, harness.pod(older, "secretary").orElseThrow().getMetadata().getUid());
    harness.awaitReady(older, "secretary");
  }

  @Test
  void suspendingTheOlderAgentLetsTheNewerRun() throws Exception {
    var ns = harness.namespace(Map.of("AUDITOR_TOKEN", token("dup-suspend")));
    harness.create(agent(ns, "auditor", "AUDITOR_TOKEN"));
    harness.awaitReady(ns, "auditor");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and "reviewer" sorts after the older one's
    harness.create(agent(ns, "reviewer", "AUDITOR_TOKEN"));
    assertBlockedBy(ns, "reviewer", ns + "/auditor");

    suspend(ns, "auditor", true);
    harness.awaitCondition(ns, "auditor", "Ready", "False", "Suspended");
    harness.awaitReady(ns, "reviewer");
    assertTrue(harness.pod(ns, "auditor").isEmpty());
  }

  @Test
  void resumingTheOlderAgentTakesTheTokenBack() throws Exception {
    var ns = harness.namespace(Map.of("OPTIMIZER_TOKEN", token("dup-resume")));
    harness.create(agent(ns, "optimizer", "OPTIMIZER_TOKEN"));
    harness.awaitReady(ns, "optimizer");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and "tuner" sorts after the older one's
    harness.create(agent(ns, "tuner", "OPTIMIZER_TOKEN"));
    assertBlockedBy(ns, "tuner", ns + "/optimizer");
    suspend(ns, "optimizer", true);
    harness.awaitReady(ns, "tuner");

    suspend(ns, "optimizer", false);

    harness.awaitReady(ns, "optimizer");
    assertBlockedBy(ns, "tuner", ns + "/optimizer");
  }

  @Test
  void anOlderAgentGivingATokenBackBeforeItStartedWakesTheAgentThatWaitedForIt() throws Exception {
    var ns = harness.namespace(Map.of("UNUSED", token("unused")));
    harness.client().resource(Agents.secret(ns, "older", Map.of("T", token("older-own")))).create();
    harness.client().resource(Agents.secret(ns, "newer", Map.of("T", token("newer-own")))).create();
    var older = agent(ns, "architect", "T");
    older.getSpec().getToken().setSecretName("older");
    var skills = new SkillsSpec();
    skills.setClaimName("not-there-yet"); // the older agent cannot start a pod
    older.getSpec().setSkills(skills);
    harness.create(older);
    harness.awaitCondition(ns, "architect", "StorageReady", "False", "SkillsClaimNotFound");
    // same second or not, this one is younger: the operator orders equal creation timestamps
    // (whole seconds) by namespace, then name, and "builder" sorts after the older one's
    var newer = agent(ns, "builder", "T");
    newer.getSpec().getToken().setSecretName("newer");
    harness.create(newer);
    harness.awaitReady(ns, "builder");

    SecretEdits.put(harness.client(), ns, "older", "T", token("newer-own"));
    assertBlockedBy(ns, "builder", ns + "/architect");
    SecretEdits.put(harness.client(), ns, "older", "T", token("older-own"));

    // well before the 30 s recheck: only the hand-over of the old token wakes the newer agent
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> harness.condition(ns, "builder", "Ready").map(c -> c.getStatus()).orElse(""),
            "True"::equals);
  }

  /** DuplicateToken naming {@code holder}, Stalled, and no pod, for a while. */
  private static void assertBlockedBy(String ns, String name, String holder)
      throws InterruptedException {
    var token = harness.awaitCondition(ns, name, "TokenReady", "False", "DuplicateToken");
    assertTrue(token.getMessage().contains(holder), token.getMessage());
    harness.awaitCondition(ns, name, "Stalled", "True", "DuplicateToken");
    harness.awaitCondition(ns, name, "Ready", "False", "DuplicateToken");
    harness.awaitSettled(ns);
    assertTrue(harness.pod(ns, name).isEmpty(), name + " has no pod");
  }

  private static void suspend(String ns, String name, boolean suspend) {
    AgentEdits.edit(harness.client(), ns, name, a -> a.getSpec().setSuspend(suspend));
  }
}
