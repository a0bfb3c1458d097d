package io.atomizer.operator.agentstatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Asks an agent's OpenClaw gateway for its Discord channel status, through the gateway's HTTP RPC
 * route: {@code POST /api/v1/admin/rpc} with {@code {"method":"channels.status"}} and {@code
 * Authorization: Bearer <gateway token>}. The route belongs to OpenClaw's bundled {@code
 * admin-http-rpc} plugin, which the agent's config must enable ({@code
 * plugins.entries.admin-http-rpc.enabled=true}); without it the gateway answers 404 and the status
 * is unreadable. The method and the answer are those of the gateway's WebSocket RPC, which {@code
 * openclaw channels status --json} uses; the WebSocket itself would need a paired device identity
 * for a caller that is not on the pod's loopback.
 */
public final class ChannelStatusClient {

  /** The gateway's HTTP RPC route. */
  public static final String RPC_PATH = "/api/v1/admin/rpc";

  /** The RPC method that reports every channel's status. */
  public static final String METHOD = "channels.status";

  private static final String CHANNEL = "discord";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN_LIKE =
      Pattern.compile("[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{20,}");

  private final HttpClient http;
  private final Duration timeout;

  public ChannelStatusClient(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            // the JDK client otherwise offers an h2c upgrade on plain HTTP; OpenClaw's gateway
            // (which takes upgrades for its WebSocket) then never answered the call
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** One call; never throws: what went wrong is in the returned status, without the token. */
  public DiscordStatus fetch(GatewayTarget target) {
    var where = target.baseUrl().getAuthority();
    HttpResponse<String> response;
    try {
      var request =
          HttpRequest.newBuilder(target.baseUrl().resolve(URI.create(RPC_PATH)))
              .timeout(timeout)
              .header("Authorization", "Bearer " + target.token())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"" + METHOD + "\"}"))
              .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return DiscordStatus.unreadable(
          "The agent's gateway at "
              + where
              + " did not answer within "
              + timeout.toSeconds()
              + "s.");
    } catch (IOException e) {
      return DiscordStatus.unreadable(
          "The agent's gateway at "
              + where
              + " cannot be reached ("
              + e.getClass().getSimpleName()
              + ").");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DiscordStatus.unreadable("The poll was interrupted.");
    }
    return interpret(response.statusCode(), response.body(), target.token());
  }

  /** Turns the gateway's answer into a status; public for the tests of recorded answers. */
  public static DiscordStatus interpret(int httpStatus, String body, String gatewayToken) {
    switch (httpStatus) {
      case 404, 405 -> {
        return DiscordStatus.unreadable(
            "The agent's gateway has no "
                + RPC_PATH
                + " (HTTP "
                + httpStatus
                + "): enable OpenClaw's bundled admin-http-rpc plugin"
                + " (plugins.entries.admin-http-rpc.enabled=true in the agent's config) so that"
                + " the operator can read the Discord status.");
      }
      case 401, 403 -> {
        return DiscordStatus.unreadable(
            "The agent's gateway refused the gateway token (HTTP "
                + httpStatus
                + "): the operator reads it from OPENCLAW_GATEWAY_TOKEN in spec.env, which must"
                + " be the token the gateway's config uses (gateway.auth.token).");
      }
      default -> {
        // below
      }
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(body == null ? "" : body);
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      return DiscordStatus.unreadable(
          "The agent's gateway answered HTTP " + httpStatus + " without a JSON RPC response.");
    }
    if (!answer.path("ok").asBoolean(false)) {
      var error = answer.path("error");
      return DiscordStatus.unreadable(
          "The agent's gateway answered "
              + METHOD
              + " with "
              + error.path("code").asText("an error")
              + ": "
              + clean(error.path("message").asText("no details"), gatewayToken));
    }
    return channel(answer.path("payload"), gatewayToken);
  }

  private static DiscordStatus channel(JsonNode payload, String gatewayToken) {
    var summary = payload.path("channels").path(CHANNEL);
    var known = !summary.isMissingNode() || contains(payload.path("channelOrder"), CHANNEL);
    var accounts = payload.path("channelAccounts").path(CHANNEL);
    var defaultId = payload.path("channelDefaultAccountId").path(CHANNEL).asText("default");
    JsonNode account = null;
    for (var candidate : accounts) {
      if (account == null || defaultId.equals(candidate.path("accountId").asText())) {
        account = candidate;
      }
    }
    if (account == null) {
      return DiscordStatus.read(
          known,
          summary.path("configured").asBoolean(false),
          false,
          summary.path("running").asBoolean(false),
          summary.has("connected") ? summary.path("connected").asBoolean() : null,
          null,
          error(summary, gatewayToken),
          null);
    }
    var lastError = error(account, gatewayToken);
    return DiscordStatus.read(
        known,
        account.path("configured").asBoolean(summary.path("configured").asBoolean(false)),
        account.path("enabled").asBoolean(true),
        account.path("running").asBoolean(false),
        account.has("connected") && !account.path("connected").isNull()
            ? account.path("connected").asBoolean()
            : null,
        account.hasNonNull("lifecycle") ? account.path("lifecycle").asText() : null,
        lastError != null ? lastError : error(summary, gatewayToken),
        account.path("lastDisconnect").path("status").canConvertToInt()
            ? account.path("lastDisconnect").path("status").asInt()
            : null);
  }

  private static String error(JsonNode node, String gatewayToken) {
    var text = node.path("lastError");
    return text.isTextual() && !text.asText().isBlank() ? clean(text.asText(), gatewayToken) : null;
  }

  /** One line, at most 300 characters, without the gateway token or anything token-like. */
  static String clean(String message, String gatewayToken) {
    var text = message;
    if (gatewayToken != null && !gatewayToken.isEmpty()) {
      text = text.replace(gatewayToken, "(redacted)");
    }
    text = TOKEN_LIKE.matcher(text).replaceAll("(redacted)").replaceAll("\\s+", " ").strip();
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private static boolean contains(JsonNode array, String value) {
    for (var item : array) {
      if (value.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }
}
