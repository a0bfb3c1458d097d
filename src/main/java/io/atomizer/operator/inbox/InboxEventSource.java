package io.atomizer.operator.inbox;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every agent's INBOX and triggers a reconcile only when the snapshot changes (its equality
 * ignores the scan time). JOSDK's {@link PerResourcePollingEventSource} schedules one poll per
 * agent every {@code interval}; this class adds what a shared, possibly hung, volume needs:
 *
 * <ul>
 *   <li>Scans run on their own threads, never on reconcile threads. A poll waits at most {@code
 *       waitForScan} for its scan; a slower scan keeps running and delivers its snapshot when it
 *       finishes, so one slow or hung directory delays no other agent.
 *   <li>At most one scan per agent runs at a time. A scan still running after {@code stuckAfter} is
 *       reported as InboxUnreadable (the volume may be hung) until it finishes.
 *   <li>The reconciler only ever reads the cache ({@link #getSecondaryResources}): before the first
 *       scan it sees no snapshot instead of scanning on its own thread as the JOSDK class would.
 *   <li>The first scan of an agent runs as soon as the agent is seen and this source is running.
 *       JOSDK starts the agents' informer before this source, so agents that exist at startup (the
 *       playground's examples, every agent after an operator restart) are seen before this source
 *       runs; a poll JOSDK fires then is dropped without a next one, and the agent would never be
 *       scanned. So polls are registered only while running, and {@link #start} registers the
 *       agents seen before.
 * </ul>
 *
 * Threads: {@code pollThreads} scheduler threads, plus scan threads created on demand; the number
 * of scans running at once is at most the scheduler threads plus the scans that outlived their
 * wait, and never more than one per agent.
 */
public final class InboxEventSource
    extends PerResourcePollingEventSource<InboxSnapshot, AtomizerAgent, String> {

  /** The event source's name, for {@code context.getSecondaryResource(InboxSnapshot.class)}. */
  public static final String NAME = "inbox";

  private static final Logger log = LoggerFactory.getLogger(InboxEventSource.class);

  /**
   * How scans are scheduled and bounded.
   *
   * @param interval time between two scans of one agent (ATOMIZER_INBOX_INTERVAL_SECONDS)
   * @param waitForScan how long a poll waits for its scan before leaving it to finish on its own
   * @param stuckAfter how long a scan may run before the INBOX is reported unreadable
   * @param pollThreads scheduler threads
   * @param rememberVerdicts keep a {@link ValidityCache} per agent, so unchanged files are not read
   *     again
   */
  public record Settings(
      Duration interval,
      Duration waitForScan,
      Duration stuckAfter,
      int pollThreads,
      boolean rememberVerdicts) {

    /** Scans every {@code interval}, waits up to 1 s, reports a scan stuck after 30 s. */
    public static Settings every(Duration interval) {
      return new Settings(interval, Duration.ofSeconds(1), Duration.ofSeconds(30), 1, true);
    }
  }

  private final Poller poller;
  private final Cache<AtomizerAgent> primaries;
  private final Object registering = new Object();

  private InboxEventSource(
      EventSourceContext<AtomizerAgent> context, Settings settings, Poller poller) {
    super(
        InboxSnapshot.class,
        context,
        new PerResourcePollingConfigurationBuilder<InboxSnapshot, AtomizerAgent, String>(
                poller, settings.interval())
            .withName(NAME)
            .withExecutorService(poller.scheduler)
            .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
            .build());
    this.poller = poller;
    this.primaries = context.getPrimaryCache();
    poller.source = this;
  }

  /**
   * The event source for the reconciler's {@code prepareEventSources}.
   *
   * @param scan the scanner, usually an {@link InboxScanner} over the workspaces root
   * @param listener hears every scan (the metrics)
   */
  public static InboxEventSource create(
      EventSourceContext<AtomizerAgent> context,
      InboxScan scan,
      Settings settings,
      InboxScanListener listener,
      Clock clock) {
    return new InboxEventSource(context, settings, new Poller(scan, settings, listener, clock));
  }

  /** Only what a poll put in the cache: a reconcile never scans (or waits on a volume) itself. */
  @Override
  public Set<InboxSnapshot> getSecondaryResources(AtomizerAgent primary) {
    return getSecondaryResources(ResourceID.fromResource(primary));
  }

  @Override
  public void start() {
    super.start();
    synchronized (registering) {
      primaries.list().forEach(super::onResourceCreated);
    }
  }

  @Override
  public void onResourceCreated(AtomizerAgent resource) {
    register(resource);
  }

  @Override
  public void onResourceUpdated(AtomizerAgent newResource, AtomizerAgent oldResource) {
    register(newResource);
  }

  /** Schedules the agent's polls unless they are; before {@link #start}, leaves it to start. */
  private void register(AtomizerAgent agent) {
    synchronized (registering) {
      if (isRunning()) {
        super.onResourceCreated(agent);
      }
    }
  }

  @Override
  public void onResourceDeleted(AtomizerAgent resource) {
    super.onResourceDeleted(resource);
    poller.forget(ResourceID.fromResource(resource));
  }

  @Override
  public void stop() {
    try {
      super.stop();
    } finally {
      poller.scanThreads.shutdownNow();
    }
  }

  /** Takes the snapshot of a scan that finished after its poll stopped waiting. */
  private void deliverLate(ResourceID agent, InboxSnapshot snapshot) {
    if (isRunning() && primaries.get(agent).isPresent()) {
      report(agent, snapshot);
      handleResources(agent, Set.of(snapshot));
    }
  }

  /** Tells the listener, unless the agent is gone (its gauges must not come back). */
  private void report(ResourceID agent, InboxSnapshot snapshot) {
    if (primaries.get(agent).isPresent()) {
      poller.listener.scanned(agent, snapshot);
    }
  }

  private Set<InboxSnapshot> current(ResourceID agent) {
    return Set.copyOf(getSecondaryResources(agent));
  }

  /** Runs on the scheduler thread: starts one agent's scan and waits a bounded time for it. */
  private static final class Poller
      implements PerResourcePollingEventSource.ResourceFetcher<InboxSnapshot, AtomizerAgent> {

    private final InboxScan scan;
    private final Settings settings;
    private final InboxScanListener listener;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService scanThreads;
    private final Map<ResourceID, Scan> running = new ConcurrentHashMap<>();
    private final Map<ResourceID, ValidityCache> verdicts = new ConcurrentHashMap<>();
    private volatile InboxEventSource source;

    Poller(InboxScan scan, Settings settings, InboxScanListener listener, Clock clock) {
      this.scan = scan;
      this.settings = settings;
      this.listener = listener;
      this.clock = clock;
      this.scheduler = new ScheduledThreadPoolExecutor(settings.pollThreads(), daemon("poll"));
      this.scheduler.setRemoveOnCancelPolicy(true);
      // unbounded on purpose: at most one scan per agent, so at most one thread per hung agent
      this.scanThreads =
          new ThreadPoolExecutor(
              0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("scan"));
    }

    @Override
    public Set<InboxSnapshot> fetchResources(AtomizerAgent agent) {
      var id = ResourceID.fromResource(agent);
      var earlier = running.get(id);
      if (earlier != null) {
        return stillRunning(id, earlier);
      }
      var dir = AgentDir.of(agent);
      var cache =
          settings.rememberVerdicts()
              ? verdicts.compute(
                  id, (k, c) -> c != null && c.agentDir().equals(dir) ? c : new ValidityCache(dir))
              : null;
      var task = new Scan(id, dir, cache, clock.instant());
      running.put(id, task);
      try {
        scanThreads.execute(task);
        var snapshot = task.get(settings.waitForScan().toMillis(), TimeUnit.MILLISECONDS);
        source.report(id, snapshot);
        return Set.of(snapshot);
      } catch (TimeoutException e) {
        var finished = task.handOver();
        finished.ifPresent(s -> source.report(id, s));
        return finished.map(Set::of).orElseGet(() -> source.current(id));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return source.current(id);
      } catch (ExecutionException e) {
        log.warn("Scanning the INBOX of {} failed", id, e.getCause());
        var failed =
            InboxSnapshot.unreadable(
                "The scan of workspaces/"
                    + dir
                    + "/INBOX failed ("
                    + e.getCause().getClass().getSimpleName()
                    + "); see the operator's log.",
                clock.instant());
        source.report(id, failed);
        return Set.of(failed);
      } catch (RuntimeException e) { // the scan threads are shut down: the source is stopping
        running.remove(id, task);
        return source.current(id);
      }
    }

    /** First scan right away; then every interval. */
    @Override
    public Optional<Duration> fetchDelay(Set<InboxSnapshot> lastFetched, AtomizerAgent agent) {
      return lastFetched == null ? Optional.of(Duration.ZERO) : Optional.empty();
    }

    private Set<InboxSnapshot> stillRunning(ResourceID id, Scan earlier) {
      var runningFor = Duration.between(earlier.started, clock.instant());
      if (runningFor.compareTo(settings.stuckAfter()) < 0) {
        return source.current(id);
      }
      var stuck =
          InboxSnapshot.unreadable(
              "The scan of workspaces/"
                  + earlier.agentDir
                  + "/INBOX has not finished after "
                  + brief(settings.stuckAfter())
                  + "; the workspaces volume may be hung or very slow.",
              clock.instant());
      if (!stuck.equals(source.current(id).stream().findFirst().orElse(null))) {
        log.warn("The INBOX scan of {} has run for {}", id, brief(runningFor));
      }
      source.report(id, stuck);
      return Set.of(stuck);
    }

    private static String brief(Duration d) {
      return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    void forget(ResourceID id) {
      running.remove(id);
      verdicts.remove(id);
      listener.forgotten(id);
    }

    private ThreadFactory daemon(String role) {
      var count = new AtomicInteger();
      return r -> {
        var t = new Thread(r, "inbox-" + role + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    /** One scan of one agent; hands its snapshot over late when its poll stopped waiting. */
    private final class Scan extends FutureTask<InboxSnapshot> {
      private final ResourceID id;
      private final String agentDir;
      private final Instant started;
      private volatile boolean handedOver;

      Scan(ResourceID id, String agentDir, ValidityCache cache, Instant started) {
        super(() -> scan.scan(agentDir, cache));
        this.id = id;
        this.agentDir = agentDir;
        this.started = started;
      }

      /** The poll stops waiting; the result, if it raced in, is returned to the poll. */
      Optional<InboxSnapshot> handOver() {
        handedOver = true;
        if (isDone() && !isCancelled()) {
          try {
            return Optional.of(get());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            // reported by done()
          }
        }
        return Optional.empty();
      }

      @Override
      protected void done() {
        running.remove(id, this);
        if (!handedOver || isCancelled()) {
          return;
        }
        try {
          source.deliverLate(id, get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          log.warn("Scanning the INBOX of {} failed", id, e.getCause());
        }
      }
    }
  }
}
