package io.atomizer.operator.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own HTTP endpoint (the JDK's built-in server, two daemon threads):
 *
 * <ul>
 *   <li>{@code /metrics}: every metric in the Prometheus text format;
 *   <li>{@code /healthz}: 200 while the process serves requests (liveness);
 *   <li>{@code /readyz}: 200 once the operator has started and its informers are healthy, else 503
 *       (readiness). A hung workspaces volume does not make the operator unready: that is reported
 *       per agent, as InboxHealthy=Unknown.
 * </ul>
 */
public final class OperatorHttpServer implements AutoCloseable {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(OperatorHttpServer.class);

  private final HttpServer server;
  private final ExecutorService threads;

  private OperatorHttpServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Serves on {@code port} on every interface; port 0 picks a free port (see {@link #port()}).
   * Callers turn the endpoint off for ATOMIZER_HTTP_PORT=0 by not starting it.
   */
  public static OperatorHttpServer start(int port, OperatorMetrics metrics, BooleanSupplier ready)
      throws IOException {
    return start(new InetSocketAddress(port), metrics, ready);
  }

  public static OperatorHttpServer start(
      InetSocketAddress address, OperatorMetrics metrics, BooleanSupplier ready)
      throws IOException {
    var server = HttpServer.create(address, 16);
    var count = new AtomicInteger();
    var threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              var t = new Thread(r, "http-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", exchange -> handle(exchange, metrics, ready));
    server.start();
    log.info("Serving /metrics, /healthz and /readyz on port {}", server.getAddress().getPort());
    return new OperatorHttpServer(server, threads);
  }

  /** Ready when {@code operator} has started and all its event sources are healthy. */
  public static BooleanSupplier readiness(Operator operator) {
    return () -> {
      var info = operator.getRuntimeInfo();
      return info.isStarted() && info.allEventSourcesAreHealthy();
    };
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void handle(HttpExchange exchange, OperatorMetrics metrics, BooleanSupplier ready)
      throws IOException {
    try (exchange) {
      var method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
        case "/healthz" -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz" -> {
          boolean isReady;
          try {
            isReady = ready.getAsBoolean();
          } catch (RuntimeException e) {
            isReady = false;
          }
          respond(
              exchange,
              isReady ? 200 : 503,
              "text/plain; charset=utf-8",
              isReady ? "ready\n" : "not ready: the operator is starting or an informer is down\n");
        }
        default -> respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      }
    }
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    var bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
