package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.customresource.Conditions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DiscordConnected, case by case, from the statuses OpenClaw 2026.9.6 reported on this host. */
class DiscordConnectedTest {

  private static final String REJECTED_401 =
      "Failed to get gateway information from Discord: Discord API /gateway/bot failed (401):"
          + " 401: Unauthorized";
  private static final String TRUST_REFUSED =
      "Plugin discord failed: PluginTrustRefusalError: openKeyedStore is only available for"
          + " trusted plugins in this release.";

  static Stream<Arguments> table() {
    return Stream.of(
        row("not polled yet", null, "Unknown", Conditions.STATUS_NOT_READ),
        row(
            "no ready pod",
            DiscordStatus.notRunning("The agent's pod is not ready yet."),
            "Unknown",
            Conditions.STATUS_NOT_READ),
        row(
            "gateway does not answer",
            DiscordStatus.unreadable("The agent's gateway at 10.0.0.1:18789 cannot be reached."),
            "Unknown",
            Conditions.STATUS_UNREADABLE),
        row(
            "no Discord channel at all",
            DiscordStatus.read(false, false, false, false, null, null, null, null),
            "False",
            Conditions.PLUGIN_NOT_INSTALLED),
        row(
            "channel known, no plugin to run it",
            DiscordStatus.read(
                true,
                true,
                true,
                false,
                null,
                null,
                "channels.discord is configured but no channel plugin is installed or loadable",
                null),
            "False",
            Conditions.PLUGIN_NOT_INSTALLED),
        row(
            "plugin refused",
            DiscordStatus.read(true, true, true, false, null, "blocked", TRUST_REFUSED, null),
            "False",
            Conditions.PLUGIN_NOT_LOADED),
        row(
            "no account configured",
            DiscordStatus.read(true, false, true, false, null, null, null, null),
            "False",
            Conditions.DISCORD_NOT_CONFIGURED),
        row(
            "account disabled",
            DiscordStatus.read(true, true, false, false, null, null, null, null),
            "False",
            Conditions.DISCORD_NOT_CONFIGURED),
        row(
            "starting",
            DiscordStatus.read(true, true, true, false, null, "starting", null, null),
            "False",
            Conditions.CONNECTING),
        row(
            "running, not yet connected",
            DiscordStatus.read(true, true, true, true, false, "connecting", null, null),
            "False",
            Conditions.CONNECTING),
        row(
            "running, connection not reported",
            DiscordStatus.read(true, true, true, true, null, "ready", null, null),
            "False",
            Conditions.CONNECTING),
        row(
            "token rejected (401)",
            DiscordStatus.read(true, true, true, false, false, "blocked", REJECTED_401, 401),
            "False",
            Conditions.INVALID_TOKEN),
        row(
            "gateway closed with 4004, recorded",
            DiscordStatus.read(
                true,
                true,
                true,
                false,
                false,
                "blocked",
                "discord gateway fatal: Error: Fatal gateway close code: 4004",
                4004),
            "False",
            Conditions.INVALID_TOKEN),
        row(
            "gateway closed with 4004",
            DiscordStatus.read(
                true, true, true, true, false, "reconnecting", "gateway closed (4004)", null),
            "False",
            Conditions.INVALID_TOKEN),
        row(
            "gateway closed otherwise, backing off",
            DiscordStatus.read(
                true, true, true, false, false, "backoff", "gateway closed with code 4000", null),
            "False",
            Conditions.DISCONNECTED),
        row(
            "connected",
            DiscordStatus.read(true, true, true, true, true, "ready", null, null),
            "True",
            Conditions.CONNECTED),
        row(
            "connected, an old error kept",
            DiscordStatus.read(true, true, true, true, true, "ready", REJECTED_401, null),
            "True",
            Conditions.CONNECTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, DiscordStatus status, String expectedStatus, String expectedReason) {
    var value = DiscordConnected.decide(status);
    assertEquals(expectedStatus, value.status(), name);
    assertEquals(expectedReason, value.reason(), name);
    assertTrue(value.message() != null && !value.message().isBlank(), name);
  }

  @Test
  void aRejectedTokenStallsTheAgentWithAFix() {
    var discord =
        DiscordConnected.decide(
            DiscordStatus.read(true, true, true, false, false, "backoff", REJECTED_401, null));
    var ready = gate(ConditionValue.isTrue(Conditions.RUNNING, "Pod ready."), discord);
    var stalled = Stalled.decide(ready);

    assertEquals("False", ready.status());
    assertEquals(Conditions.INVALID_TOKEN, ready.reason());
    assertEquals("True", stalled.status());
    assertTrue(stalled.message().contains("Reset Token"), stalled.message());
  }

  @Test
  void readyWaitsForTheConnectionButNotForAnUnreadableStatus() {
    var podReady = ConditionValue.isTrue(Conditions.RUNNING, "Pod ready.");
    var connecting =
        DiscordConnected.decide(
            DiscordStatus.read(true, true, true, true, false, null, null, null));
    var unreadable = DiscordConnected.decide(DiscordStatus.unreadable("no answer"));
    var connected =
        DiscordConnected.decide(
            DiscordStatus.read(true, true, true, true, true, "ready", null, null));

    assertEquals(Conditions.CONNECTING, gate(podReady, connecting).reason());
    assertEquals("False", Stalled.decide(gate(podReady, connecting)).status());
    assertEquals(podReady, gate(podReady, unreadable));
    assertEquals(podReady, gate(podReady, connected));
    var podNotReady = ConditionValue.isFalse(Conditions.NOT_READY, "probe fails");
    assertEquals(podNotReady, gate(podNotReady, connecting));
  }

  @Test
  void neverTrueWithoutAReadConnection() {
    table()
        .map(Arguments::get)
        .filter(a -> !(a[1] instanceof DiscordStatus s && s.online()))
        .forEach(
            a ->
                assertNotEquals(
                    "True", DiscordConnected.decide((DiscordStatus) a[1]).status(), (String) a[0]));
  }

  private static Arguments row(String name, DiscordStatus status, String s, String reason) {
    return Arguments.of(name, status, s, reason);
  }

  /** Ready for a current pod whose health is {@code podHealthy}, with {@code discord}. */
  private static ConditionValue gate(ConditionValue podHealthy, ConditionValue discord) {
    return Ready.decide(
        ReadyTest.plan(false, null),
        ReadyTest.TOKEN_OK,
        ReadyTest.STORAGE_OK,
        podHealthy,
        discord,
        ReadyTest.observed(
            io.atomizer.operator.support.Pods.pod(
                "tech-lead", "Running", io.atomizer.operator.support.Pods.running(true, 0)),
            true));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1} {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    // case,          status,  reason
    "notPolledYet,    Unknown, StatusNotRead",
    "notRunning,      Unknown, StatusNotRead",
    "unreadable,      Unknown, StatusUnreadable",
    "noChannel,       False,   PluginNotInstalled",
    "online,          True,    Connected",
    "rejected4004,    False,   InvalidToken",
    "pluginFailed,    False,   PluginNotLoaded",
    "notConfigured,   False,   DiscordNotConfigured",
    "closedSession,   False,   Disconnected",
    "starting,        False,   Connecting",
  })
  void decides(String kind, String status, String reason) {
    // read(channelKnown, configured, enabled, running, connected, state, lastError, closeCode)
    var polled =
        switch (kind) {
          case "notPolledYet" -> null;
          case "notRunning" -> DiscordStatus.notRunning("no ready pod");
          case "unreadable" -> DiscordStatus.unreadable("no answer");
          case "noChannel" ->
              DiscordStatus.read(false, false, false, false, false, null, null, null);
          case "online" -> DiscordStatus.read(true, true, true, true, true, "ready", null, null);
          case "rejected4004" ->
              DiscordStatus.read(true, true, true, false, false, "closed", null, 4004);
          case "pluginFailed" ->
              DiscordStatus.read(
                  true, true, true, false, false, null, "Plugin discord failed to load", null);
          case "notConfigured" ->
              DiscordStatus.read(true, false, false, false, false, null, null, null);
          case "closedSession" ->
              DiscordStatus.read(true, true, true, true, false, null, "gateway closed: 4000", null);
          case "starting" -> DiscordStatus.read(true, true, true, false, false, null, null, null);
          default -> throw new IllegalArgumentException(kind);
        };

    var value = DiscordConnected.decide(polled);

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }
}
