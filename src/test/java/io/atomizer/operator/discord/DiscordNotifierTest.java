package io.atomizer.operator.discord;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.support.FakeDiscord;
import io.atomizer.operator.support.FakeDiscord.Mode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operations notices: one per meaningful transition, deduplicated, paced, never a token. */
class DiscordNotifierTest {

  private static final String NOTIFIER_TOKEN = "MTA5OTk5.NOTIFIER-token.zzzz";
  private static final String CHANNEL = "123456789012345678";
  private static final ResourceID MANAGER = new ResourceID("manager", "team");

  private final FakeDiscord discord =
      new FakeDiscord().bot(NOTIFIER_TOKEN, "1099990000000000001", "atomizer-ops");
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (var c : closing) {
      c.close();
    }
    discord.close();
  }

  @Test
  void postsOneMessagePerMeaningfulHealthTransition() {
    var notifier = notifier(10, Duration.ofMillis(1));
    // each step, and how many messages have been posted once it is handled
    var steps =
        List.of(
            Map.entry(starting(), 0),
            Map.entry(healthy(), 0),
            Map.entry(notReady(), 1),
            Map.entry(crashLoop(), 2),
            Map.entry(oomKilled(), 3),
            Map.entry(healthy(), 4),
            Map.entry(backlogged(), 5),
            Map.entry(healthy(), 6),
            Map.entry(tokenInvalid(), 7));
    AtomizerAgentStatus previous = null;
    for (var step : steps) {
      notifier.onTransition(MANAGER, previous, step.getKey());
      previous = step.getKey();
      awaitMessages(step.getValue()); // one at a time; the pacing test covers bursts
    }

    var texts = awaitMessages(7);
    assertTrue(texts.get(0).contains("is not ready"), texts.get(0));
    assertTrue(texts.get(1).contains("crash-looping"), texts.get(1));
    assertTrue(texts.get(2).contains("OOMKilled"), texts.get(2));
    assertTrue(texts.get(3).contains("recovered"), texts.get(3));
    assertTrue(texts.get(4).contains("INBOX"), texts.get(4));
    assertTrue(texts.get(5).contains("recovered"), texts.get(5));
    assertTrue(texts.get(6).contains("token Discord rejected"), texts.get(6));
    assertTrue(texts.get(0).contains("**manager** (namespace team)"), texts.get(0));
    assertTrue(
        discord.messages().stream().allMatch(m -> m.channelId().equals(CHANNEL)), "the channel");
  }

  @Test
  void newAgentBecomingReadyIsNotNews() {
    var notifier = notifier(10, Duration.ofMillis(1));
    notifier.onTransition(MANAGER, null, starting());
    notifier.onTransition(MANAGER, starting(), healthy());
    notifier.onTransition(new ResourceID("probe", "team"), null, crashLoop());

    awaitMessages(1);
    sleep(200);
    assertEquals(1, discord.messages().size(), "only the probe's crash loop");
  }

  @Test
  void sameStateIsNotPostedTwiceInARow() {
    var notifier = notifier(10, Duration.ofMillis(1));
    notifier.onTransition(MANAGER, healthy(), crashLoop());
    notifier.onTransition(MANAGER, crashLoop(), crashLoop());
    notifier.onTransition(MANAGER, crashLoop(), starting()); // the kubelet restarts it
    notifier.onTransition(MANAGER, starting(), crashLoop());
    awaitMessages(1);
    sleep(300);

    assertEquals(1, discord.messages().size());
  }

  @Test
  void operatorRestartDoesNotRepeatWhatThePreviousStatusShowed() {
    var notifier = notifier(10, Duration.ofMillis(1));
    // the first reconcile after a restart: the stored status already showed the crash loop
    notifier.onTransition(MANAGER, crashLoop(), crashLoop());
    notifier.onTransition(new ResourceID("probe", "team"), null, oomKilled());

    awaitMessages(1);
    sleep(200);
    assertTrue(discord.messages().get(0).content().contains("**probe**"));
    assertEquals(1, discord.messages().size());
  }

  @Test
  void flappingAgentIsPacedAndEndsWithItsLastState() {
    var interval = Duration.ofMillis(400);
    var notifier = notifier(1, interval);
    // a first notice warms up the HTTP client, so that its cold start does not blur the spacing
    notifier.onTransition(new ResourceID("probe", "team"), null, crashLoop());
    awaitMessages(1);
    sleep(3 * interval.toMillis());
    AtomizerAgentStatus previous = healthy();
    notifier.onTransition(MANAGER, null, previous);
    for (int i = 0; i < 10; i++) {
      var next = i % 2 == 0 ? notReady() : healthy();
      notifier.onTransition(MANAGER, previous, next);
      previous = next;
      sleep(60);
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !discord.messages().isEmpty()
                    && discord
                        .messages()
                        .get(discord.messages().size() - 1)
                        .content()
                        .contains("recovered"));
    sleep(3 * interval.toMillis());
    var messages = discord.messages().subList(1, discord.messages().size());
    assertTrue(messages.size() <= 4, "ten flaps in 600 ms, at most one post per 400 ms");
    assertTrue(messages.get(0).content().contains("is not ready"), "it starts with the problem");
    assertTrue(messages.get(messages.size() - 1).content().contains("recovered"), "and ends well");
    for (int i = 1; i < messages.size(); i++) {
      double gap = messages.get(i).nanoTime() - messages.get(i - 1).nanoTime();
      assertTrue(
          gap / interval.toNanos() > 0.8, "paced: gap/interval = " + gap / interval.toNanos());
    }
  }

  @Test
  void noticeSurvivesABriefDiscordOutage() {
    discord.mode(Mode.SERVER_ERROR);
    var notifier = notifier(10, Duration.ofMillis(300));
    notifier.onTransition(MANAGER, healthy(), crashLoop());
    sleep(100);
    discord.mode(Mode.UP);

    assertTrue(awaitMessages(1).get(0).contains("crash-looping"));
  }

  @Test
  void noticesAuthenticateWithTheNotifierTokenAndNeverContainIt() {
    var notifier = notifier(10, Duration.ofMillis(1));
    notifier.onTransition(MANAGER, healthy(), tokenInvalid());

    awaitMessages(1);
    var message = discord.messages().get(0);
    assertEquals(NOTIFIER_TOKEN, message.token(), "posted as the notifier bot");
    assertFalse(message.content().contains(NOTIFIER_TOKEN));
    assertFalse(message.content().contains("NOTIFIER"));
    assertFalse(new BotToken(NOTIFIER_TOKEN).toString().contains("NOTIFIER"));
  }

  @Test
  void noticesAreOffUnlessBothChannelAndTokenAreSet() {
    assertTrue(DiscordNotifier.fromEnvironment(Map.of(), discord.apiUrl()).isEmpty());

    var onlyToken =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DiscordNotifier.fromEnvironment(
                    Map.of(DiscordNotifier.TOKEN_ENV, NOTIFIER_TOKEN), discord.apiUrl()));
    assertTrue(onlyToken.getMessage().contains(DiscordNotifier.CHANNEL_ENV));
    assertFalse(onlyToken.getMessage().contains(NOTIFIER_TOKEN));

    var badChannel =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DiscordNotifier.fromEnvironment(
                    Map.of(
                        DiscordNotifier.TOKEN_ENV,
                        NOTIFIER_TOKEN,
                        DiscordNotifier.CHANNEL_ENV,
                        "#ops"),
                    discord.apiUrl()));
    assertFalse(badChannel.getMessage().contains(NOTIFIER_TOKEN));

    var configured =
        DiscordNotifier.fromEnvironment(
            Map.of(DiscordNotifier.TOKEN_ENV, NOTIFIER_TOKEN, DiscordNotifier.CHANNEL_ENV, CHANNEL),
            discord.apiUrl());
    assertTrue(configured.isPresent());
    closing.add(configured.get());
  }

  private DiscordNotifier notifier(int burst, Duration interval) {
    var scheduler = Executors.newSingleThreadScheduledExecutor();
    closing.add(scheduler::shutdownNow);
    return new DiscordNotifier(
        new NotifierSettings(discord.apiUrl(), CHANNEL, burst, interval, Duration.ofSeconds(5)),
        new BotToken(NOTIFIER_TOKEN),
        HttpClient.newHttpClient(),
        scheduler);
  }

  private List<String> awaitMessages(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> discord.messages().size() >= count);
    return discord.messages().stream().map(FakeDiscord.Message::content).toList();
  }

  // ---- statuses as the reconciler writes them ----

  static AtomizerAgentStatus healthy() {
    return status(
        cond("Ready", "True", "Running"),
        cond("PodHealthy", "True", "Running"),
        cond("TokenReady", "True", "TokenResolved"));
  }

  static AtomizerAgentStatus starting() {
    return status(cond("Ready", "False", "Progressing"), cond("PodHealthy", "False", "PodPending"));
  }

  static AtomizerAgentStatus notReady() {
    return status(cond("Ready", "False", "NotReady"), cond("PodHealthy", "False", "NotReady"));
  }

  static AtomizerAgentStatus crashLoop() {
    return status(
        cond("Ready", "False", "CrashLoopBackOff"),
        cond("PodHealthy", "False", "CrashLoopBackOff"));
  }

  static AtomizerAgentStatus oomKilled() {
    return status(cond("Ready", "False", "OOMKilled"), cond("PodHealthy", "False", "OOMKilled"));
  }

  static AtomizerAgentStatus tokenInvalid() {
    return status(
        cond("Ready", "False", "InvalidToken"),
        cond("PodHealthy", "Unknown", "NoPod"),
        cond("TokenReady", "False", "InvalidToken"));
  }

  static AtomizerAgentStatus backlogged() {
    var status = healthy();
    status.getConditions().add(cond("InboxHealthy", "False", "Backlogged"));
    return status;
  }

  private static AtomizerAgentStatus status(Condition... conditions) {
    var status = new AtomizerAgentStatus();
    status.setConditions(new ArrayList<>(List.of(conditions)));
    return status;
  }

  private static Condition cond(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("kubelet says: DISCORD_BOT_TOKEN=" + NOTIFIER_TOKEN)
        .build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
