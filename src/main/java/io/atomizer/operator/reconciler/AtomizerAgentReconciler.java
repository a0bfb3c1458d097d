package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.dependent.AgentWorkflow;
import io.atomizer.operator.discord.DiscordNotifier;
import io.atomizer.operator.inbox.SharedAgentDirs;
import io.atomizer.operator.observability.AgentMetrics;
import io.atomizer.operator.plan.Planner;
import io.atomizer.operator.status.Observed;
import io.atomizer.operator.status.StatusAssembler;
import io.atomizer.operator.token.Tokens;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles an AtomizerAgent: plan (spec checks, token, shared claims), workflow (state claim,
 * then pod), observe, assemble the status, publish it. It writes the status only when it changed,
 * and never writes the spec.
 */
@ControllerConfiguration(name = AtomizerAgentReconciler.NAME)
public class AtomizerAgentReconciler implements Reconciler<AtomizerAgent>, AutoCloseable {

  public static final String NAME = "atomizeragent";

  private final ReconcilerSettings config;
  private final Clock clock;
  private final Tokens tokens;
  private final SharedAgentDirs agentDirs = new SharedAgentDirs();
  private final AgentWorkflow objects;
  private final Planner planner;
  private final Observer observer;
  private final Publisher publisher;

  public AtomizerAgentReconciler(
      ReconcilerSettings config,
      Clock clock,
      AgentMetrics metrics,
      Optional<DiscordNotifier> notifier) {
    this.config = config;
    this.clock = clock;
    this.tokens = Tokens.start(config.verifier(), clock);
    this.objects = new AgentWorkflow(tokens);
    this.planner = new Planner(tokens, agentDirs);
    this.observer = new Observer(config, clock, metrics, objects);
    this.publisher = new Publisher(metrics, notifier, clock);
  }

  @Override
  public List<EventSource<?, AtomizerAgent>> prepareEventSources(
      EventSourceContext<AtomizerAgent> context) {
    var sources = new ArrayList<>(objects.eventSources(context));
    sources.addAll(tokens.eventSources(context, SecretScope.of(config)));
    sources.add(agentDirs.watch(context));
    sources.addAll(observer.eventSources(context, tokens));
    return sources;
  }

  @Override
  public UpdateControl<AtomizerAgent> reconcile(AtomizerAgent agent, Context<AtomizerAgent> context)
      throws Exception {
    var podBefore = objects.pod(agent, context);
    var ready = Recheck.isReady(agent.getStatus());
    if (podBefore.isPresent() && objects.forgetIfGone(podBefore.get(), ready, context)) {
      return UpdateControl.noUpdate();
    }
    var plan = planner.plan(agent, context.getClient(), podBefore.isPresent()).storeIn(context);
    tokens.handOver(agent, plan.fingerprint(), plan.blockingPod());
    var observed = Observed.nothing();
    Optional<Exception> failure = Optional.empty();
    if (plan.specValid()) {
      failure = objects.reconcile(agent, context);
      if (tokens.claimLost(context)) { // another agent's pod took the token since the plan
        plan = planner.plan(agent, context.getClient(), false).storeIn(context);
      }
      observed = observer.observe(agent, context, plan, failure.orElse(null));
    }
    var now = clock.instant();
    var status = StatusAssembler.assemble(agent, plan, observed, now);
    publisher.publish(agent, status, podBefore.isEmpty() && observed.pod().isPresent(), context);
    if (failure.isPresent()) {
      StatusWrite.keepForError(context, status);
      throw failure.get();
    }
    StatusWrite.ifChanged(agent, status, context);
    var control = UpdateControl.<AtomizerAgent>noUpdate();
    var inbox = agent.getSpec().getInbox();
    return Recheck.after(plan, observed, status, inbox, now, config.recheckInterval())
        .map(delay -> Recheck.noLaterThan(delay, config.maxReconcileInterval()))
        .map(control::rescheduleAfter)
        .orElse(control);
  }

  /** Writes the status computed before a failure, then lets JOSDK retry with backoff. */
  @Override
  public ErrorStatusUpdateControl<AtomizerAgent> updateErrorStatus(
      AtomizerAgent agent, Context<AtomizerAgent> context, Exception e) {
    return StatusWrite.onError(agent, context);
  }

  @Override
  public void close() {
    tokens.close();
  }
}
