package io.atomizer.operator.agentstatus;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls every agent's own Discord connection from its gateway ({@link ChannelStatusClient}) and
 * triggers a reconcile only when what it saw changes ({@link DiscordStatus} holds no time). Like
 * the INBOX polls, the calls run on this source's own threads, never on reconcile threads, and a
 * reconcile only reads the cache. An agent whose bot is online is asked every {@code interval}; one
 * that is not (yet) every {@code untilOnline}, so that a new pod's connection shows soon.
 */
public final class DiscordStatusEventSource
    extends PerResourcePollingEventSource<DiscordStatus, AtomizerAgent, String> {

  /** The event source's name. */
  public static final String NAME = "discord-status";

  /**
   * How polls are scheduled.
   *
   * @param interval time between two polls of an agent whose bot is online
   *     (ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS)
   * @param untilOnline time between two polls of any other agent
   * @param timeout how long one call may take (connect and answer)
   * @param threads poll threads
   */
  public record Settings(Duration interval, Duration untilOnline, Duration timeout, int threads) {

    /** Every {@code interval}, every 5 s (at most {@code interval}) until online, 5 s timeout. */
    public static Settings every(Duration interval) {
      var quick = interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5);
      return new Settings(interval, quick, Duration.ofSeconds(5), 2);
    }
  }

  private DiscordStatusEventSource(
      EventSourceContext<AtomizerAgent> context, Settings settings, Fetcher fetcher) {
    super(
        DiscordStatus.class,
        context,
        new PerResourcePollingConfigurationBuilder<DiscordStatus, AtomizerAgent, String>(
                fetcher, settings.interval())
            .withName(NAME)
            .withExecutorService(scheduler(settings.threads()))
            .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
            .build());
  }

  /** The event source for the reconciler's {@code prepareEventSources}. */
  public static DiscordStatusEventSource create(
      EventSourceContext<AtomizerAgent> context, GatewayTargets targets, Settings settings) {
    return new DiscordStatusEventSource(
        context,
        settings,
        new Fetcher(targets, new ChannelStatusClient(settings.timeout()), settings));
  }

  /** Only what a poll put in the cache: a reconcile never calls an agent itself. */
  @Override
  public Set<DiscordStatus> getSecondaryResources(AtomizerAgent primary) {
    return getSecondaryResources(ResourceID.fromResource(primary));
  }

  private static ScheduledThreadPoolExecutor scheduler(int threads) {
    var count = new AtomicInteger();
    var executor =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              var t = new Thread(r, "discord-status-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private record Fetcher(GatewayTargets targets, ChannelStatusClient client, Settings settings)
      implements PerResourcePollingEventSource.ResourceFetcher<DiscordStatus, AtomizerAgent> {

    @Override
    public Set<DiscordStatus> fetchResources(AtomizerAgent agent) {
      var resolution = targets.resolve(agent);
      return Set.of(
          resolution.target() == null ? resolution.instead() : client.fetch(resolution.target()));
    }

    /** First poll right away; then quickly until the bot is online. */
    @Override
    public Optional<Duration> fetchDelay(Set<DiscordStatus> lastFetched, AtomizerAgent agent) {
      if (lastFetched == null) {
        return Optional.of(Duration.ZERO);
      }
      var online = lastFetched.stream().anyMatch(DiscordStatus::online);
      return Optional.of(online ? settings.interval() : settings.untilOnline());
    }
  }
}
