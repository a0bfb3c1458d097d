package io.atomizer.operator.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Discord that lives on 127.0.0.1 for tests, for two clients: the operator (JDA verification and
 * the notifier) and the agent itself (OpenClaw's Discord plugin, pointed here with {@link
 * #agentApiUrl()}). REST: {@code GET users/@me}, {@code GET gateway/bot}, {@code GET
 * oauth2/applications/@me}, the application commands ({@code GET/POST/PUT
 * applications/{id}/commands}) and {@code POST channels/{id}/messages}. Gateway: answers like
 * Discord's (HELLO on connect, READY on IDENTIFY, ACK on heartbeat; JSON, no compression). It
 * counts every login per token, records every REST call (method, path, status; never the token),
 * and can be switched to "down" (HTTP 500), "hanging" (never answers), or a gateway that closes
 * every session with a given close code.
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

  /** One REST call: method, path (without the query) and the status answered (0: none). */
  public record Call(String method, String path, int status) {
    @Override
    public String toString() {
      return method + " " + path + " " + status;
    }
  }

  private static final Pattern MESSAGES = Pattern.compile("/api/v10/channels/(\\d+)/messages");
  private static final Pattern COMMANDS =
      Pattern.compile("/api/v10/applications/(\\d+)(/guilds/\\d+)?/commands(/\\d+)?");

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpServer server;
  private final Map<String, Bot> bots = new ConcurrentHashMap<>();
  private final List<Login> logins = new CopyOnWriteArrayList<>();
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<Identify> identifies = new CopyOnWriteArrayList<>();
  private final AtomicInteger gatewayConnections = new AtomicInteger();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<ServerWebSocket> sessions = ConcurrentHashMap.newKeySet();
  private final Map<ServerWebSocket, String> sessionTokens = new ConcurrentHashMap<>();
  private final AtomicInteger gatewayCloseCode = new AtomicInteger();
  private final AtomicInteger commandIds = new AtomicInteger();

  public FakeDiscord() {
    this("127.0.0.1");
  }

  /**
   * Listening on {@code host} ({@code 0.0.0.0}: every address, for agents in pods that reach it
   * through a forwarder on their own loopback); {@link #agentApiUrl} still names 127.0.0.1.
   */
  public FakeDiscord(String host) {
    try {
      server =
          vertx
              .createHttpServer(new HttpServerOptions().setHost(host).setPort(0))
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

  /**
   * Revokes {@code token} and closes its open gateway sessions with 4004 ("Authentication
   * failed."), as Discord does when a bot's token is reset; other bots' sessions stay open.
   */
  public void reject(String token) {
    revoke(token);
    vertx.runOnContext(
        v ->
            sessionTokens.forEach(
                (socket, t) -> {
                  if (t.equals(token)) {
                    socket.close((short) 4004, "Authentication failed.");
                  }
                }));
  }

  public void mode(Mode newMode) {
    mode.set(newMode);
  }

  /**
   * From now on the gateway closes every session with {@code code} (as Discord does with 4004 for a
   * token it no longer accepts), the open ones at once and new ones on IDENTIFY; 0 restores it.
   */
  public void closeGateway(int code) {
    gatewayCloseCode.set(code);
    if (code != 0) {
      vertx.runOnContext(
          v -> sessions.forEach(socket -> socket.close((short) code, "closed by the fake")));
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The REST base URL for OpenClaw's {@code DISCORD_API_URL} (no trailing slash). */
  public String agentApiUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/v10";
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

  /** The gateway sessions open now. */
  public int openSessions() {
    return sessions.size();
  }

  /** Every REST call so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
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
    var method = request.method().name();
    // discord.js-style clients send users/%40me
    var path = request.path().replace("%40", "@");
    int answer = current == Mode.UP ? (bots.containsKey(token) ? 200 : 401) : 500;
    calls.add(new Call(method, path, current == Mode.HANG ? 0 : answer));
    if ("GET".equals(method) && path.equals("/api/v10/users/@me")) {
      int status = answer;
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
    if ("GET".equals(method) && path.equals("/api/v10/gateway/bot")) {
      answer(request, current, answer, () -> gatewayBot());
      return;
    }
    if ("GET".equals(method) && path.equals("/api/v10/oauth2/applications/@me")) {
      answer(request, current, answer, () -> application(bots.get(token)));
      return;
    }
    var commands = COMMANDS.matcher(path);
    if (commands.matches()) {
      request.bodyHandler(
          body ->
              answer(request, current, answer, () -> commands(method, commands.group(1), body)));
      return;
    }
    var channel = MESSAGES.matcher(path);
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
    calls.set(calls.size() - 1, new Call(method, path, 404));
    error(request, 404);
  }

  private void answer(HttpServerRequest request, Mode current, int status, Supplier<Object> body) {
    if (current == Mode.HANG) {
      return;
    }
    if (status != 200) {
      error(request, status);
      return;
    }
    var value = body.get();
    request
        .response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(value instanceof JsonArray array ? array.encode() : ((JsonObject) value).encode());
  }

  private JsonObject gatewayBot() {
    return new JsonObject()
        .put("url", "ws://127.0.0.1:" + server.actualPort())
        .put("shards", 1)
        .put(
            "session_start_limit",
            new JsonObject()
                .put("total", 1000)
                .put("remaining", 1000)
                .put("reset_after", 0)
                .put("max_concurrency", 1));
  }

  private static JsonObject application(Bot bot) {
    return new JsonObject()
        .put("id", bot.id())
        .put("name", bot.name())
        .put("icon", null)
        .put("description", "")
        .put("bot_public", false)
        .put("bot_require_code_grant", false)
        .put("verify_key", "0".repeat(64))
        .put("flags", 0)
        .put(
            "owner",
            new JsonObject().put("id", "1").put("username", "owner").put("discriminator", "0"))
        .put(
            "bot",
            new JsonObject()
                .put("id", bot.id())
                .put("username", bot.name())
                .put("discriminator", "0")
                .put("bot", true));
  }

  /** The application commands: none registered; what is sent comes back with ids. */
  private Object commands(String method, String applicationId, Buffer body) {
    return switch (method) {
      case "GET" -> new JsonArray();
      case "PUT" -> {
        var sent = body.length() == 0 ? new JsonArray() : new JsonArray(body);
        var out = new JsonArray();
        sent.forEach(c -> out.add(command(applicationId, (JsonObject) c)));
        yield out;
      }
      default ->
          command(applicationId, body.length() == 0 ? new JsonObject() : new JsonObject(body));
    };
  }

  private JsonObject command(String applicationId, JsonObject sent) {
    return sent.copy()
        .put("id", String.valueOf(1_000_000 + commandIds.incrementAndGet()))
        .put("application_id", applicationId)
        .put("version", "1");
  }

  private void gateway(ServerWebSocket socket) {
    gatewayConnections.incrementAndGet();
    sessions.add(socket);
    socket.closeHandler(
        v -> {
          sessions.remove(socket);
          sessionTokens.remove(socket);
        });
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
    sessionTokens.put(socket, token);
    if (bot == null) {
      socket.close((short) 4004, "Authentication failed.");
      return;
    }
    int closeCode = gatewayCloseCode.get();
    if (closeCode != 0) {
      socket.close((short) closeCode, "closed by the fake");
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
                    .put("global_name", null)
                    .put("avatar", null)
                    .put("bot", true))
            .put("guilds", new JsonArray())
            .put("private_channels", new JsonArray())
            .put("session_id", "fake-session-" + identifies.size())
            .put("resume_gateway_url", "ws://127.0.0.1:" + server.actualPort())
            .put("shard", new JsonArray().add(0).add(1))
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
            .put(
                "message",
                switch (status) {
                  case 401 -> "401: Unauthorized";
                  case 404 -> "404: Not Found";
                  default -> "Internal Server Error";
                })
            .put("code", 0));
  }
}
