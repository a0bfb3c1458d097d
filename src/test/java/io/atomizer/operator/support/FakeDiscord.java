package io.atomizer.operator.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A Discord that lives on 127.0.0.1 for tests: the REST routes the operator uses ({@code GET
 * /api/v10/users/@me} and {@code POST /api/v10/channels/{id}/messages}) and a gateway that answers
 * like Discord's (HELLO on connect, READY on IDENTIFY, ACK on heartbeat; JSON, no compression). It
 * counts every login per token, and can be switched to "down" (HTTP 500) or "hanging" (never
 * answers).
 */
public final class FakeDiscord implements AutoCloseable {

  /** How the REST API answers. */
  public enum Mode {
    UP,
    SERVER_ERROR,
    HANG
  }

  /** A bot user the fake knows. */
  public record Bot(String id, String name) {}

  /** One {@code GET users/@me}: the token it carried, when it arrived, and the answer. */
  public record Login(String token, long nanoTime, int status) {}

  /** One message posted to a channel, with the token that posted it. */
  public record Message(String channelId, String token, String content, long nanoTime) {}

  /** One IDENTIFY on the gateway, with what the client asked for. */
  public record Identify(String token, int intents, boolean compress) {}

  private static final Pattern MESSAGES = Pattern.compile("/api/v10/channels/(\\d+)/messages");

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpServer server;
  private final Map<String, Bot> bots = new ConcurrentHashMap<>();
  private final List<Login> logins = new CopyOnWriteArrayList<>();
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<Identify> identifies = new CopyOnWriteArrayList<>();
  private final AtomicInteger gatewayConnections = new AtomicInteger();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);

  public FakeDiscord() {
    try {
      server =
          vertx
              .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
              .webSocketHandler(this::gateway)
              .requestHandler(this::rest)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the fake Discord did not start", e);
    }
  }

  /** Makes {@code token} a valid token of bot {@code id}/{@code name}. */
  public FakeDiscord bot(String token, String id, String name) {
    bots.put(token, new Bot(id, name));
    return this;
  }

  /** Revokes {@code token}: from now on it gets 401. */
  public void revoke(String token) {
    bots.remove(token);
  }

  public void mode(Mode newMode) {
    mode.set(newMode);
  }

  /** The REST base URL, as the operator's ATOMIZER_DISCORD_API_URL. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/v10/";
  }

  /** The gateway URL, as the operator's ATOMIZER_DISCORD_GATEWAY_URL. */
  public String gatewayUrl() {
    return "ws://127.0.0.1:" + server.actualPort() + "/gateway";
  }

  public List<Login> logins() {
    return List.copyOf(logins);
  }

  public long logins(String token) {
    return logins.stream().filter(l -> l.token().equals(token)).count();
  }

  public List<Message> messages() {
    return List.copyOf(messages);
  }

  public List<Identify> identifies() {
    return List.copyOf(identifies);
  }

  public int gatewayConnections() {
    return gatewayConnections.get();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the JVM ends soon anyway; nothing else holds the port
    }
  }

  private void rest(HttpServerRequest request) {
    var current = mode.get();
    var token = botToken(request.getHeader("Authorization"));
    if ("GET".equals(request.method().name()) && request.path().equals("/api/v10/users/@me")) {
      int status = current == Mode.UP ? (bots.containsKey(token) ? 200 : 401) : 500;
      logins.add(new Login(token, System.nanoTime(), current == Mode.HANG ? 0 : status));
      if (current == Mode.HANG) {
        return;
      }
      if (status == 200) {
        var bot = bots.get(token);
        json(
            request,
            200,
            new JsonObject()
                .put("id", bot.id())
                .put("username", bot.name())
                .put("discriminator", "0")
                .put("global_name", null)
                .put("avatar", null)
                .put("bot", true)
                .put("verified", true)
                .put("mfa_enabled", false)
                .put("flags", 0));
      } else {
        error(request, status);
      }
      return;
    }
    var channel = MESSAGES.matcher(request.path());
    if ("POST".equals(request.method().name()) && channel.matches()) {
      request.bodyHandler(
          body -> {
            if (current == Mode.HANG) {
              return;
            }
            if (current == Mode.SERVER_ERROR) {
              error(request, 500);
              return;
            }
            if (!bots.containsKey(token)) {
              error(request, 401);
              return;
            }
            var content = new JsonObject(body).getString("content");
            messages.add(new Message(channel.group(1), token, content, System.nanoTime()));
            json(
                request,
                200,
                new JsonObject()
                    .put("id", String.valueOf(messages.size()))
                    .put("channel_id", channel.group(1))
                    .put("content", content));
          });
      return;
    }
    error(request, 404);
  }

  private void gateway(ServerWebSocket socket) {
    gatewayConnections.incrementAndGet();
    socket.writeTextMessage(
        new JsonObject()
            .put("op", 10)
            .put("s", null)
            .put("t", null)
            .put("d", new JsonObject().put("heartbeat_interval", 41250))
            .encode());
    socket.textMessageHandler(
        text -> {
          var payload = new JsonObject(text);
          switch (payload.getInteger("op", -1)) {
            case 1 -> socket.writeTextMessage(new JsonObject().put("op", 11).encode());
            case 2 -> identify(socket, payload.getJsonObject("d"));
            default -> {
              // presence updates and the like need no answer
            }
          }
        });
  }

  private void identify(ServerWebSocket socket, JsonObject d) {
    var token = botToken(d.getString("token"));
    identifies.add(
        new Identify(token, d.getInteger("intents", 0), d.getBoolean("compress", false)));
    var bot = bots.get(token);
    if (bot == null) {
      socket.close((short) 4004, "Authentication failed.");
      return;
    }
    var ready =
        new JsonObject()
            .put("v", 10)
            .put(
                "user",
                new JsonObject()
                    .put("id", bot.id())
                    .put("username", bot.name())
                    .put("discriminator", "0")
                    .put("bot", true))
            .put("guilds", new JsonArray())
            .put("private_channels", new JsonArray())
            .put("session_id", "fake-session-" + identifies.size())
            .put("resume_gateway_url", gatewayUrl())
            .put("application", new JsonObject().put("id", bot.id()).put("flags", 0));
    socket.writeTextMessage(
        new JsonObject().put("op", 0).put("s", 1).put("t", "READY").put("d", ready).encode());
  }

  private static String botToken(String authorization) {
    if (authorization == null) {
      return "";
    }
    return authorization.startsWith("Bot ") ? authorization.substring(4) : authorization;
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static void error(HttpServerRequest request, int status) {
    json(
        request,
        status,
        new JsonObject()
            .put("message", status == 401 ? "401: Unauthorized" : "Internal Server Error")
            .put("code", 0));
  }
}
