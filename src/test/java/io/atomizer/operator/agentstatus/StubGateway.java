package io.atomizer.operator.agentstatus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenClaw gateway's HTTP RPC route on 127.0.0.1 that answers with a chosen status and body,
 * such as a {@code channels.status} answer recorded from the real agent. Records what it was sent.
 */
final class StubGateway implements AutoCloseable {

  /** One request: the Authorization header and the body. */
  record Request(String authorization, String body, String path) {}

  private final HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>("{}");
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  StubGateway() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          var sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  sent,
                  exchange.getRequestURI().getPath()));
          var bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /** The recorded answer {@code openclaw/channels-status-<name>.json}. */
  static String recorded(String name) {
    try (InputStream in =
        StubGateway.class.getResourceAsStream("/openclaw/channels-status-" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  StubGateway answer(int httpStatus, String json) {
    body.set(json);
    status.set(httpStatus);
    return this;
  }

  /** Answers one call of {@code client} with this stub's answer. */
  DiscordStatus fetchWith(ChannelStatusClient client, String token) {
    return client.fetch(new GatewayTarget(baseUrl(), token));
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
