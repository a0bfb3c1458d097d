package io.atomizer.operator.token;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one owner of the operator's token state: what an agent's token resolves to ({@link
 * TokenIndex}), which pod holds a token and the claim to create one ({@link TokenGuard}), what
 * Discord said of it ({@link DiscordVerifier}), and which agents wait for a token to be given up.
 * Each answer is a value; none is an exception.
 */
public final class Tokens implements AutoCloseable {

  private final TokenIndex index;
  private final TokenGuard guard;
  private final DiscordVerifier verifier;
  private final SimpleInboundEventSource<AtomizerAgent> verified;
  private final SimpleInboundEventSource<AtomizerAgent> handover;

  Tokens(
      TokenIndex index,
      TokenGuard guard,
      SimpleInboundEventSource<AtomizerAgent> verified,
      SimpleInboundEventSource<AtomizerAgent> handover,
      DiscordVerifier verifier) {
    this.index = index;
    this.guard = guard;
    this.verified = verified;
    this.handover = handover;
    this.verifier = verifier;
  }

  /** Starts the Discord verifier; a verification's answer wakes the agent it concerns. */
  public static Tokens start(VerifierSettings settings, Clock clock) {
    var verified = new SimpleInboundEventSource<AtomizerAgent>("discord-verification");
    return new Tokens(
        new TokenIndex(),
        new TokenGuard(),
        verified,
        new SimpleInboundEventSource<>("token-handover"),
        DiscordVerifier.start(settings, clock, verified::propagateEvent));
  }

  /** The Secret sources (narrowed by {@code scope}), and the sources that wake waiting agents. */
  public List<EventSource<?, AtomizerAgent>> eventSources(
      EventSourceContext<AtomizerAgent> context,
      Consumer<InformerEventSourceConfiguration.Builder<Secret>> scope) {
    var sources = new ArrayList<EventSource<?, AtomizerAgent>>();
    sources.addAll(index.secretEventSources(context, scope));
    sources.add(verified);
    sources.add(handover);
    return sources;
  }

  /** Indexes the pod informer by token; call before it starts. */
  public void watchPods(InformerEventSource<Pod, AtomizerAgent> pods) {
    guard.watch(pods);
  }

  /** What the agent's token reference resolves to. */
  public TokenResolution resolve(AtomizerAgent agent) {
    return index.resolve(agent);
  }

  /** A pod of another agent that carries {@code fingerprint} (Terminating included), if any. */
  public Optional<Pod> holder(String fingerprint, ResourceID agent) {
    return guard.foreignPod(fingerprint, agent);
  }

  /** What Discord said of the agent's token; asks it (off this thread) the first time. */
  public Verification verification(AtomizerAgent agent, String fingerprint) {
    return verifier.current(
        fingerprint, () -> index.tokenValue(agent).orElse(null), ResourceID.fromResource(agent));
  }

  /** spec.env variables that would carry some agent's Discord token, one sentence each. */
  public List<String> inEnv(AtomizerAgent agent) {
    return TokensInEnv.problems(agent, index);
  }

  /** Every agent whose token resolves to {@code fingerprint}. */
  public Set<ResourceID> agentsWith(String fingerprint) {
    return index.agentsWith(fingerprint);
  }

  /** A key of a Secret, read from the API server (see {@link TokenIndex#secretValue}). */
  public Optional<String> secretValue(String namespace, String secretName, String key) {
    return index.secretValue(namespace, secretName, key);
  }

  /**
   * Creates the agent's pod with {@code fingerprint} only if no other agent's pod carries it; a
   * lost claim is kept in the reconcile's context ({@link TokenClaim#lostIn}).
   *
   * @return the pod created, or null when another pod holds the token
   */
  public Pod createExclusively(
      String fingerprint, AtomizerAgent agent, Context<?> context, Supplier<Pod> create) {
    var claim = guard.claim(fingerprint, ResourceID.fromResource(agent), create);
    if (claim instanceof TokenClaim.HeldBy lost) {
      TokenClaim.keepLost(context, lost);
      return null;
    }
    return ((TokenClaim.Created) claim).pod();
  }

  /** Whether a pod creation in this reconcile found its token held by another agent's pod. */
  public boolean claimLost(Context<?> context) {
    return TokenClaim.lostIn(context);
  }

  /**
   * Wakes the agents that must act for this one to get or give up a token. The agent of {@code
   * holder}, a pod that still carries the token this agent is entitled to, is asked to look again
   * (it lost the token and removes its pod; the pod's deletion then wakes this agent). When the
   * agent no longer uses the token its status names ({@code fingerprint} differs, its Secret or key
   * changed), the agents that share that old token and waited for it are woken: nothing they watch
   * may change otherwise.
   */
  public void handOver(AtomizerAgent agent, String fingerprint, Pod holder) {
    if (holder != null && !holder.isMarkedForDeletion()) {
      Optional.ofNullable(Labels.agentOf(holder)).ifPresent(handover::propagateEvent);
    }
    var before = agent.getStatus() == null ? null : agent.getStatus().getTokenFingerprint();
    if (before != null && !before.equals(fingerprint)) {
      var self = ResourceID.fromResource(agent);
      index.agentsWith(before).stream()
          .filter(other -> !other.equals(self))
          .forEach(handover::propagateEvent);
    }
  }

  @Override
  public void close() {
    verifier.close();
  }
}
