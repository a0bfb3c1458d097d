package io.atomizer.operator.it;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A missing Secret, key or shared claim is a condition, never a crash-looping pod. */
@Tag("mock")
class MissingInputsTest {

  @RegisterExtension
  static final OperatorHarness harness =
      new OperatorHarness(Map.of("ATOMIZER_RECHECK_SECONDS", "2"));

  @Test
  void missingSecretBlocksThePodUntilTheSecretAppears() {
    var ns = harness.namespace(Map.of("OTHER", token("x")));
    var agent = agent(ns, "manager", "MANAGER_TOKEN");
    agent.getSpec().getToken().setSecretName("not-yet");
    harness.create(agent);
    var token = harness.awaitCondition(ns, "manager", "TokenReady", "False", "SecretNotFound");
    assertTrue(token.getMessage().contains("not-yet"), token.getMessage());
    harness.awaitCondition(ns, "manager", "Stalled", "True", "SecretNotFound");
    assertTrue(harness.pod(ns, "manager").isEmpty(), "no pod without a token");

    harness
        .client()
        .resource(Agents.secret(ns, "not-yet", Map.of("MANAGER_TOKEN", token("m"))))
        .create();
    harness.awaitReady(ns, "manager");
  }

  @Test
  void missingKeyNamesSecretAndKeyAndRecovers() {
    var ns = harness.namespace(Map.of("OTHER", token("y")));
    harness.create(agent(ns, "tech-lead", "TECH_LEAD_TOKEN"));
    var token = harness.awaitCondition(ns, "tech-lead", "TokenReady", "False", "KeyNotFound");
    assertTrue(
        token.getMessage().contains("TECH_LEAD_TOKEN")
            && token.getMessage().contains(Agents.SECRET));
    assertTrue(harness.pod(ns, "tech-lead").isEmpty());

    harness
        .client()
        .secrets()
        .inNamespace(ns)
        .withName(Agents.SECRET)
        .edit(
            s -> {
              s.getData()
                  .put(
                      "TECH_LEAD_TOKEN",
                      java.util.Base64.getEncoder().encodeToString(token("t").getBytes()));
              return s;
            });
    harness.awaitReady(ns, "tech-lead");
  }

  @Test
  void missingWorkspacesClaimBlocksThePodUntilItExists() {
    var ns = harness.namespace(Map.of("K", token("z")));
    var agent = agent(ns, "secretary", "K");
    agent.getSpec().getWorkspaces().setClaimName("shared-brain");
    harness.create(agent);
    var storage =
        harness.awaitCondition(ns, "secretary", "StorageReady", "False", "WorkspaceClaimNotFound");
    assertTrue(storage.getMessage().contains("shared-brain"));
    harness.awaitCondition(ns, "secretary", "Ready", "False", "WorkspaceClaimNotFound");
    assertTrue(harness.pod(ns, "secretary").isEmpty());

    var claim = Agents.workspaces(ns);
    claim.getMetadata().setName("shared-brain");
    harness.client().resource(claim).create();
    // the claim is not watched: the operator looks again after its recheck interval (30s default)
    Awaitility.await()
        .atMost(Duration.ofSeconds(45))
        .until(() -> harness.pod(ns, "secretary").isPresent());
    harness.awaitReady(ns, "secretary");
  }
}
