package io.atomizer.operator.observability;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.inbox.InboxScanListener;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-agent gauges, labelled {@code namespace} and {@code agent} (the AtomizerAgent's name; no
 * other label, and never anything from a Secret):
 *
 * <ul>
 *   <li>{@code atomizer_agent_inbox_pending}, {@code atomizer_agent_inbox_invalid}: from the latest
 *       scan, NaN while the INBOX cannot be scanned;
 *   <li>{@code atomizer_agent_inbox_oldest_pending_seconds}: the oldest task's age, computed when
 *       scraped (0 with nothing pending);
 *   <li>{@code atomizer_agent_inbox_last_scan_timestamp_seconds}: when the latest scan finished;
 *   <li>{@code atomizer_agent_ready}: 1 when the Ready condition is True, else 0;
 *   <li>{@code atomizer_agent_restarts}: restarts of the agent container in its current pod;
 *   <li>{@code atomizer_agent_discord_connected}: 1 when DiscordConnected is True, 0 when False,
 *       NaN when Unknown (the agent's own Discord status cannot be read).
 * </ul>
 *
 * The inbox gauges are fed by the inbox event source after every scan (changed or not); ready and
 * restarts by the reconciler through {@link #recordStatus}. An agent's gauges disappear when it is
 * deleted: JOSDK calls {@link #cleanupDoneFor} (this class is also a JOSDK {@link Metrics}, see
 * {@link OperatorMetrics#forOperator()}) when it processes the delete event, also for reconcilers
 * without a finalizer, and the inbox event source calls {@link #forgotten} from its informer hook.
 */
public final class AgentMetrics implements InboxScanListener, Metrics {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<ResourceID, Agent> agents = new ConcurrentHashMap<>();

  public AgentMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Called by the reconciler after each reconcile with the status it computed. */
  public void recordStatus(ResourceID agent, AtomizerAgentStatus status) {
    var gauges = gaugesFor(agent);
    gauges.ready =
        status != null
                && status
                    .condition(Conditions.READY)
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false)
            ? 1
            : 0;
    gauges.discordConnected =
        status == null
            ? Double.NaN
            : status
                .condition(Conditions.DISCORD_CONNECTED)
                .map(
                    c ->
                        "True".equals(c.getStatus())
                            ? 1.0
                            : "False".equals(c.getStatus()) ? 0 : Double.NaN)
                .orElse(Double.NaN);
    gauges.restarts =
        status == null || status.getPod() == null || status.getPod().getRestartCount() == null
            ? 0
            : status.getPod().getRestartCount();
  }

  @Override
  public void scanned(ResourceID agent, InboxSnapshot snapshot) {
    gaugesFor(agent).inbox = snapshot;
  }

  @Override
  public void forgotten(ResourceID agent) {
    var gone = agents.remove(agent);
    if (gone != null) {
      gone.meters.forEach(registry::remove);
    }
  }

  /** JOSDK processed the agent's delete event. */
  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    forgotten(resourceID);
  }

  /** Agents that currently have gauges. */
  public int agentCount() {
    return agents.size();
  }

  private Agent gaugesFor(ResourceID id) {
    return agents.computeIfAbsent(id, this::register);
  }

  private Agent register(ResourceID id) {
    var agent = new Agent();
    var tags = Tags.of("namespace", id.getNamespace().orElse(""), "agent", id.getName());
    agent.meters =
        List.of(
            gauge(
                "atomizer.agent.inbox.pending",
                null,
                "Valid task files waiting in the agent's INBOX",
                tags,
                agent,
                a -> a.okInbox() ? a.inbox.pending() : Double.NaN),
            gauge(
                "atomizer.agent.inbox.invalid",
                null,
                "Files in the agent's INBOX named *.json that are not valid tasks",
                tags,
                agent,
                a -> a.okInbox() ? a.inbox.invalid() : Double.NaN),
            gauge(
                "atomizer.agent.inbox.oldest.pending",
                "seconds",
                "Age of the oldest task waiting in the agent's INBOX",
                tags,
                agent,
                this::oldestAge),
            gauge(
                "atomizer.agent.inbox.last.scan.timestamp",
                "seconds",
                "When the agent's INBOX was last scanned, in seconds since the epoch",
                tags,
                agent,
                a -> a.inbox == null ? Double.NaN : a.inbox.scannedAt().toEpochMilli() / 1000.0),
            gauge(
                "atomizer.agent.ready",
                null,
                "1 when the agent's Ready condition is True, else 0",
                tags,
                agent,
                a -> a.ready),
            gauge(
                "atomizer.agent.restarts",
                null,
                "Restarts of the agent container in its current pod",
                tags,
                agent,
                a -> a.restarts),
            gauge(
                "atomizer.agent.discord.connected",
                null,
                "1 when the agent's own Discord connection is up, 0 when down, NaN when unknown",
                tags,
                agent,
                a -> a.discordConnected));
    return agent;
  }

  private double oldestAge(Agent a) {
    if (!a.okInbox()) {
      return Double.NaN;
    }
    var oldest = a.inbox.oldestPending();
    return oldest == null ? 0 : Math.max(0, clock.millis() - oldest.toEpochMilli()) / 1000.0;
  }

  private Meter gauge(
      String name,
      String unit,
      String help,
      Tags tags,
      Agent agent,
      ToDoubleFunction<Agent> value) {
    return Gauge.builder(name, agent, value)
        .baseUnit(unit)
        .description(help)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /** One agent's latest figures; written by one thread at a time, read when scraped. */
  private static final class Agent {
    volatile InboxSnapshot inbox;
    volatile double ready = Double.NaN;
    volatile double restarts = Double.NaN;
    volatile double discordConnected = Double.NaN;
    List<Meter> meters = List.of();

    boolean okInbox() {
      return inbox != null && inbox.isOk();
    }
  }
}
