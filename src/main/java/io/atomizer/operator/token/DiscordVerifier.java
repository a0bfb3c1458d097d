package io.atomizer.operator.token;

import io.atomizer.operator.discord.DiscordLogin;
import io.atomizer.operator.discord.DiscordLogin.Accepted;
import io.atomizer.operator.discord.DiscordLogin.Failed;
import io.atomizer.operator.discord.DiscordLogin.Failure;
import io.atomizer.operator.discord.DiscordLogin.Rejected;
import io.atomizer.operator.discord.JdaLogin;
import io.atomizer.operator.discord.Pacer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies each token once with Discord, off the reconcile threads, and tells the agents that use
 * it when the answer is in.
 *
 * <ul>
 *   <li><b>Cache.</b> Results are kept by fingerprint: at most one login per token per {@code
 *       cacheFor} (24 hours), unless the token changes. After that the next reconcile checks again
 *       and keeps reporting the previous answer meanwhile; a failed re-check keeps it too.
 *   <li><b>Pacing.</b> Logins run one at a time, at most {@code loginBurst} at once and then one
 *       per {@code loginInterval} for the whole operator, so eight agents starting together make
 *       eight REST calls spread over a few seconds instead of a burst.
 *   <li><b>Retry.</b> When Discord cannot be asked, the login is retried with exponential backoff
 *       from {@code retryInitial} to {@code retryMax}; the agents are woken when a retry is due. A
 *       rejected token is not retried until it changes or the cache expires: repeated 401s count
 *       toward Discord's per-IP ban on invalid requests, which would hit every agent on the node.
 * </ul>
 *
 * <p>The token itself is read through the caller's supplier on the login thread, right before the
 * login, checked against the fingerprint, and dropped after the call. Only fingerprints are logged
 * or kept.
 */
public final class DiscordVerifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DiscordVerifier.class);
  private static final Verification PENDING = new Verification.Pending();
  private static final Verification DISABLED = new Verification.Disabled();

  private final VerifierSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService loginThreads;
  private final DiscordLogin login;
  private final Consumer<ResourceID> wake;
  private final Pacer pacer;
  private final boolean ownsExecutors;

  private final Map<String, Entry> entries = new HashMap<>();
  private final Queue<Entry> queue = new ArrayDeque<>();
  private boolean pumping;

  /**
   * @param scheduler runs the pacing and the deadlines; never blocks for long
   * @param loginThreads runs the blocking JDA logins
   * @param wake called with each agent that asked about a token once its answer changed or a retry
   *     is due, typically {@code SimpleInboundEventSource::propagateEvent}
   */
  public DiscordVerifier(
      VerifierSettings settings,
      Clock clock,
      ScheduledExecutorService scheduler,
      ExecutorService loginThreads,
      DiscordLogin login,
      Consumer<ResourceID> wake) {
    this(settings, clock, scheduler, loginThreads, login, wake, false);
  }

  private DiscordVerifier(
      VerifierSettings settings,
      Clock clock,
      ScheduledExecutorService scheduler,
      ExecutorService loginThreads,
      DiscordLogin login,
      Consumer<ResourceID> wake,
      boolean ownsExecutors) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.loginThreads = loginThreads;
    this.login = login;
    this.wake = wake;
    this.pacer = new Pacer(settings.loginBurst(), settings.loginInterval(), System::nanoTime);
    this.ownsExecutors = ownsExecutors;
  }

  /** A verifier with its own daemon threads and JDA logins; {@link #close()} stops them. */
  public static DiscordVerifier start(
      VerifierSettings settings, Clock clock, Consumer<ResourceID> wake) {
    var counter = new AtomicInteger();
    var scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "discord-verifier"));
    var logins =
        Executors.newCachedThreadPool(r -> daemon(r, "discord-login-" + counter.incrementAndGet()));
    return new DiscordVerifier(
        settings,
        clock,
        scheduler,
        logins,
        new JdaLogin(settings.apiBaseUrl(), settings.gatewayUrl()),
        wake,
        true);
  }

  /**
   * What is known about the token with {@code fingerprint}, for {@code agent}'s reconcile. Never
   * blocks: when the token has no answer yet, or its answer is due for a re-check, a login is
   * queued and {@code agent} is woken when it is done.
   *
   * @param token reads the token (from the API server) when the login runs; it is called at most
   *     once, on the login thread, and not kept after the login
   */
  public Verification current(String fingerprint, Supplier<String> token, ResourceID agent) {
    if (!settings.enabled()) {
      return DISABLED;
    }
    var now = clock.instant();
    synchronized (this) {
      forgetUnused(now);
      var entry = entries.computeIfAbsent(fingerprint, Entry::new);
      entry.lastRequested = now;
      entry.waiters.add(agent);
      if (entry.queued) {
        entry.token = token;
      } else if (!entry.running && entry.due(now)) {
        entry.token = token;
        entry.queued = true;
        queue.add(entry);
        pump();
      }
      return entry.result == null ? PENDING : entry.result;
    }
  }

  @Override
  public void close() {
    if (ownsExecutors) {
      scheduler.shutdownNow();
      loginThreads.shutdownNow();
    }
  }

  private void pump() {
    if (!pumping && !queue.isEmpty()) {
      pumping = true;
      scheduler.schedule(this::dispatch, pacer.reserve(), TimeUnit.NANOSECONDS);
    }
  }

  private void dispatch() {
    Entry entry;
    Supplier<String> supplier;
    synchronized (this) {
      entry = queue.poll();
      if (entry == null) {
        pumping = false;
        return;
      }
      entry.queued = false;
      entry.running = true;
      supplier = entry.token;
      entry.token = null;
    }
    var token = read(supplier);
    if (token == null
        || !Fingerprints.digest(token.getBytes(StandardCharsets.UTF_8)).equals(entry.fingerprint)) {
      // the Secret changed since the reconcile that asked; the agents ask again with the new one
      log.debug("Token {} is no longer in its Secret; its login is skipped", entry.fingerprint);
      List<ResourceID> toWake;
      synchronized (this) {
        entry.running = false;
        toWake = entry.takeWaiters();
        pumping = false;
        pump();
      }
      toWake.forEach(wake);
      return;
    }
    var attempt = new Attempt(entry);
    var deadline =
        scheduler.schedule(
            () ->
                settle(
                    attempt, new Failed(Failure.TIMEOUT, "no answer within the deadline"), false),
            settings.loginDeadline().toMillis(),
            TimeUnit.MILLISECONDS);
    CompletableFuture<DiscordLogin.Result> result;
    try {
      result = CompletableFuture.supplyAsync(() -> login.login(token), loginThreads);
    } catch (RuntimeException rejected) {
      result = CompletableFuture.failedFuture(rejected);
    }
    result
        .exceptionally(e -> new Failed(Failure.ERROR, rootType(e)))
        .thenAccept(
            r -> {
              deadline.cancel(false);
              settle(attempt, r, true);
            });
  }

  /** Records an attempt's outcome: from the login, or from its deadline if that came first. */
  private void settle(Attempt attempt, DiscordLogin.Result result, boolean finished) {
    List<ResourceID> toWake = List.of();
    synchronized (this) {
      var entry = attempt.entry;
      if (finished) {
        entry.running = false;
      }
      boolean first = !attempt.settled;
      attempt.settled = true;
      // a login that answers after its deadline still counts when it says something definite
      if (first || !(result instanceof Failed)) {
        var before = entry.result;
        record(entry, result);
        if (first || !entry.result.equals(before)) {
          toWake = entry.takeWaiters();
        }
      } else if (entry.due(clock.instant())) {
        // a retry came due while this login hung; the agents' next reconciles queue it
        toWake = entry.takeWaiters();
      }
      if (first) {
        pumping = false;
        pump();
      }
    }
    toWake.forEach(wake);
  }

  private void record(Entry entry, DiscordLogin.Result result) {
    var now = clock.instant();
    var fingerprint = entry.fingerprint;
    if (result instanceof Accepted accepted) {
      var same =
          entry.result instanceof Verification.Verified v
              && v.botId().equals(accepted.botId())
              && v.botName().equals(accepted.botName());
      if (!same) {
        log.info(
            "Discord accepted token {}: bot {} ({})",
            fingerprint,
            accepted.botName(),
            accepted.botId());
        entry.result =
            new Verification.Verified(
                accepted.botId(), accepted.botName(), now.truncatedTo(ChronoUnit.SECONDS));
      }
      entry.failures = 0;
      entry.nextAttempt = now.plus(settings.cacheFor());
    } else if (result instanceof Rejected) {
      log.warn("Discord rejected token {} (401): it must be reset", fingerprint);
      entry.result = new Verification.Invalid();
      entry.failures = 0;
      entry.nextAttempt = now.plus(settings.cacheFor());
    } else if (result instanceof Failed failed) {
      entry.failures++;
      var delay = backoff(entry.failures);
      entry.nextAttempt = now.plus(delay);
      var unavailable = new Verification.Unavailable(failed.failure(), failed.detail());
      if (entry.result instanceof Verification.Verified
          || entry.result instanceof Verification.Invalid) {
        log.info(
            "Re-checking token {} failed: {}; keeping the previous answer, next try in {} s",
            fingerprint,
            unavailable.describe(),
            delay.toMillis() / 1000.0);
      } else {
        log.warn(
            "Verifying token {} failed: {}; the agent runs anyway, next try in {} s",
            fingerprint,
            unavailable.describe(),
            delay.toMillis() / 1000.0);
        entry.result = unavailable;
        scheduler.schedule(() -> retryNow(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A retry is due: the next reconcile of any waiting agent queues it, whatever the clock says. */
  private void retryNow(Entry entry) {
    List<ResourceID> toWake;
    synchronized (this) {
      if (!(entry.result instanceof Verification.Unavailable)) {
        return;
      }
      entry.nextAttempt = null;
      toWake = entry.takeWaiters();
    }
    toWake.forEach(wake);
  }

  private Duration backoff(int failures) {
    var delay = settings.retryInitial().multipliedBy(1L << Math.min(failures - 1, 20));
    return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
  }

  /** Drops answers nobody asked for in two cache periods, so deleted agents leave nothing. */
  private void forgetUnused(Instant now) {
    var horizon = now.minus(settings.cacheFor().multipliedBy(2));
    entries.values().removeIf(e -> !e.queued && !e.running && e.lastRequested.isBefore(horizon));
  }

  private static String read(Supplier<String> supplier) {
    try {
      var token = supplier == null ? null : supplier.get();
      return token == null || token.isBlank() ? null : token.strip();
    } catch (RuntimeException e) {
      log.debug("Reading a token for its login failed: {}", e.getClass().getSimpleName());
      return null;
    }
  }

  private static String rootType(Throwable e) {
    var root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  private static Thread daemon(Runnable r, String name) {
    var thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  /** What the verifier knows and plans for one fingerprint. Guarded by the verifier. */
  private static final class Entry {
    final String fingerprint;
    final Set<ResourceID> waiters = new HashSet<>();
    Verification result;
    Instant nextAttempt;
    Instant lastRequested;
    int failures;
    boolean queued;
    boolean running;
    Supplier<String> token;

    Entry(String fingerprint) {
      this.fingerprint = fingerprint;
    }

    boolean due(Instant now) {
      return nextAttempt == null || !now.isBefore(nextAttempt);
    }

    List<ResourceID> takeWaiters() {
      var taken = List.copyOf(waiters);
      waiters.clear();
      return taken;
    }
  }

  /** One login; settled by its result or by its deadline, whichever comes first. */
  private static final class Attempt {
    final Entry entry;
    boolean settled;

    Attempt(Entry entry) {
      this.entry = entry;
    }
  }
}
