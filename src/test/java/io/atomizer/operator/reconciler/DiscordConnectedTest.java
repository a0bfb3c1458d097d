package io.atomizer.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.status.ConditionValue;
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
    var ready =
        DiscordConnected.gate(ConditionValue.isTrue(Conditions.RUNNING, "Pod ready."), discord);
    var stalled = StatusRules.computeStalled(ready);

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

    assertEquals(Conditions.CONNECTING, DiscordConnected.gate(podReady, connecting).reason());
    assertEquals(
        "False", StatusRules.computeStalled(DiscordConnected.gate(podReady, connecting)).status());
    assertEquals(podReady, DiscordConnected.gate(podReady, unreadable));
    assertEquals(podReady, DiscordConnected.gate(podReady, connected));
    var podNotReady = ConditionValue.isFalse(Conditions.NOT_READY, "probe fails");
    assertEquals(podNotReady, DiscordConnected.gate(podNotReady, connecting));
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
}
