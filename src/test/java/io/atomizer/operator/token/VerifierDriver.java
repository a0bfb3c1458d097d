package io.atomizer.operator.token;

import static org.awaitility.Awaitility.await;

import io.atomizer.operator.support.FakeDiscord;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Plays the operator around a {@link DiscordVerifier}: agents whose Secrets hold tokens, and a
 * reconcile of an agent whenever the verifier wakes it, as JOSDK does with the event source. Like
 * {@link io.atomizer.operator.support.OperatorHarness}, its waits do not fail on the uncaught
 * exception JDA's rate-limiter threads throw when a JDA instance is shut down while they back off.
 */
final class VerifierDriver implements AutoCloseable {

  final FakeDiscord discord = new FakeDiscord();
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00.250Z"));
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService logins = Executors.newCachedThreadPool();
  private final ExecutorService reconciles = Executors.newFixedThreadPool(2);
  private final Map<ResourceID, String> secrets = new ConcurrentHashMap<>();
  private final Map<ResourceID, Verification> seen = new ConcurrentHashMap<>();
  private DiscordVerifier verifier;

  /** Settings for fast tests: no pacing to speak of, short retries. */
  VerifierSettings fast() {
    return new VerifierSettings(
        true,
        discord.apiUrl(),
        discord.gatewayUrl(),
        Duration.ofHours(24),
        Duration.ofSeconds(20), // JDA's first login in a JVM takes seconds on a busy machine
        100,
        Duration.ofMillis(1),
        Duration.ofMillis(200),
        Duration.ofSeconds(5));
  }

  VerifierDriver start(VerifierSettings settings) {
    Awaitility.doNotCatchUncaughtExceptionsByDefault();
    verifier =
        new DiscordVerifier(
            settings,
            clock,
            scheduler,
            logins,
            new io.atomizer.operator.discord.JdaLogin(settings.apiBaseUrl(), settings.gatewayUrl()),
            agent -> reconciles.submit(() -> reconcile(agent)));
    return this;
  }

  /** An agent whose Secret key holds {@code token}. */
  ResourceID agent(String name, String token) {
    var id = new ResourceID(name, "team");
    secrets.put(id, token);
    return id;
  }

  /** One reconcile of {@code agent}: asks the verifier about the token its Secret holds now. */
  Verification reconcile(ResourceID agent) {
    var token = secrets.get(agent);
    var answer = verifier.current(fingerprint(token), () -> secrets.get(agent), agent);
    seen.put(agent, answer);
    return answer;
  }

  /** Waits until a reconcile of {@code agent} saw an answer matching {@code expected}. */
  Verification awaitAnswer(ResourceID agent, Predicate<Verification> expected) {
    return await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> seen.get(agent), v -> v != null && expected.test(v));
  }

  static String fingerprint(String token) {
    return Fingerprints.digest(token.strip().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (verifier != null) {
      verifier.close();
    }
    scheduler.shutdownNow();
    logins.shutdownNow();
    reconciles.shutdownNow();
    discord.close();
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
