package io.atomizer.operator.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged while it is open: each event's message, its exceptions' messages and
 * its MDC, as text, so that a test can look for a token in it. It can also keep the console quiet
 * (a chaos run logs thousands of expected failures) and count what was logged by level.
 */
public final class LogCapture implements AutoCloseable {

  private static final int KEEP = 200_000;

  private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ch.qos.logback.classic.Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final List<String> timed = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> byLevel = new ConcurrentHashMap<>();
  private final List<Appender<ILoggingEvent>> muted = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          byLevel
              .computeIfAbsent(event.getLevel().toString(), l -> new AtomicLong())
              .incrementAndGet();
          if (texts.size() < KEEP) {
            var text = text(event);
            texts.add(text);
            timed.add(java.time.Instant.ofEpochMilli(event.getTimeStamp()) + " " + text);
          }
          if (event.getLevel() == Level.ERROR && !muted.isEmpty()) {
            // kept visible: JOSDK's last words before it ends the JVM (an informer that stopped)
            System.err.println(
                java.time.Instant.ofEpochMilli(event.getTimeStamp()) + " " + text(event));
          }
        }
      };

  /** Starts capturing; with {@code muteConsole}, the console appenders are detached meanwhile. */
  public LogCapture(boolean muteConsole) {
    appender.setContext(logging);
    appender.start();
    if (muteConsole) {
      root.iteratorForAppenders().forEachRemaining(muted::add);
      muted.forEach(root::detachAppender);
    }
    root.addAppender(appender);
  }

  /** Sets the level of {@code logger} for the rest of the JVM's life, for example TRACE. */
  public LogCapture level(String logger, Level level) {
    logging.getLogger(logger).setLevel(level);
    return this;
  }

  /** Everything captured so far, one text per event. */
  public List<String> texts() {
    return List.copyOf(texts);
  }

  /** The captured texts, each after the instant it was logged at. */
  public List<String> timedTexts() {
    return List.copyOf(timed);
  }

  /** Captured texts containing any of {@code secrets}, with the secret replaced by its length. */
  public List<String> containing(Collection<String> secrets) {
    var found = new ArrayList<String>();
    for (var text : texts) {
      for (var secret : secrets) {
        if (text.contains(secret)) {
          found.add(text.replace(secret, "<secret of " + secret.length() + " chars>"));
        }
      }
    }
    return found;
  }

  /** How many events were logged at each level. */
  public Map<Level, Long> countsByLevel() {
    var counts = new java.util.LinkedHashMap<Level, Long>();
    for (var level : List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE)) {
      var n = byLevel.get(level.toString());
      if (n != null) {
        counts.put(level, n.get());
      }
    }
    return counts;
  }

  private static String text(ILoggingEvent event) {
    var text =
        new StringBuilder(event.getLevel().toString())
            .append(' ')
            .append(event.getLoggerName())
            .append(": ")
            .append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    if (event.getMDCPropertyMap() != null && !event.getMDCPropertyMap().isEmpty()) {
      text.append(" ").append(event.getMDCPropertyMap());
    }
    return text.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    muted.forEach(root::addAppender);
  }
}
