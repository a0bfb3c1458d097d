package io.atomizer.operator.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts operations notices to a Discord channel: one message per meaningful health transition of an
 * agent (see {@link AgentHealth}). Off unless a notifier token and a channel are configured.
 *
 * <ul>
 *   <li><b>Deduplicated.</b> A state is announced once; the same state again is not news.
 *       "Recovered" is posted only after a problem was posted, so a new agent becoming ready stays
 *       quiet.
 *   <li><b>Rate-limited and coalesced.</b> Posts are paced ({@link NotifierSettings}); while an
 *       agent's notice waits for its slot, a newer state replaces it, so a flapping agent yields a
 *       few messages, the last one saying where it ended.
 *   <li><b>Nothing secret.</b> Messages are fixed texts with the agent's namespace and name only;
 *       never a condition message from the kubelet, never a token. Mentions are disabled.
 * </ul>
 */
public final class DiscordNotifier implements AutoCloseable {

  /** Channel id from ATOMIZER_NOTIFY_CHANNEL_ID. */
  public static final String CHANNEL_ENV = "ATOMIZER_NOTIFY_CHANNEL_ID";

  /** Bot token from ATOMIZER_NOTIFY_TOKEN (set it from a Secret with secretKeyRef). */
  public static final String TOKEN_ENV = "ATOMIZER_NOTIFY_TOKEN";

  private static final Logger log = LoggerFactory.getLogger(DiscordNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ATTEMPTS = 3;

  private final NotifierSettings settings;
  private final BotToken token;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Pacer pacer;
  private final boolean ownsScheduler;

  private final Map<ResourceID, AgentHealth> latest = new HashMap<>();
  private final Map<ResourceID, AgentHealth> posted = new HashMap<>();
  private final LinkedHashMap<ResourceID, Notice> waiting = new LinkedHashMap<>();
  private boolean sending;

  /** A notice waiting for its slot, and how often posting it failed. */
  private record Notice(AgentHealth health, int failures) {}

  public DiscordNotifier(
      NotifierSettings settings,
      BotToken token,
      HttpClient http,
      ScheduledExecutorService scheduler) {
    this(settings, token, http, scheduler, false);
  }

  private DiscordNotifier(
      NotifierSettings settings,
      BotToken token,
      HttpClient http,
      ScheduledExecutorService scheduler,
      boolean ownsScheduler) {
    this.settings = settings;
    this.token = token;
    this.http = http;
    this.scheduler = scheduler;
    this.pacer = new Pacer(settings.burst(), settings.interval(), System::nanoTime);
    this.ownsScheduler = ownsScheduler;
  }

  /**
   * The notifier the environment asks for: empty when neither {@value #CHANNEL_ENV} nor {@value
   * #TOKEN_ENV} is set (notices are off by default).
   *
   * @throws IllegalArgumentException when only one of them is set, or the channel id is not a
   *     Discord id; the message never contains the token
   */
  public static Optional<DiscordNotifier> fromEnvironment(
      Map<String, String> env, String apiBaseUrl) {
    var channel = env.getOrDefault(CHANNEL_ENV, "").strip();
    var secret = env.getOrDefault(TOKEN_ENV, "").strip();
    if (channel.isEmpty() && secret.isEmpty()) {
      return Optional.empty();
    }
    if (channel.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "operations notices need both "
              + CHANNEL_ENV
              + " and "
              + TOKEN_ENV
              + "; "
              + (channel.isEmpty() ? CHANNEL_ENV : TOKEN_ENV)
              + " is not set");
    }
    if (!channel.matches("\\d{1,20}")) {
      throw new IllegalArgumentException(
          CHANNEL_ENV + " must be a Discord channel id (digits only), not '" + channel + "'");
    }
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var thread = new Thread(r, "discord-notifier");
              thread.setDaemon(true);
              return thread;
            });
    var settings = NotifierSettings.of(apiBaseUrl, channel);
    var http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    return Optional.of(new DiscordNotifier(settings, new BotToken(secret), http, scheduler, true));
  }

  /**
   * Called with an agent's status before and after a reconcile. Posts a notice when the agent
   * entered a notable state that differs from the last one seen; returns at once.
   */
  public void onTransition(
      ResourceID agent, AtomizerAgentStatus previous, AtomizerAgentStatus current) {
    var next = AgentHealth.of(current).orElse(null);
    if (next == null) {
      return;
    }
    synchronized (this) {
      var from =
          latest.containsKey(agent) ? latest.get(agent) : AgentHealth.of(previous).orElse(null);
      latest.put(agent, next);
      if (next == from || (next == AgentHealth.HEALTHY && from == null)) {
        return;
      }
      waiting.put(agent, new Notice(next, 0));
      pump(0);
    }
  }

  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private void pump(long extraDelayNanos) {
    if (!sending && !waiting.isEmpty()) {
      sending = true;
      scheduler.schedule(
          this::sendNext, Math.max(extraDelayNanos, pacer.reserve()), TimeUnit.NANOSECONDS);
    }
  }

  private void sendNext() {
    ResourceID agent;
    Notice notice;
    synchronized (this) {
      var first = waiting.entrySet().iterator();
      if (!first.hasNext()) {
        sending = false;
        return;
      }
      var entry = first.next();
      first.remove();
      agent = entry.getKey();
      notice = entry.getValue();
      var last = posted.get(agent);
      boolean news =
          notice.health() == AgentHealth.HEALTHY
              ? last != null && last != AgentHealth.HEALTHY
              : notice.health() != last;
      if (!news) {
        sending = false;
        pump(0);
        return;
      }
    }
    long retryAfterNanos = 0;
    var outcome = post(agent, notice.health());
    synchronized (this) {
      if (outcome.posted()) {
        posted.put(agent, notice.health());
      } else if (outcome.retryAfter() != null || notice.failures() + 1 < MAX_ATTEMPTS) {
        // a newer state for the agent wins over the retry
        int failures = notice.failures() + 1;
        waiting.putIfAbsent(agent, new Notice(notice.health(), failures));
        retryAfterNanos =
            outcome.retryAfter() != null
                ? outcome.retryAfter().toNanos()
                : settings.interval().multipliedBy(1L << failures).toNanos();
      }
      sending = false;
      pump(retryAfterNanos);
    }
  }

  private record Outcome(boolean posted, Duration retryAfter) {}

  private Outcome post(ResourceID agent, AgentHealth health) {
    var namespace = agent.getNamespace().orElse("default");
    var content = health.notice(namespace, agent.getName());
    if (token.appearsIn(content)) {
      // cannot happen with fixed texts and Kubernetes names; checked so that it never can
      log.error("An operations notice for {} would contain the notifier token; dropped", agent);
      return new Outcome(true, null);
    }
    try {
      var body = JSON.createObjectNode().put("content", content);
      body.putObject("allowed_mentions").putArray("parse");
      var request =
          HttpRequest.newBuilder(
                  URI.create(
                      settings.apiBaseUrl() + "channels/" + settings.channelId() + "/messages"))
              .timeout(settings.requestTimeout())
              .header("Authorization", token.authorization())
              .header("Content-Type", "application/json")
              .header("User-Agent", "DiscordBot (https://atomizer.io/operator, 0.1)")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
      var response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status / 100 == 2) {
        log.info("Posted an operations notice: agent {} is {}", agent, health);
        return new Outcome(true, null);
      }
      if (status == 429) {
        var seconds =
            response.headers().firstValue("Retry-After").map(DiscordNotifier::seconds).orElse(5.0);
        log.warn("Discord rate-limited an operations notice; retrying in {} s", seconds);
        return new Outcome(false, Duration.ofMillis((long) (seconds * 1000)));
      }
      log.warn("Discord answered HTTP {} to an operations notice for {}", status, agent);
      return new Outcome(false, null);
    } catch (IOException e) {
      log.warn(
          "Posting an operations notice for {} failed: {}", agent, e.getClass().getSimpleName());
      return new Outcome(false, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, null);
    }
  }

  private static double seconds(String header) {
    try {
      return Math.max(0, Double.parseDouble(header.strip()));
    } catch (NumberFormatException e) {
      return 5.0;
    }
  }
}
