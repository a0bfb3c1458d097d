package io.atomizer.operator.agentstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.agentstatus.DiscordStatus.Read;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.status.DiscordConnected;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a stub gateway that answers what OpenClaw 2026.9.6 answered on this host. */
class ChannelStatusClientTest {

  private static final String TOKEN = "gw-token-f3c9a1d07e";

  private final StubGateway gateway = new StubGateway();
  private final ChannelStatusClient client = new ChannelStatusClient(Duration.ofSeconds(2));

  @AfterEach
  void close() {
    gateway.close();
  }

  private DiscordStatus fetch() {
    return client.fetch(new GatewayTarget(gateway.baseUrl(), TOKEN));
  }

  @Test
  void asksChannelsStatusWithTheGatewayTokenAsBearer() {
    gateway.answer(200, StubGateway.recorded("connected"));
    fetch();
    var request = gateway.requests().get(0);
    assertEquals(ChannelStatusClient.RPC_PATH, request.path());
    assertEquals("Bearer " + TOKEN, request.authorization());
    assertTrue(request.body().contains("\"method\":\"channels.status\""), request.body());
  }

  @Test
  void connectedAgent() {
    var status = gateway.answer(200, StubGateway.recorded("connected")).fetchWith(client, TOKEN);
    assertEquals(Read.READ, status.read());
    assertTrue(status.online());
    assertEquals("ready", status.lifecycle());
    assertNull(status.lastError());
  }

  @Test
  void gatewayClosedWith4004() {
    var status = gateway.answer(200, StubGateway.recorded("closed4004")).fetchWith(client, TOKEN);
    assertFalse(status.online());
    assertFalse(status.running());
    assertEquals(4004, status.disconnectCode());
    assertEquals("blocked", status.lifecycle());
    assertTrue(status.lastError().contains("4004"), status.lastError());
  }

  @Test
  void gatewayClosedWith4000IsRetried() {
    var status = gateway.answer(200, StubGateway.recorded("closed4000")).fetchWith(client, TOKEN);
    assertTrue(status.running());
    assertFalse(status.online());
    assertEquals(4000, status.disconnectCode());
    assertEquals("recovering", status.lifecycle());
    assertEquals(Conditions.DISCONNECTED, DiscordConnected.decide(status).reason());
  }

  @Test
  void recordedAnswersDecideTheCondition() {
    assertEquals(
        Conditions.CONNECTED,
        DiscordConnected.decide(
                gateway.answer(200, StubGateway.recorded("connected")).fetchWith(client, TOKEN))
            .reason());
    assertEquals(
        Conditions.INVALID_TOKEN,
        DiscordConnected.decide(
                gateway.answer(200, StubGateway.recorded("closed4004")).fetchWith(client, TOKEN))
            .reason());
    assertEquals(
        Conditions.INVALID_TOKEN,
        DiscordConnected.decide(
                gateway.answer(200, StubGateway.recorded("401")).fetchWith(client, TOKEN))
            .reason());
    assertEquals(
        Conditions.PLUGIN_NOT_LOADED,
        DiscordConnected.decide(
                gateway.answer(200, StubGateway.recorded("notloaded")).fetchWith(client, TOKEN))
            .reason());
  }

  @Test
  void tokenRejectedWith401() {
    var status = gateway.answer(200, StubGateway.recorded("401")).fetchWith(client, TOKEN);
    assertFalse(status.online());
    assertEquals(401, status.disconnectCode());
    assertTrue(status.lastError().contains("(401)"), status.lastError());
  }

  @Test
  void pluginRefused() {
    var status = gateway.answer(200, StubGateway.recorded("notloaded")).fetchWith(client, TOKEN);
    assertTrue(status.channelKnown());
    assertFalse(status.running());
    assertTrue(status.lastError().contains("PluginTrustRefusalError"), status.lastError());
  }

  @Test
  void noDiscordChannelAtAll() {
    var status =
        gateway
            .answer(200, "{\"ok\":true,\"payload\":{\"channelOrder\":[],\"channels\":{}}}")
            .fetchWith(client, TOKEN);
    assertEquals(Read.READ, status.read());
    assertFalse(status.channelKnown());
  }

  @Test
  void routeNotEnabledSaysHowToEnableIt() {
    var status = gateway.answer(404, "Not Found").fetchWith(client, TOKEN);
    assertEquals(Read.UNREADABLE, status.read());
    assertTrue(status.problem().contains("admin-http-rpc"), status.problem());
  }

  @Test
  void refusedGatewayTokenIsNeverShown() {
    var status = gateway.answer(401, "{\"error\":\"" + TOKEN + "\"}").fetchWith(client, TOKEN);
    assertEquals(Read.UNREADABLE, status.read());
    assertFalse(status.toString().contains(TOKEN), status.toString());
  }

  @Test
  void rpcErrorIsUnreadableWithoutTheToken() {
    var status =
        gateway
            .answer(
                503,
                "{\"ok\":false,\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"starting, token "
                    + TOKEN
                    + " MTAxMjM0NTY3ODkwMTIzNDU2.GhIjKl.abcdefghijklmnopqrstuvwxyz0123\"}}")
            .fetchWith(client, TOKEN);
    assertEquals(Read.UNREADABLE, status.read());
    assertTrue(status.problem().contains("UNAVAILABLE"), status.problem());
    assertFalse(status.problem().contains(TOKEN), status.problem());
    assertFalse(status.problem().contains("GhIjKl"), status.problem());
  }

  @Test
  void nothingListening() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var status = client.fetch(new GatewayTarget(URI.create("http://127.0.0.1:" + port), TOKEN));
    assertEquals(Read.UNREADABLE, status.read());
    assertTrue(status.problem().contains("cannot be reached"), status.problem());
  }

  @Test
  void targetNeverPrintsItsToken() {
    assertFalse(new GatewayTarget(gateway.baseUrl(), TOKEN).toString().contains(TOKEN));
  }
}
