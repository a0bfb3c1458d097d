package io.atomizer.operator.agentstatus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.GatewaySpec;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The poller inside the real JOSDK operator (mock API server), against a stub gateway that answers
 * what the real agent answered: a reconcile follows each change of the agent's Discord status and
 * nothing else, and the token found in the pod's environment is the one sent.
 */
@Tag("mock")
class DiscordStatusEventSourceTest {

  private static final String TOKEN = "gw-token-7d41";
  private static final Duration FAST = Duration.ofMillis(100);

  private final StubGateway gateway = new StubGateway();
  private final MockCluster cluster = new MockCluster();
  private Operator operator;

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    cluster.close();
    gateway.close();
  }

  @Test
  void reconcilesOnlyWhenTheStatusChanges() {
    gateway.answer(200, StubGateway.recorded("connected"));
    var recorder = start();
    cluster.client().resource(agent()).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> recorder.last().map(DiscordStatus::online).orElse(false));
    int reconciles = recorder.seen.size();
    int polls = gateway.requests().size();
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.requests().size() >= polls + 5);
    assertEquals(reconciles, recorder.seen.size(), "unchanged polls cause no reconcile");

    gateway.answer(200, StubGateway.recorded("closed4004"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                recorder
                    .last()
                    .map(s -> Integer.valueOf(4004).equals(s.disconnectCode()))
                    .orElse(false));
    int afterChange = recorder.seen.size();
    int pollsAfter = gateway.requests().size();
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.requests().size() >= pollsAfter + 5);
    assertEquals(afterChange, recorder.seen.size(), "one reconcile per change");
    assertEquals(reconciles + 1, afterChange, "the change caused exactly one reconcile");
    assertTrue(
        gateway.requests().stream().allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization())));
  }

  private Recorder start() {
    var recorder = new Recorder();
    operator =
        new Operator(
            o -> o.withKubernetesClient(cluster.operatorClient()).withCloseClientOnStop(true));
    operator.register(recorder);
    operator.start();
    return recorder;
  }

  private AtomizerAgent agent() {
    var agent = Agents.agent("team", "manager", "MANAGER_TOKEN");
    var gatewaySpec = new GatewaySpec();
    gatewaySpec.setPort(gateway.port());
    agent.getSpec().setGateway(gatewaySpec);
    agent
        .getSpec()
        .setEnv(
            List.of(
                new EnvVarBuilder().withName(GatewayTargets.TOKEN_ENV).withValue(TOKEN).build()));
    return agent;
  }

  /** A ready pod on 127.0.0.1 whose environment carries the gateway token. */
  static Pod readyPod(String token) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("manager")
        .withNamespace("team")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .withEnv(new EnvVarBuilder().withName(GatewayTargets.TOKEN_ENV).withValue(token).build())
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP("127.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  /** Records the Discord status each reconcile read; writes nothing. */
  @ControllerConfiguration(name = "discord-status-recorder")
  static final class Recorder implements Reconciler<AtomizerAgent> {
    final List<Optional<DiscordStatus>> seen = new CopyOnWriteArrayList<>();

    @Override
    public List<EventSource<?, AtomizerAgent>> prepareEventSources(
        EventSourceContext<AtomizerAgent> context) {
      var targets =
          new GatewayTargets(
              id -> Optional.of(readyPod(TOKEN)), (ns, name, key) -> Optional.empty());
      return List.of(
          DiscordStatusEventSource.create(
              context,
              targets,
              new DiscordStatusEventSource.Settings(FAST, FAST, Duration.ofSeconds(2), 1)));
    }

    @Override
    public UpdateControl<AtomizerAgent> reconcile(
        AtomizerAgent agent, Context<AtomizerAgent> context) {
      seen.add(context.getSecondaryResource(DiscordStatus.class));
      return UpdateControl.noUpdate();
    }

    Optional<DiscordStatus> last() {
      return seen.isEmpty() ? Optional.empty() : seen.get(seen.size() - 1);
    }
  }
}
