package io.atomizer.operator.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The wiring the reconciler uses, in a real JOSDK operator: the verifier's answer arrives through a
 * {@link SimpleInboundEventSource} and triggers a reconcile of the agent that asked, with no other
 * event and no polling.
 */
@Tag("mock")
class VerificationWakesReconcileTest {

  private static final String TOKEN = "MTAxMjM0.wake-test.valid";

  private final FakeDiscord discord = new FakeDiscord().bot(TOKEN, "1012340000000000001", "bot");
  private final MockCluster cluster = new MockCluster();
  private final SimpleInboundEventSource<AtomizerAgent> events =
      new SimpleInboundEventSource<>("discord-verification");
  private final DiscordVerifier verifier =
      DiscordVerifier.start(
          VerifierSettings.of(true, discord.apiUrl(), discord.gatewayUrl()),
          Clock.systemUTC(),
          events::propagateEvent);
  private final Map<ResourceID, List<Verification>> seen = new ConcurrentHashMap<>();
  private Operator operator;

  @AfterEach
  void close() {
    if (operator != null) {
      operator.stop();
    }
    verifier.close();
    cluster.close();
    discord.close();
  }

  @Test
  void finishedVerificationReconcilesTheAgentThatAsked() {
    operator = new Operator(o -> o.withKubernetesClient(cluster.operatorClient()));
    operator.register(new AskingReconciler());
    operator.start();
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
        .create();

    cluster.client().resource(Agents.agent("team", "manager", "MANAGER_TOKEN")).create();

    var manager = new ResourceID("manager", "team");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> seen.getOrDefault(manager, List.of()).size() >= 2);
    var answers = seen.get(manager);
    assertInstanceOf(Verification.Pending.class, answers.get(0));
    assertInstanceOf(Verification.Verified.class, answers.get(1));
    assertEquals(1, discord.logins(TOKEN));
  }

  /** Asks the verifier on every reconcile, as the operator's reconciler does. */
  @ControllerConfiguration(name = "verification-wake-test")
  class AskingReconciler implements Reconciler<AtomizerAgent> {

    @Override
    public List<EventSource<?, AtomizerAgent>> prepareEventSources(
        EventSourceContext<AtomizerAgent> context) {
      return List.of(events);
    }

    @Override
    public UpdateControl<AtomizerAgent> reconcile(
        AtomizerAgent agent, Context<AtomizerAgent> context) {
      var id = ResourceID.fromResource(agent);
      var answer = verifier.current(VerifierDriver.fingerprint(TOKEN), () -> TOKEN, id);
      seen.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(answer);
      return UpdateControl.noUpdate();
    }
  }
}
