package io.atomizer.operator.observability;

import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * The operator's metrics: one Prometheus registry holding JOSDK's reconcile metrics (through its
 * micrometer integration, aggregated per resource type, so the number of series does not grow with
 * the number of agents), the per-agent gauges of {@link AgentMetrics}, and the JVM's memory,
 * threads, CPU and uptime.
 */
public final class OperatorMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentMetrics agents;

  public OperatorMetrics(Clock clock) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    agents = new AgentMetrics(registry, clock);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public AgentMetrics agents() {
    return agents;
  }

  /**
   * For {@code ConfigurationServiceOverrider.withMetrics(...)}: JOSDK's reconcile metrics ({@code
   * operator_sdk_reconciliations_*}, {@code operator_sdk_events_*}, ...) plus the hook that removes
   * a deleted agent's gauges.
   */
  public Metrics forOperator() {
    return new AggregatedMetrics(
        List.of(
            MicrometerMetrics.newMicrometerMetricsBuilder(registry)
                .notCollectingMetricsPerResource()
                .build(),
            agents));
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
