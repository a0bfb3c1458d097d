package io.atomizer.operator.reconciler;

import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.agentstatus.DiscordStatusEventSource;
import io.atomizer.operator.agentstatus.GatewayTargets;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.AgentPod;
import io.atomizer.operator.dependent.AgentWorkflow;
import io.atomizer.operator.inbox.InboxEventSource;
import io.atomizer.operator.inbox.InboxScanner;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.atomizer.operator.observability.AgentMetrics;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.status.Observed;
import io.atomizer.operator.token.Tokens;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator sees of an agent beside the plan: its objects after the workflow ran, the
 * latest scan of its INBOX and the latest poll of its own Discord status (and the event sources
 * that bring those two).
 */
final class Observer {

  private final ReconcilerSettings config;
  private final Clock clock;
  private final AgentMetrics metrics;
  private final AgentWorkflow objects;
  private final boolean readsDiscordStatus;

  Observer(ReconcilerSettings config, Clock clock, AgentMetrics metrics, AgentWorkflow objects) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.objects = objects;
    this.readsDiscordStatus = !config.discordStatusInterval().isZero();
  }

  /** The INBOX scans, and the Discord status polls unless they are turned off. */
  List<EventSource<?, AtomizerAgent>> eventSources(
      EventSourceContext<AtomizerAgent> context, Tokens tokens) {
    var sources = new ArrayList<EventSource<?, AtomizerAgent>>();
    var scanner = new InboxScanner(Path.of(config.workspacesRoot()), clock);
    var every = InboxEventSource.Settings.every(config.inboxInterval());
    sources.add(InboxEventSource.create(context, scanner, every, metrics, clock));
    if (readsDiscordStatus) {
      var targets = new GatewayTargets(objects::cachedPod, tokens::secretValue);
      var poll = DiscordStatusEventSource.Settings.every(config.discordStatusInterval());
      sources.add(DiscordStatusEventSource.create(context, targets, poll));
    }
    return sources;
  }

  /**
   * @param failure the workflow's failure to create or change an object, or null
   */
  Observed observe(
      AtomizerAgent agent, Context<AtomizerAgent> context, AgentPlan plan, Exception failure) {
    var pod = objects.pod(agent, context);
    var current =
        pod.isPresent()
            && plan.fingerprint() != null
            && AgentPod.isCurrent(pod.get(), AgentPod.desired(agent, plan.fingerprint(), context));
    return new Observed(
        objects.stateClaim(agent, context),
        pod,
        current,
        failure == null ? null : Conditions.brief(failure.getMessage()),
        context.getSecondaryResource(InboxSnapshot.class).orElse(null),
        readsDiscordStatus ? discordStatus(agent, pod.orElse(null), context) : null);
  }

  /**
   * The latest poll of the agent's Discord status; before the first one, what the poll will find
   * without asking the agent (no ready pod, no gateway token in the spec), so that the condition is
   * not rewritten when the first poll merely says the same.
   */
  private static DiscordStatus discordStatus(
      AtomizerAgent agent, Pod pod, Context<AtomizerAgent> context) {
    return context
        .getSecondaryResource(DiscordStatus.class)
        .or(() -> GatewayTargets.withoutAsking(agent, pod))
        .orElse(null);
  }
}
