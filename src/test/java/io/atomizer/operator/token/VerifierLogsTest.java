package io.atomizer.operator.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.atomizer.operator.support.FakeDiscord.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Nothing the verifier or JDA logs, at any level, contains a token. */
class VerifierLogsTest {

  private static final String VALID = "MTAxMjM0.LEAKCHECK-valid-token.aaaa";
  private static final String REVOKED = "MTAxMjM1.LEAKCHECK-revoked-token.bbbb";
  private static final String UNLUCKY = "MTAxMjM2.LEAKCHECK-unlucky-token.cccc";

  private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final List<Level> previousLevels = new ArrayList<>();
  private final List<String> loggers = List.of("net.dv8tion", "io.atomizer");
  private final VerifierDriver driver = new VerifierDriver();

  @BeforeEach
  void captureEverything() {
    captured.setContext(logging);
    captured.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
    for (var name : loggers) {
      previousLevels.add(logging.getLogger(name).getLevel());
      logging.getLogger(name).setLevel(Level.TRACE);
    }
  }

  @AfterEach
  void restore() {
    driver.close();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    for (int i = 0; i < loggers.size(); i++) {
      logging.getLogger(loggers.get(i)).setLevel(previousLevels.get(i));
    }
  }

  @Test
  void verifierNeverLogsTheToken() {
    driver.discord.bot(VALID, "1012340000000000001", "atomizer-manager");
    driver.discord.bot(UNLUCKY, "1012360000000000001", "atomizer-unlucky");
    var fast = driver.fast();
    driver.start(
        new VerifierSettings(
            true,
            fast.apiBaseUrl(),
            fast.gatewayUrl(),
            fast.cacheFor(),
            Duration.ofMillis(700),
            fast.loginBurst(),
            fast.loginInterval(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5)));
    var answers = new ArrayList<Verification>();

    var valid = driver.agent("manager", VALID);
    driver.reconcile(valid);
    answers.add(driver.awaitAnswer(valid, v -> v instanceof Verification.Verified));
    var revoked = driver.agent("secretary", REVOKED);
    driver.reconcile(revoked);
    answers.add(driver.awaitAnswer(revoked, v -> v instanceof Verification.Invalid));
    driver.discord.mode(Mode.SERVER_ERROR);
    var down = driver.agent("auditor", UNLUCKY);
    driver.reconcile(down);
    answers.add(driver.awaitAnswer(down, v -> v instanceof Verification.Unavailable));
    driver.discord.mode(Mode.HANG);
    driver.clock.advance(Duration.ofMinutes(10));
    driver.reconcile(down);
    driver.awaitAnswer(
        down, v -> v instanceof Verification.Unavailable u && u.failure().name().equals("TIMEOUT"));
    driver.discord.mode(Mode.UP);

    var text = new StringBuilder();
    for (var event : captured.list) {
      text.append(event.getFormattedMessage()).append('\n');
      append(text, event.getThrowableProxy());
      if (event.getMDCPropertyMap() != null) {
        text.append(event.getMDCPropertyMap()).append('\n');
      }
    }
    answers.forEach(a -> text.append(a).append('\n'));

    assertTrue(captured.list.size() > 5, "the test captured the logs: " + captured.list.size());
    assertTrue(
        text.toString().contains(VerifierDriver.fingerprint(VALID)), "fingerprints are logged");
    for (var token : List.of(VALID, REVOKED, UNLUCKY)) {
      assertFalse(text.toString().contains(token), "a token appeared in the logs");
    }
    assertFalse(text.toString().contains("LEAKCHECK"), "part of a token appeared in the logs");
  }

  private static void append(StringBuilder text, IThrowableProxy proxy) {
    for (var p = proxy; p != null; p = p.getCause()) {
      text.append(p.getClassName()).append(": ").append(p.getMessage()).append('\n');
      for (var frame : p.getStackTraceElementProxyArray()) {
        text.append(frame.getSTEAsString()).append('\n');
      }
    }
  }
}
