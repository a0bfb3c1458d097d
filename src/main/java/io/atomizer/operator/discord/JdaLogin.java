package io.atomizer.operator.discord;

import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.Response;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;

/**
 * Logs in with JDA the way the issue asks: no gateway intents, every cache off, compression off,
 * read the self user, then {@code shutdownNow} at once. {@code JDABuilder.build()} calls {@code GET
 * users/@me} synchronously and throws {@link InvalidTokenException} on 401.
 *
 * <p>The login opens no gateway session. JDA would start one asynchronously right after {@code
 * build()}, racing with {@code shutdownNow}; whether it got as far as IDENTIFY would then be
 * chance. Each IDENTIFY counts against the bot's daily budget (about 1000), and the team has seen
 * Discord reset a token after an IDENTIFY storm, so the session controller here accepts JDA's
 * request to connect and never runs it. It still names the configured gateway URL, so that nothing
 * could reach the real Discord from a test.
 */
public final class JdaLogin implements DiscordLogin {

  private final String apiBaseUrl;
  private final String gatewayUrl;

  /**
   * @param apiBaseUrl the REST base URL including the version, e.g. {@code
   *     https://discord.com/api/v10/}
   * @param gatewayUrl the gateway URL, e.g. {@code wss://gateway.discord.gg/}
   */
  public JdaLogin(String apiBaseUrl, String gatewayUrl) {
    this.apiBaseUrl = apiBaseUrl;
    this.gatewayUrl = gatewayUrl;
  }

  @Override
  public Result login(String token) {
    JDA jda = null;
    try {
      jda =
          JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
              .setRestConfig(new RestConfig().setBaseUrl(apiBaseUrl))
              .setCompression(Compression.NONE)
              .setSessionController(new NoGatewaySession(gatewayUrl))
              .setAutoReconnect(false)
              .setEnableShutdownHook(false)
              .setRequestTimeoutRetry(false)
              .build();
      var self = jda.getSelfUser();
      return new Accepted(self.getId(), self.getName());
    } catch (InvalidTokenException rejected) {
      return new Rejected();
    } catch (ErrorResponseException e) {
      return classify(e.getResponse());
    } catch (RuntimeException e) {
      return new Failed(Failure.ERROR, e.getClass().getSimpleName());
    } finally {
      if (jda != null) {
        jda.shutdownNow();
      }
    }
  }

  /** By HTTP status, or for I/O failures (no status) by the type of the I/O exception. */
  static Result classify(Response response) {
    int status = response.code;
    if (status == 401) {
      return new Rejected();
    }
    if (status == 429) {
      return new Failed(Failure.RATE_LIMITED, "HTTP 429");
    }
    if (status >= 500) {
      return new Failed(Failure.SERVER_ERROR, "HTTP " + status);
    }
    if (status > 0) {
      return new Failed(Failure.UNEXPECTED_RESPONSE, "HTTP " + status);
    }
    for (Throwable t = response.getException(); t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new Failed(Failure.DNS_FAILURE, t.getClass().getSimpleName());
      }
      if (t instanceof InterruptedIOException) {
        // SocketTimeoutException and OkHttp's call timeout both extend it
        return new Failed(Failure.TIMEOUT, t.getClass().getSimpleName());
      }
    }
    var cause = response.getException();
    return new Failed(
        Failure.CONNECTION_FAILED,
        cause == null ? "no response" : cause.getClass().getSimpleName());
  }

  /** Names the gateway, and never connects to it. */
  private static final class NoGatewaySession extends SessionControllerAdapter {
    private final String gatewayUrl;

    NoGatewaySession(String gatewayUrl) {
      this.gatewayUrl = gatewayUrl;
    }

    @Override
    public String getGateway() {
      return gatewayUrl;
    }

    @Override
    public void appendSession(SessionConnectNode node) {
      // the verification needs the REST login only; see the class comment
    }

    @Override
    public void removeSession(SessionConnectNode node) {
      // nothing was appended
    }
  }
}
