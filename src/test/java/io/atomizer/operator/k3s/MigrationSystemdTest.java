package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k3s/migrate.sh on the team's real setup: eight native systemd units (a fake systemd: unit files
 * in a temp dir, a systemctl stand-in on PATH that records its calls) and, for the runs that would
 * change a cluster, a kubectl stand-in. The same against a real API server: {@link
 * MigrationScriptApiServerIT}.
 */
class MigrationSystemdTest {

  static Scripts.Run migrate(SystemdLayout layout, Map<String, String> env, String... extra) {
    var args = new ArrayList<>(List.of("--unit-dir", layout.units.toString()));
    args.addAll(List.of(extra));
    var environment = new java.util.HashMap<>(env);
    environment.put("PATH", layout.path());
    environment.putIfAbsent("DOCKER", "false");
    environment.putIfAbsent("STOP_WAIT_SECONDS", "2");
    return Scripts.run(environment, "migrate.sh", args.toArray(String[]::new));
  }

  static void assertNoTokenPrinted(SystemdLayout layout, Scripts.Run run) {
    layout.tokens.forEach(
        (key, token) -> assertFalse(run.output().contains(token), key + "'s value was printed"));
    for (var secret :
        List.of(
            SystemdLayout.GATEWAY_TOKEN, SystemdLayout.WEBSTER_GATEWAY_TOKEN, "sk-ant-made-up")) {
      assertFalse(run.output().contains(secret), "a secret was printed");
    }
  }

  @Test
  void dryRunPlansEachUnitAsAnAgentOnItsOwnStateWithItsConfigAndChangesNothing(@TempDir Path tmp) {
    var layout = SystemdLayout.team(tmp);
    var before = new ComposeLayout(layout.home).fingerprint();

    var run = migrate(layout, Map.of(), "--dry-run", "--kubectl", "false");

    assertEquals(0, run.exitCode(), run::toString);
    System.out.println("=== dry run, systemd layout ===\n" + run.output());
    assertTrue(run.output().contains("migrate: systemd layout"), "detected: " + run);
    assertEquals(before, new ComposeLayout(layout.home).fingerprint(), "a dry run changed files");
    assertNoTokenPrinted(layout, run);
    assertEquals(List.of(), layout.calls().stream().filter(c -> !c.contains(" is-")).toList());
    var objects = MigrationScriptTest.printedObjects(run);
    var agents = MigrationScriptTest.byName(objects, AtomizerAgent.class);
    var volumes = MigrationScriptTest.byName(objects, PersistentVolume.class);
    var configs = MigrationScriptTest.byName(objects, ConfigMap.class);
    assertEquals(Set.copyOf(SystemdLayout.AGENTS), agents.keySet(), "ssh.service is no agent");
    for (var name : SystemdLayout.AGENTS) {
      var spec = agents.get(name).getSpec();
      var stateDir = layout.stateDir(name).toString();
      assertEquals(stateDir, spec.getState().getMountPath(), "same path as on the host");
      assertEquals(
          stateDir, volumes.get("atomizer-" + name + "-state").getSpec().getHostPath().getPath());
      assertEquals(ComposeLayout.tokenKey(name), spec.getToken().getKey());
      assertEquals(
          ComposeLayout.tokenKey(name), spec.getToken().getEnvName(), "what the config reads");
      assertEquals(name + "-openclaw-config", spec.getConfig().getConfigMapName());
      var env =
          spec.getEnv().stream()
              .collect(
                  Collectors.toMap(
                      e -> e.getName(),
                      e ->
                          e.getValue() != null
                              ? e.getValue()
                              : "secret:" + e.getValueFrom().getSecretKeyRef().getKey()));
      assertEquals("secret:ANTHROPIC_API_KEY", env.get("ANTHROPIC_API_KEY"), name);
      assertFalse(
          env.keySet().stream().anyMatch(k -> k.endsWith("_TOKEN") && k.startsWith("MANAGER"))
              && !name.equals("manager"),
          name + " got the manager's token");
      var config = configs.get(name + "-openclaw-config").getData().get("openclaw.json");
      assertTrue(config.contains("\"${" + ComposeLayout.tokenKey(name) + "}\""), config);
      if (name.equals("webster")) {
        assertEquals("secret:WEBSTER_GATEWAY_TOKEN", env.get("OPENCLAW_GATEWAY_TOKEN"), name);
        assertTrue(config.contains("\"token\": \"${OPENCLAW_GATEWAY_TOKEN}\""), config);
      } else {
        assertEquals("secret:GATEWAY_TOKEN", env.get("GATEWAY_TOKEN"), name);
        assertTrue(config.contains("\"token\": \"${GATEWAY_TOKEN}\""), config);
      }
    }
    var studyBuilder = agents.get("study-builder").getSpec().getPod().getSecurityContext();
    assertEquals(1001L, studyBuilder.getRunAsUser(), "runs as the owner of its state");
    assertEquals(null, agents.get("manager").getSpec().getPod(), "uid 1000 is OpenClaw's own");
    assertEquals(
        layout.home.resolve("atomizer/workspaces").toString(),
        agents.get("manager").getSpec().getWorkspaces().getMountPath());
    assertEquals("technical-lead", agents.get("tech-lead").getSpec().getWorkspaces().getAgentDir());
    assertTrue(
        run.output().contains("unit openclaw-gateway-webster.service (active)"), run::toString);
    assertTrue(
        run.output().contains("--stop-old would run: systemctl disable --now"), run::toString);
  }

  @Test
  void refusesWhileAUnitIsActiveOrEnabledAndCreatesNothing(@TempDir Path tmp) {
    var layout = SystemdLayout.team(tmp);
    for (var agent : SystemdLayout.AGENTS) {
      layout.set(SystemdLayout.unit(agent), "inactive", "disabled");
    }
    layout.set(SystemdLayout.unit("auditor"), "active", "enabled");
    layout.set(SystemdLayout.unit("webster"), "inactive", "enabled"); // a reboot would start it

    var run = migrate(layout, Map.of());

    assertEquals(1, run.exitCode(), run::toString);
    assertNoTokenPrinted(layout, run);
    assertTrue(
        run.output().contains("unit openclaw-gateway-auditor.service (active)"), run::toString);
    assertTrue(
        run.output().contains("unit openclaw-gateway-webster.service (enabled: starts at boot)"),
        run::toString);
    assertTrue(run.output().contains("or run again with --stop-old"), run::toString);
    assertEquals(List.of(), layout.createdObjects());
    assertFalse(layout.calls().stream().anyMatch(c -> c.startsWith("systemctl disable")));
  }

  @Test
  void stopOldStopsAndDisablesTheUnitsBeforeAnyAgentIsCreatedAndRollbackUndoesIt(
      @TempDir Path tmp) {
    var layout = SystemdLayout.team(tmp);

    var run = migrate(layout, Map.of(), "--stop-old");

    assertEquals(0, run.exitCode(), run::toString);
    assertNoTokenPrinted(layout, run);
    var calls = layout.calls();
    var units = SystemdLayout.AGENTS.stream().map(SystemdLayout::unit).sorted().toList();
    var disable = calls.indexOf("systemctl disable --now " + String.join(" ", units));
    assertTrue(disable >= 0, "no disable --now of the eight units: " + calls);
    var firstCreate = indexOf(calls, "kubectl create");
    assertTrue(firstCreate > disable, "created objects before the units stopped: " + calls);
    for (var unit : units) {
      assertEquals("inactive", layout.activeState(unit), unit);
      assertEquals("disabled", layout.enabledState(unit), unit);
    }
    var agents =
        layout.createdObjects().stream().filter(y -> y.contains("kind: AtomizerAgent")).count();
    assertEquals(8, agents);
    var secrets = calls.stream().filter(c -> c.startsWith("kubectl create secret")).toList();
    assertEquals(1, secrets.size(), calls::toString);
    assertFalse(secrets.get(0).contains("--from-literal"), "token on a command line");

    var back = migrate(layout, Map.of("ROLLBACK_WAIT_SECONDS", "2"), "--rollback");

    assertEquals(0, back.exitCode(), back::toString);
    calls = layout.calls();
    var delete =
        indexOf(
            calls,
            "kubectl delete atomizeragents -n atomizer -l atomizer.io/migrated-from=systemd");
    var enable = calls.indexOf("systemctl enable --now " + String.join(" ", units));
    assertTrue(delete >= 0 && enable > delete, "rollback order: " + calls);
    for (var unit : units) {
      assertEquals("active", layout.activeState(unit), unit);
      assertEquals("enabled", layout.enabledState(unit), unit);
    }
    assertFalse(calls.stream().anyMatch(c -> c.contains("delete pv") || c.contains("delete pvc")));
  }

  @Test
  void refusesWhileAnyProcessHoldsATokenWithoutPrintingIt(@TempDir Path tmp) throws Exception {
    var layout = SystemdLayout.team(tmp);
    for (var agent : SystemdLayout.AGENTS) {
      layout.set(SystemdLayout.unit(agent), "inactive", "disabled");
    }
    var token = layout.tokens.get("OPTIMIZER_TOKEN");
    var builder = new ProcessBuilder("sleep", "300");
    builder.environment().put("DISCORD_BOT_TOKEN", token);
    var stray = builder.start();
    try {
      var run = migrate(layout, Map.of(), "--stop-old");

      assertEquals(1, run.exitCode(), run::toString);
      assertNoTokenPrinted(layout, run);
      assertTrue(
          run.output().contains("process " + stray.pid() + " (sleep)"),
          "names the process: " + run);
      assertEquals(List.of(), layout.createdObjects());
    } finally {
      stray.destroy();
      stray.waitFor();
    }

    var run = migrate(layout, Map.of());

    assertEquals(0, run.exitCode(), "the process is gone: " + run);
  }

  @Test
  void aLayoutIsNamedWhenBothAreFound(@TempDir Path tmp) throws Exception {
    var layout = SystemdLayout.team(tmp.resolve("t420"));
    var compose = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));

    var run =
        migrate(
            layout,
            Map.of(),
            "--dry-run",
            "--kubectl",
            "false",
            "--compose-dir",
            compose.dir.toString());

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(
        run.output().contains("name the one the agents run from with --layout"), run::toString);
    var named =
        migrate(
            layout,
            Map.of(),
            "--dry-run",
            "--kubectl",
            "false",
            "--compose-dir",
            compose.dir.toString(),
            "--layout",
            "systemd");
    assertEquals(0, named.exitCode(), named::toString);
    assertTrue(Files.isDirectory(compose.dir));
  }

  @Test
  void aPlainDirectoryLayoutNamedByFlagsCarriesAConfigWithALiteralTokenSafely(@TempDir Path tmp)
      throws Exception {
    var layout = new SystemdLayout(tmp); // only for its stand-ins and file helpers
    layout.writeStandIns();
    var token = "dir.literal.manager.token";
    layout.write(
        tmp.resolve("state/manager/openclaw.json"),
        "{\n  \"channels\": {\"discord\": {\"token\": \"" + token + "\"}}\n}\n");
    layout.write(tmp.resolve("state/webster/memory.sqlite"), "no config here");
    layout.write(tmp.resolve("workspaces/shared_context/PROJECT_STATUS.md"), "#");
    layout.write(
        tmp.resolve("tokens.env"), "MANAGER_TOKEN=" + token + "\nWEBSTER_TOKEN=w.tok.12345\n");

    var run =
        Scripts.run(
            Map.of("PATH", layout.path()),
            "migrate.sh",
            "--layout",
            "dir",
            "--dry-run",
            "--kubectl",
            "false",
            "--state-root",
            tmp.resolve("state").toString(),
            "--workspaces",
            tmp.resolve("workspaces").toString(),
            "--env-file",
            tmp.resolve("tokens.env").toString());

    assertEquals(0, run.exitCode(), run::toString);
    assertFalse(run.output().contains(token), "printed the token from the config");
    assertFalse(run.output().contains("w.tok.12345"), "printed a token");
    var objects = MigrationScriptTest.printedObjects(run);
    var agents = MigrationScriptTest.byName(objects, AtomizerAgent.class);
    assertEquals(Set.of("manager", "webster"), agents.keySet());
    var config =
        MigrationScriptTest.byName(objects, ConfigMap.class)
            .get("manager-openclaw-config")
            .getData()
            .get("openclaw.json");
    assertTrue(config.contains("\"token\": \"${DISCORD_BOT_TOKEN}\""), config);
    assertTrue(
        config.contains(
            "\"gateway\": {\"mode\": \"local\", \"auth\": {\"mode\": \"token\", \"token\":"
                + " \"${OPENCLAW_GATEWAY_TOKEN}\"}}"),
        config);
    assertTrue(
        new ObjectMapper()
            .readTree(config)
            .at("/plugins/entries/admin-http-rpc/enabled")
            .asBoolean(),
        "the operator reads DiscordConnected through this plugin's route: " + config);
    assertTrue(
        run.output().contains("manager: its config does not enable plugins.entries.admin-http-rpc"),
        run::toString);
    assertEquals("DISCORD_BOT_TOKEN", agents.get("manager").getSpec().getToken().getEnvName());
    assertEquals("openclaw-config", agents.get("webster").getSpec().getConfig().getConfigMapName());
    assertTrue(
        run.output().contains("generated one as the Secret's key GATEWAY_TOKEN"), run::toString);
  }

  private static int indexOf(List<String> calls, String prefix) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  static AtomizerAgent agent(String yaml) {
    return Serialization.unmarshal(yaml, AtomizerAgent.class);
  }
}
