package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.discord.DiscordNotifier;
import io.atomizer.operator.observability.AgentMetrics;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Tells the world about a newly computed status, before it is written: the metrics, the Discord
 * notifier, and Kubernetes Events for the transitions a person cares about (with the node memory
 * check when the agent's first pod appears).
 */
final class Publisher {

  private final AgentMetrics metrics;
  private final Optional<DiscordNotifier> notifier;
  private final AgentEvents events;
  private final NodeMemoryFit memoryFit;

  Publisher(AgentMetrics metrics, Optional<DiscordNotifier> notifier, Clock clock) {
    this.metrics = metrics;
    this.notifier = notifier;
    this.events = new AgentEvents(clock);
    this.memoryFit = new NodeMemoryFit(clock);
  }

  void publish(
      AtomizerAgent agent,
      AtomizerAgentStatus status,
      boolean podCreatedNow,
      Context<AtomizerAgent> context) {
    var id = ResourceID.fromResource(agent);
    metrics.recordStatus(id, status);
    notifier.ifPresent(n -> n.onTransition(id, agent.getStatus(), status));
    var notices =
        new ArrayList<>(AgentEvents.transitions(agent.getStatus(), status, podCreatedNow));
    if (NodeMemoryFit.firstPod(agent.getStatus(), status)) {
      var all = context.getPrimaryCache().list().toList();
      memoryFit.check(context.getClient(), agent, all).ifPresent(notices::add);
    }
    events.record(context.getClient(), agent, notices);
  }
}
