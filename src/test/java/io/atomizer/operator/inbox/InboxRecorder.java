package io.atomizer.operator.inbox;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.MockCluster;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A reconciler that only records what it is given: which agent, and the inbox snapshot it read from
 * the context. It writes nothing, so every reconcile it counts was caused by an event.
 */
@ControllerConfiguration(name = "inbox-recorder")
public final class InboxRecorder implements Reconciler<AtomizerAgent> {

  private final InboxScan scan;
  private final InboxEventSource.Settings settings;
  private final InboxScanListener listener;
  private final Map<String, List<Optional<InboxSnapshot>>> seen = new ConcurrentHashMap<>();

  public InboxRecorder(
      InboxScan scan, InboxEventSource.Settings settings, InboxScanListener listener) {
    this.scan = scan;
    this.settings = settings;
    this.listener = listener;
  }

  /** A started operator with this reconciler, against {@code cluster}. */
  public Operator start(MockCluster cluster, Metrics metrics) {
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(cluster.operatorClient())
                    .withCloseClientOnStop(true)
                    .withMetrics(metrics));
    operator.register(this);
    operator.start();
    return operator;
  }

  @Override
  public List<EventSource<?, AtomizerAgent>> prepareEventSources(
      EventSourceContext<AtomizerAgent> context) {
    return List.of(InboxEventSource.create(context, scan, settings, listener, Clock.systemUTC()));
  }

  @Override
  public UpdateControl<AtomizerAgent> reconcile(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    seen.computeIfAbsent(agent.getMetadata().getName(), k -> new CopyOnWriteArrayList<>())
        .add(context.getSecondaryResource(InboxSnapshot.class));
    return UpdateControl.noUpdate();
  }

  /** How often {@code agent} was reconciled. */
  public int reconciles(String agent) {
    return seen.getOrDefault(agent, List.of()).size();
  }

  /** The snapshot the last reconcile of {@code agent} read, if any. */
  public Optional<InboxSnapshot> last(String agent) {
    var list = seen.getOrDefault(agent, List.of());
    return list.isEmpty() ? Optional.empty() : list.get(list.size() - 1);
  }
}
