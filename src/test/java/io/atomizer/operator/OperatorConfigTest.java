package io.atomizer.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every knob from env and --flags, with its default, and a clear error for bad values. */
class OperatorConfigTest {

  @Test
  void defaultsSuitAProductionCluster() {
    var config = OperatorConfig.defaults();

    assertEquals(Set.of(), config.watchNamespaces(), "all namespaces");
    assertTrue(config.serverSideApply());
    assertEquals(4, config.reconcileThreads());
    assertEquals(2, config.workflowThreads());
    assertEquals("type=Opaque", config.secretFieldSelector());
    assertEquals("", config.secretLabelSelector());
    assertEquals(Duration.ofSeconds(30), config.recheckInterval());
    assertEquals("/workspaces", config.workspacesRoot());
    assertEquals(Duration.ofSeconds(10), config.inboxInterval());
    assertEquals(8080, config.httpPort());
    assertTrue(config.discordVerify());
    assertEquals("https://discord.com/api/v10/", config.discordApiUrl());
    assertEquals("wss://gateway.discord.gg/", config.discordGatewayUrl());
    assertFalse(config.leaderElection());
    assertEquals("atomizer-operator", config.leaseName());
    assertEquals("default", config.leaseNamespace());
  }

  @Test
  void environmentSetsTheKnobs() {
    var config =
        OperatorConfig.from(
            Map.of(
                "ATOMIZER_HTTP_PORT", "9090",
                "ATOMIZER_DISCORD_VERIFY", "false",
                "ATOMIZER_INBOX_INTERVAL_SECONDS", "60",
                "ATOMIZER_WORKSPACES_ROOT", " /mnt/workspaces ",
                "ATOMIZER_LEADER_ELECTION", "yes",
                "ATOMIZER_SECRET_FIELD_SELECTOR", ""),
            new String[0]);

    assertEquals(9090, config.httpPort());
    assertFalse(config.discordVerify());
    assertEquals(Duration.ofSeconds(60), config.inboxInterval());
    assertEquals("/mnt/workspaces", config.workspacesRoot());
    assertTrue(config.leaderElection());
    assertEquals("", config.secretFieldSelector(), "blank caches every Secret");
  }

  @Test
  void leaseNamespaceDefaultsToThePodsNamespace() {
    var config = OperatorConfig.from(Map.of("POD_NAMESPACE", "atomizer-system"), new String[0]);

    assertEquals("atomizer-system", config.leaseNamespace());
  }

  @Test
  void flagsTakePrecedenceOverTheEnvironment() {
    var config =
        OperatorConfig.from(
            Map.of("ATOMIZER_HTTP_PORT", "9090", "WATCH_NAMESPACES", "team"),
            new String[] {"--atomizer-http-port=9191", "--watch-namespaces=other"});

    assertEquals(9191, config.httpPort());
    assertEquals(Set.of("other"), config.watchNamespaces());
  }

  @Test
  void argumentsThatAreNotFlagsAreIgnored() {
    var config =
        OperatorConfig.from(
            Map.of(), new String[] {"run", "--verbose", "-x=1", "ATOMIZER_HTTP_PORT=1"});

    assertEquals(OperatorConfig.defaults(), config);
  }

  @Test
  void watchNamespacesIsACommaSeparatedList() {
    var config =
        OperatorConfig.from(Map.of("WATCH_NAMESPACES", " team , ops,,team "), new String[0]);

    assertEquals(Set.of("team", "ops"), config.watchNamespaces());
  }

  @Test
  void invalidBooleanIsRejectedNamingTheVariable() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> OperatorConfig.from(Map.of("ATOMIZER_DISCORD_VERIFY", "maybe"), new String[0]));

    assertTrue(error.getMessage().contains("ATOMIZER_DISCORD_VERIFY"), error.getMessage());
    assertTrue(error.getMessage().contains("maybe"), error.getMessage());
  }

  @Test
  void invalidNumberIsRejectedNamingTheVariable() {
    for (var bad : new String[] {"ten", "0", "-3", "1.5"}) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> OperatorConfig.from(Map.of("ATOMIZER_RECONCILE_THREADS", bad), new String[0]),
              bad);
      assertTrue(error.getMessage().contains("ATOMIZER_RECONCILE_THREADS"), error.getMessage());
    }
  }

  @Test
  void invalidFlagValueIsRejectedNamingTheVariable() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OperatorConfig.from(
                    Map.of(), new String[] {"--atomizer-inbox-interval-seconds=soon"}));

    assertTrue(error.getMessage().contains("ATOMIZER_INBOX_INTERVAL_SECONDS"), error.getMessage());
  }

  @Test
  void invalidPortIsRejectedNamingTheVariable() {
    for (var bad : new String[] {"65536", "-1", "http"}) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> OperatorConfig.from(Map.of("ATOMIZER_HTTP_PORT", bad), new String[0]),
              bad);
      assertTrue(error.getMessage().contains("ATOMIZER_HTTP_PORT"), error.getMessage());
    }
  }

  @Test
  void mockServerCopyTurnsOffServerSideApplyAndFieldSelectors() {
    var config = OperatorConfig.defaults().forMockServer();

    assertFalse(config.serverSideApply());
    assertEquals("", config.secretFieldSelector());
    assertEquals(OperatorConfig.defaults().httpPort(), config.httpPort());
  }
}
