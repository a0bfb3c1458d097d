package io.atomizer.operator.inbox;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent directory, one agent: two agents of one namespace that mount the same workspaces claim
 * with the same agentDir would read the same INBOX and both take its tasks (a copy-pasted manifest
 * does it). The oldest of them that wants to run (creation time, then namespace/name, the rule of
 * DuplicateToken) keeps the directory; the others get no pod.
 *
 * <p>Answers from the agents' informer cache alone, indexed by directory. As an event source it
 * wakes the agents that share a directory whenever an agent takes it, leaves it (another agentDir
 * or claim, suspended, deleted): nothing else they watch changes then.
 */
public final class SharedAgentDirs extends SimpleInboundEventSource<AtomizerAgent>
    implements ResourceEventAware<AtomizerAgent> {

  static final String AGENTS_BY_DIR = "atomizer.io/agents-by-agent-dir";

  private static final Comparator<AtomizerAgent> OLDEST_FIRST =
      Comparator.comparing((AtomizerAgent a) -> a.getMetadata().getCreationTimestamp())
          .thenComparing(a -> a.getMetadata().getNamespace())
          .thenComparing(a -> a.getMetadata().getName());

  private IndexerResourceCache<AtomizerAgent> agents;

  public SharedAgentDirs() {
    super("shared-agent-dirs");
  }

  /** Indexes the agents' cache by directory; call in prepareEventSources. */
  public SharedAgentDirs watch(EventSourceContext<AtomizerAgent> context) {
    agents = context.getPrimaryCache();
    agents.addIndexers(Map.of(AGENTS_BY_DIR, a -> List.of(dirKey(a))));
    return this;
  }

  /** The older agent that keeps {@code agent}'s directory, if it is not {@code agent} itself. */
  public Optional<ResourceID> olderHolder(AtomizerAgent agent) {
    var self = ResourceID.fromResource(agent);
    return agents.byIndex(AGENTS_BY_DIR, dirKey(agent)).stream()
        .filter(SharedAgentDirs::wantsToRun)
        .min(OLDEST_FIRST)
        .map(ResourceID::fromResource)
        .filter(holder -> !holder.equals(self));
  }

  @Override
  public void onResourceCreated(AtomizerAgent agent) {
    wakeOthers(dirKey(agent), agent);
  }

  @Override
  public void onResourceUpdated(AtomizerAgent now, AtomizerAgent before) {
    var was = dirKey(before);
    var is = dirKey(now);
    if (!was.equals(is) || wantsToRun(before) != wantsToRun(now)) {
      wakeOthers(was, now);
      wakeOthers(is, now);
    }
  }

  @Override
  public void onResourceDeleted(AtomizerAgent agent) {
    wakeOthers(dirKey(agent), agent);
  }

  private void wakeOthers(String key, AtomizerAgent changed) {
    if (agents == null) {
      return;
    }
    var self = ResourceID.fromResource(changed);
    agents.byIndex(AGENTS_BY_DIR, key).stream()
        .map(ResourceID::fromResource)
        .filter(other -> !other.equals(self))
        .forEach(this::propagateEvent);
  }

  /** namespace/claim/agentDir: the directory as the pods see it. */
  static String dirKey(AtomizerAgent agent) {
    var spec = agent.getSpec();
    var claim =
        spec == null || spec.getWorkspaces() == null ? null : spec.getWorkspaces().getClaimName();
    return agent.getMetadata().getNamespace()
        + "/"
        + Objects.toString(claim, "")
        + "/"
        + (spec == null || spec.getWorkspaces() == null ? "" : AgentDir.of(agent));
  }

  private static boolean wantsToRun(AtomizerAgent agent) {
    return agent.getSpec() != null
        && !Boolean.TRUE.equals(agent.getSpec().getSuspend())
        && !agent.isMarkedForDeletion();
  }
}
