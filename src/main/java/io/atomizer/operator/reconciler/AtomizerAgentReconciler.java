package io.atomizer.operator.reconciler;

import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.agentstatus.DiscordStatusEventSource;
import io.atomizer.operator.agentstatus.GatewayTargets;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.dependent.AgentPod;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.dependent.Labels;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.discord.DiscordNotifier;
import io.atomizer.operator.inbox.InboxEventSource;
import io.atomizer.operator.inbox.InboxRules;
import io.atomizer.operator.inbox.InboxScanner;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.atomizer.operator.inbox.SharedAgentDirs;
import io.atomizer.operator.observability.AgentMetrics;
import io.atomizer.operator.token.DiscordVerifier;
import io.atomizer.operator.token.TokenGuard;
import io.atomizer.operator.token.TokenIndex;
import io.atomizer.operator.token.TokenResolution;
import io.atomizer.operator.token.TokensInEnv;
import io.atomizer.operator.token.Verification;
import io.atomizer.operator.token.VerifierSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reconciles an AtomizerAgent: decides a plan (spec checks, token, shared claims), runs the
 * workflow (state claim, then pod), and computes the status from what it observes. It writes the
 * status only when it changed, and never writes the spec.
 */
@ControllerConfiguration(name = AtomizerAgentReconciler.NAME)
@GradualRetry(
    maxAttempts = 100,
    initialInterval = 2000,
    intervalMultiplier = 2,
    maxInterval = 300000)
public class AtomizerAgentReconciler implements Reconciler<AtomizerAgent>, AutoCloseable {

  public static final String NAME = "atomizeragent";

  private static final String PENDING_STATUS = AtomizerAgentReconciler.class.getName() + ".status";

  private final OperatorConfig config;
  private final Clock clock;
  private final AgentEvents events;
  private final NodeMemoryFit memoryFit;
  private final TokenIndex tokens = new TokenIndex();
  private final TokenGuard guard = new TokenGuard();
  private final SharedAgentDirs agentDirs = new SharedAgentDirs();
  private final StatePersistentVolumeClaim statePvc = new StatePersistentVolumeClaim();
  private final AgentPod agentPod;
  private final Workflow<AtomizerAgent> workflow;
  private final SimpleInboundEventSource<AtomizerAgent> verified =
      new SimpleInboundEventSource<>("discord-verification");
  private final SimpleInboundEventSource<AtomizerAgent> tokenHandover =
      new SimpleInboundEventSource<>("token-handover");
  private final DiscordVerifier verifier;
  private final Optional<DiscordNotifier> notifier;
  private final AgentMetrics metrics;

  public AtomizerAgentReconciler(
      OperatorConfig config,
      Clock clock,
      AgentMetrics metrics,
      Optional<DiscordNotifier> notifier) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.notifier = notifier;
    this.events = new AgentEvents(clock);
    this.memoryFit = new NodeMemoryFit(clock);
    this.verifier =
        DiscordVerifier.start(VerifierSettings.from(config), clock, verified::propagateEvent);
    this.agentPod = new AgentPod(tokens, guard);
    this.workflow =
        new WorkflowBuilder<AtomizerAgent>()
            .addDependentResource(statePvc)
            .addDependentResourceAndConfigure(agentPod)
            .dependsOn(statePvc)
            .withReconcilePrecondition(new PodWanted())
            .withThrowExceptionFurther(false)
            .build();
  }

  @Override
  public List<EventSource<?, AtomizerAgent>> prepareEventSources(
      EventSourceContext<AtomizerAgent> context) {
    var sources =
        new ArrayList<EventSource<?, AtomizerAgent>>(
            EventSourceUtils.eventSourcesFromWorkflow(context, workflow));
    sources.addAll(tokens.secretEventSources(context, this::scopeSecrets));
    sources.add(verified);
    sources.add(tokenHandover);
    sources.add(agentDirs.watch(context));
    sources.add(
        InboxEventSource.create(
            context,
            new InboxScanner(Path.of(config.workspacesRoot()), clock),
            InboxEventSource.Settings.every(config.inboxInterval()),
            metrics,
            clock));
    if (!config.discordStatusInterval().isZero()) {
      sources.add(
          DiscordStatusEventSource.create(
              context,
              new GatewayTargets(agentPod::cached, tokens::secretValue),
              DiscordStatusEventSource.Settings.every(config.discordStatusInterval())));
    }
    return sources;
  }

  @Override
  public UpdateControl<AtomizerAgent> reconcile(AtomizerAgent agent, Context<AtomizerAgent> context)
      throws Exception {
    var podBefore = agentPod.getSecondaryResource(agent, context);
    if (podBefore.isPresent()
        && !isReady(agent.getStatus())
        && agentPod.forgetIfGone(podBefore.get(), context)) {
      return UpdateControl.noUpdate();
    }
    AgentPlan plan = plan(agent, context, podBefore.isPresent());
    plan.storeIn(context);
    askToReleaseToken(plan);
    wakeWaitersForOldToken(agent, plan);
    var observed = Observed.nothing();
    Exception failure = null;
    if (plan.specValid()) {
      var result = workflow.reconcile(agent, context);
      failure = result.getErroredDependents().values().stream().findFirst().orElse(null);
      if (raceForToken(failure)) {
        // another agent's pod appeared between the plan and the creation: wait for it like any
        // pod that holds the token, instead of treating the lost race as an error
        failure = null;
        plan = plan(agent, context, false);
        plan.storeIn(context);
      }
      observed = observe(agent, context, plan, failure);
    }
    var now = clock.instant();
    var status = StatusAssembler.assemble(agent, plan, observed, now);
    metrics.recordStatus(ResourceID.fromResource(agent), status);
    notifier.ifPresent(
        n -> n.onTransition(ResourceID.fromResource(agent), agent.getStatus(), status));
    var podCreatedNow = podBefore.isEmpty() && observed.pod().isPresent();
    var notices =
        new ArrayList<>(AgentEvents.transitions(agent.getStatus(), status, podCreatedNow));
    if (NodeMemoryFit.firstPod(agent.getStatus(), status)) {
      var all = context.getPrimaryCache().list().toList();
      memoryFit.check(context.getClient(), agent, all).ifPresent(notices::add);
    }
    events.record(context.getClient(), agent, notices);
    if (failure != null) {
      context.managedWorkflowAndDependentResourceContext().put(PENDING_STATUS, status);
      throw failure;
    }
    var control =
        status.equals(agent.getStatus())
            ? UpdateControl.<AtomizerAgent>noUpdate()
            : UpdateControl.patchStatus(StatusPatch.of(agent, status));
    var recheck =
        Stream.of(
                // a pod the agent waits for may be gone without a trace: see forgetIfGone
                waitsOnUnwatchedChange(plan) || (observed.pod().isPresent() && !isReady(status))
                    ? Optional.of(config.recheckInterval())
                    : Optional.<Duration>empty(),
                InboxRules.recheckAfter(agent.getSpec().getInbox(), observed.inbox(), now))
            .flatMap(Optional::stream)
            .min(Comparator.naturalOrder());
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  /** Writes the status computed before a failure, then lets JOSDK retry with backoff. */
  @Override
  public ErrorStatusUpdateControl<AtomizerAgent> updateErrorStatus(
      AtomizerAgent agent, Context<AtomizerAgent> context, Exception e) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(PENDING_STATUS, AtomizerAgentStatus.class)
        .filter(status -> !status.equals(agent.getStatus()))
        .map(status -> ErrorStatusUpdateControl.patchStatus(StatusPatch.of(agent, status)))
        .orElseGet(ErrorStatusUpdateControl::defaultErrorProcessing);
  }

  private AgentPlan plan(AtomizerAgent agent, Context<AtomizerAgent> context, boolean hasPod) {
    var problems = SpecChecks.problems(agent);
    if (!problems.isEmpty()) {
      return AgentPlan.invalid(problems);
    }
    var token = tokens.resolve(agent);
    var suspended = Boolean.TRUE.equals(agent.getSpec().getSuspend());
    var missing =
        hasPod || suspended || !token.usable()
            ? List.<AgentPlan.MissingClaim>of()
            : SharedClaims.missing(agent, context.getClient());
    var id = ResourceID.fromResource(agent);
    var blocking =
        token.usable() && !hasPod ? guard.foreignPod(token.fingerprint(), id).orElse(null) : null;
    var verification =
        token.usable()
            ? verifier.current(token.fingerprint(), () -> tokens.tokenValue(agent).orElse(null), id)
            : null;
    return new AgentPlan(
        List.of(),
        token,
        missing,
        suspended,
        blocking,
        verification,
        agentDirs.olderHolder(agent).orElse(null),
        TokensInEnv.problems(agent, tokens));
  }

  private Observed observe(
      AtomizerAgent agent, Context<AtomizerAgent> context, AgentPlan plan, Exception failure) {
    var pod = agentPod.getSecondaryResource(agent, context);
    var current =
        pod.isPresent()
            && plan.fingerprint() != null
            && AgentPod.isCurrent(pod.get(), AgentPodTemplate.build(agent, plan.fingerprint()));
    return new Observed(
        statePvc.getSecondaryResource(agent, context),
        pod,
        current,
        failure == null ? null : ConditionValue.brief(failure.getMessage()),
        context.getSecondaryResource(InboxSnapshot.class).orElse(null),
        config.discordStatusInterval().isZero()
            ? null
            : context.getSecondaryResource(DiscordStatus.class).orElse(null));
  }

  /**
   * This agent is entitled to its token but another agent's pod still runs with it, for example
   * after this older agent was resumed, or when both were created at once. Nothing that agent
   * watches changes in that case, so it is woken to see that it lost the token and remove its pod;
   * the pod's deletion then wakes this agent.
   */
  private void askToReleaseToken(AgentPlan plan) {
    var blocking = plan.blockingPod();
    if (blocking != null && !blocking.isMarkedForDeletion()) {
      var owner = Labels.agentOf(blocking);
      if (owner != null) {
        tokenHandover.propagateEvent(owner);
      }
    }
  }

  /**
   * This agent no longer uses the token its status names (its Secret or key changed). Agents that
   * share that old token and waited for this one to give it up are woken: nothing they watch may
   * change otherwise, for example when this agent's pod with the old token was never created.
   */
  private void wakeWaitersForOldToken(AtomizerAgent agent, AgentPlan plan) {
    var before = agent.getStatus() == null ? null : agent.getStatus().getTokenFingerprint();
    if (before != null && !before.equals(plan.fingerprint())) {
      var self = ResourceID.fromResource(agent);
      tokens.agentsWith(before).stream()
          .filter(other -> !other.equals(self))
          .forEach(tokenHandover::propagateEvent);
    }
  }

  private static boolean raceForToken(Throwable failure) {
    for (var cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TokenGuard.TokenInUseException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isReady(AtomizerAgentStatus status) {
    return status != null
        && status.condition(Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Missing claims and held tokens change without an event the operator watches; look again. */
  private static boolean waitsOnUnwatchedChange(AgentPlan plan) {
    return plan.specValid()
        && (!plan.missingClaims().isEmpty()
            || plan.blockingPod() != null
            || plan.verification() instanceof Verification.Pending
            || plan.token() instanceof TokenResolution.Duplicate);
  }

  private void scopeSecrets(InformerEventSourceConfiguration.Builder<Secret> secrets) {
    if (!config.secretFieldSelector().isEmpty()) {
      var fields =
          Arrays.stream(config.secretFieldSelector().split(","))
              .map(f -> f.split("=", 2))
              .map(kv -> new FieldSelector.Field(kv[0].strip(), kv.length > 1 ? kv[1].strip() : ""))
              .toList();
      secrets.withFieldSelector(new FieldSelector(fields));
    }
    if (!config.secretLabelSelector().isEmpty()) {
      secrets.withLabelSelector(config.secretLabelSelector());
    }
  }

  @Override
  public void close() {
    verifier.close();
  }
}
