package io.atomizer.operator.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How often the operator logs in to Discord: once per token per day, and never in a burst. */
class DiscordVerifierCacheTest {

  private static final String MANAGER_TOKEN = "MTAxMjM0.manager-token.valid";
  private static final String PROBE_TOKEN = "MTAxOTk5.probe-token.valid";

  private final VerifierDriver driver = new VerifierDriver();

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void manyReconcilesOfOneTokenLogInOnce() throws Exception {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var agents = new ArrayList<ResourceID>();
    for (int i = 0; i < 4; i++) {
      // agents sharing one Secret key, as after a copy-paste: verification is per token
      agents.add(driver.agent("agent-" + i, MANAGER_TOKEN));
    }
    var pool = Executors.newFixedThreadPool(4);
    for (int round = 0; round < 25; round++) {
      agents.forEach(a -> pool.submit(() -> driver.reconcile(a)));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    agents.forEach(a -> driver.awaitAnswer(a, v -> v instanceof Verification.Verified));
    for (int round = 0; round < 25; round++) {
      agents.forEach(driver::reconcile);
    }
    settle();

    assertEquals(1, driver.discord.logins(MANAGER_TOKEN), "one login for 200 reconciles");
  }

  @Test
  void answerIsCheckedAgainOnlyAfter24HoursAndKeepsItsDate() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);
    var first =
        (Verification.Verified)
            driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    driver.clock.advance(Duration.ofHours(23).plusMinutes(59));
    driver.reconcile(manager);
    settle();
    assertEquals(1, driver.discord.logins(MANAGER_TOKEN), "still fresh after 23 h 59 min");

    driver.clock.advance(Duration.ofMinutes(2));
    var during = driver.reconcile(manager);
    assertEquals(first, during, "the previous answer holds while the token is checked again");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.discord.logins(MANAGER_TOKEN) == 2);
    settle();
    assertEquals(first, driver.reconcile(manager), "same bot: verifiedAt is kept, status is quiet");
    assertEquals(2, driver.discord.logins(MANAGER_TOKEN));
  }

  @Test
  void tokenRevokedSinceTheLastCheckTurnsInvalidAtTheNextDailyCheck() {
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);
    driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    driver.discord.revoke(MANAGER_TOKEN);
    driver.clock.advance(Duration.ofHours(25));
    driver.reconcile(manager);

    driver.awaitAnswer(manager, v -> v instanceof Verification.Invalid);
  }

  @Test
  void rotatedTokenIsVerifiedAgainAtOnce() {
    var rotated = "MTAxMjM0.manager-token.rotated";
    driver.discord.bot(MANAGER_TOKEN, "1012340000000000001", "atomizer-manager");
    driver.discord.bot(rotated, "1012340000000000001", "atomizer-manager");
    driver.start(driver.fast());
    var manager = driver.agent("manager", MANAGER_TOKEN);
    driver.reconcile(manager);
    driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    driver.agent("manager", rotated); // the Secret now holds the new token
    assertInstanceOf(Verification.Pending.class, driver.reconcile(manager));
    driver.awaitAnswer(manager, v -> v instanceof Verification.Verified);

    assertEquals(1, driver.discord.logins(MANAGER_TOKEN));
    assertEquals(1, driver.discord.logins(rotated));
  }

  @Test
  void manyNewTokensAtOnceAreSpreadOutAndServedInOrder() {
    int agents = 6;
    int burst = 2;
    var interval = Duration.ofMillis(400);
    var fast = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            fast.apiBaseUrl(),
            fast.gatewayUrl(),
            fast.cacheFor(),
            fast.loginDeadline(),
            burst,
            interval,
            fast.retryInitial(),
            fast.retryMax()));
    // one login first, so that JDA's cold start does not blur the spacing; then a quiet period
    driver.discord.bot(PROBE_TOKEN, "1019990000000000001", "probe");
    var probe = driver.agent("probe", PROBE_TOKEN);
    driver.reconcile(probe);
    driver.awaitAnswer(probe, v -> v instanceof Verification.Verified);
    sleep(interval.multipliedBy(burst + 1));

    var started = new ArrayList<ResourceID>();
    var tokens = new ArrayList<String>();
    for (int i = 0; i < agents; i++) {
      var token = "MTAx" + i + ".agent-" + i + ".valid";
      driver.discord.bot(token, "10200000000000000" + i, "agent-" + i);
      tokens.add(token);
      started.add(driver.agent("agent-" + i, token));
    }
    started.forEach(driver::reconcile); // all applied at once, in this order
    started.forEach(a -> driver.awaitAnswer(a, v -> v instanceof Verification.Verified));

    List<io.atomizer.operator.support.FakeDiscord.Login> logins =
        driver.discord.logins().stream()
            .filter(l -> tokens.contains(l.token()))
            .sorted(Comparator.comparingLong(l -> l.nanoTime()))
            .toList();
    assertEquals(tokens, logins.stream().map(l -> l.token()).toList(), "first come, first served");
    double span = logins.get(agents - 1).nanoTime() - logins.get(0).nanoTime();
    double paced = (agents - burst) * (double) interval.toNanos();
    assertTrue(
        span / paced > 0.8,
        "after a burst of "
            + burst
            + ", logins are "
            + interval.toMillis()
            + " ms apart: span/expected = "
            + span / paced);
  }

  /**
   * Waits until the verifier is idle: a login for a probe token is queued behind anything the calls
   * before it queued, so once the probe is answered, those logins have happened.
   */
  private void settle() {
    var token = "MTAx" + System.nanoTime() + ".settle.valid";
    driver.discord.bot(token, "1019990000000000002", "settle");
    var probe = driver.agent("settle-" + token, token);
    driver.reconcile(probe);
    driver.awaitAnswer(probe, v -> v instanceof Verification.Verified);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
