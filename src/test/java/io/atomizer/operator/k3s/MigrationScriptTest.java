package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k3s/migrate.sh on a docker-compose layout without a cluster: the plan it prints in --dry-run for
 * the team's compose layout, the compose file variants it understands, the input it refuses, and
 * --stop-old and --rollback with docker and kubectl stand-ins. The same script against a real API
 * server is {@link MigrationScriptApiServerIT}; the systemd layout is {@link MigrationSystemdTest}.
 */
class MigrationScriptTest {

  static final String SCRIPT = "migrate.sh";

  /** No cluster: kubectl is `false`, so every lookup fails and the plan assumes nothing exists. */
  static Scripts.Run dryRun(ComposeLayout layout, String... extra) {
    var args = new ArrayList<>(List.of("--dry-run", "--compose-dir", layout.dir.toString()));
    args.addAll(List.of("--kubectl", "false"));
    args.addAll(List.of(extra));
    return Scripts.run(Map.of(), SCRIPT, args.toArray(String[]::new));
  }

  /** The YAML documents printed after the plan, parsed into their fabric8 types. */
  static List<HasMetadata> printedObjects(Scripts.Run run) {
    var yaml = run.output().substring(run.output().indexOf("Dry run: nothing was changed."));
    var objects = new ArrayList<HasMetadata>();
    for (var doc : yaml.split("\n---\n")) {
      if (doc.contains("\nkind: AtomizerAgent\n")) {
        objects.add(Serialization.unmarshal(doc, AtomizerAgent.class));
      } else if (doc.startsWith("apiVersion:")) {
        objects.add(Serialization.unmarshal(doc));
      }
    }
    return objects;
  }

  static <T extends HasMetadata> Map<String, T> byName(List<HasMetadata> objects, Class<T> type) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
  }

  static void assertNoTokenPrinted(ComposeLayout layout, Scripts.Run run) {
    layout.tokens.forEach(
        (key, token) -> assertFalse(run.output().contains(token), key + "'s value was printed"));
  }

  @Test
  void dryRunPlansEveryAgentOnItsExistingDirectoriesAndChangesNothing(@TempDir Path tmp) {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));
    var before = layout.fingerprint();

    var run = dryRun(layout);

    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(before, layout.fingerprint(), "a dry run changed files");
    assertNoTokenPrinted(layout, run);
    var objects = printedObjects(run);
    var agents = byName(objects, AtomizerAgent.class);
    var volumes = byName(objects, PersistentVolume.class);
    assertEquals(Set.copyOf(ComposeLayout.AGENTS), agents.keySet());
    for (var name : ComposeLayout.AGENTS) {
      assertTrue(run.output().contains("would create: atomizeragent/" + name), name);
      var spec = agents.get(name).getSpec();
      assertEquals(ComposeLayout.tokenKey(name), spec.getToken().getKey());
      assertEquals("atomizer-discord-tokens", spec.getToken().getSecretName());
      // OpenClaw never reads the compose file's DISCORD_TOKEN; the shared config reads this one
      assertEquals("DISCORD_BOT_TOKEN", spec.getToken().getEnvName());
      assertEquals("openclaw-config", spec.getConfig().getConfigMapName());
      assertEquals("OPENCLAW_GATEWAY_TOKEN", spec.getEnv().get(0).getName());
      assertEquals("GATEWAY_TOKEN", spec.getEnv().get(0).getValueFrom().getSecretKeyRef().getKey());
      assertEquals("/root/.openclaw", spec.getState().getMountPath());
      assertEquals("atomizer-workspaces", spec.getWorkspaces().getClaimName());
      assertEquals("atomizer-skills", spec.getSkills().getClaimName());

      var pv = volumes.get("atomizer-" + name + "-state");
      assertEquals(
          layout.path("instances/" + name).toString(), pv.getSpec().getHostPath().getPath());
      assertEquals(name + "-state", pv.getSpec().getClaimRef().getName());
      assertEquals("atomizer", pv.getSpec().getClaimRef().getNamespace());
      assertEquals("Retain", pv.getSpec().getPersistentVolumeReclaimPolicy());
      assertEquals(spec.getState().getStorageClassName(), pv.getSpec().getStorageClassName());
      assertEquals(spec.getState().getSize(), pv.getSpec().getCapacity().get("storage").toString());
    }
    assertEquals("technical-lead", agents.get("tech-lead").getSpec().getWorkspaces().getAgentDir());
    assertEquals(null, agents.get("manager").getSpec().getWorkspaces().getAgentDir());
    assertEquals(
        layout.path("workspaces").toString(),
        volumes.get("atomizer-workspaces").getSpec().getHostPath().getPath());
    var claims = byName(objects, PersistentVolumeClaim.class);
    assertEquals(
        "atomizer-workspaces", claims.get("atomizer-workspaces").getSpec().getVolumeName());
    System.out.println("=== dry run, compose layout ===\n" + run.output());
    assertTrue(run.output().contains("generated one as the Secret's key GATEWAY_TOKEN"));
    assertTrue(
        run.output()
            .contains(
                "keys: AUDITOR_TOKEN GATEWAY_TOKEN MANAGER_TOKEN NX_EXPERT_TOKEN OPTIMIZER_TOKEN SECRETARY_TOKEN"
                    + " STUDY_BUILDER_TOKEN TECH_LEAD_TOKEN WEBSTER_TOKEN (values not shown)"),
        run::toString);
  }

  @Test
  void refusesWhileAComposeContainerRunsAndStopOldTakesThemDownFirst(@TempDir Path tmp) {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));
    var standIns = new SystemdLayout(tmp.resolve("stand-ins"));
    standIns.writeStandIns();
    var docker = standIns.docker("some-db", "atom-webster");
    var env =
        Map.of("PATH", standIns.path(), "DOCKER", docker.toString(), "STOP_WAIT_SECONDS", "1");
    var args = List.of("--compose-dir", layout.dir.toString());

    var refused = Scripts.run(env, SCRIPT, args.toArray(String[]::new));

    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(refused.output().contains("container atom-webster"), refused::toString);
    assertEquals(List.of(), standIns.createdObjects());

    docker = standIns.docker(); // `down` worked: nothing runs any more
    var stopped =
        Scripts.run(
            env,
            SCRIPT,
            "--compose-dir",
            layout.dir.toString(),
            "--stop-old",
            "--layout",
            "compose");

    assertEquals(0, stopped.exitCode(), stopped::toString);
    assertNoTokenPrinted(layout, stopped);
    var calls = standIns.calls();
    var down = calls.indexOf("docker compose -f " + layout.path("docker-compose.yml") + " down");
    assertTrue(down >= 0, calls::toString);
    var firstCreate =
        calls.stream().filter(c -> c.startsWith("kubectl create")).findFirst().orElseThrow();
    assertTrue(calls.indexOf(firstCreate) > down, "created before the containers stopped");

    var back =
        Scripts.run(
            Map.of(
                "PATH", standIns.path(), "DOCKER", docker.toString(), "ROLLBACK_WAIT_SECONDS", "1"),
            SCRIPT,
            "--compose-dir",
            layout.dir.toString(),
            "--rollback");

    assertEquals(0, back.exitCode(), back::toString);
    calls = standIns.calls();
    assertTrue(
        calls.indexOf("docker compose -f " + layout.path("docker-compose.yml") + " up -d")
            > calls.indexOf(
                "kubectl delete atomizeragents -n atomizer -l atomizer.io/migrated-from=compose"
                    + " --ignore-not-found --wait=false"),
        calls::toString);
  }

  @Test
  void readsTheComposeFileVariantsDockerComposeAccepts(@TempDir Path tmp) {
    var layout = new ComposeLayout(tmp.resolve("atomizer")).populate();
    layout.write(
        "docker-compose.yml",
        """
        x-agent-base: &agent-base   # a top-level extension instead of one inside services
          image: "ghcr.io/openclaw/openclaw:2026.7.1-2-slim"
          volumes:
            - type: bind
              source: ./workspaces
              target: /app/workspaces
        services:
            manager:
                <<: *agent-base
                container_name: atom-manager
                environment:
                    DISCORD_TOKEN: "${MANAGER_TOKEN}"
                    LOG_LEVEL: debug
                volumes:
                - "./instances/manager:/root/.openclaw:rw"
            tech-lead:
                <<: [*agent-base]
                environment: ["DISCORD_TOKEN=${TECH_LEAD_TOKEN:-}"]
                volumes:
                  - type: bind
                    source: ./instances/tech-lead
                    target: /root/.openclaw
            redis:
                image: redis:7
        """);

    var run = dryRun(layout);

    assertEquals(0, run.exitCode(), run::toString);
    var agents = byName(printedObjects(run), AtomizerAgent.class);
    assertEquals(Set.of("manager", "tech-lead"), agents.keySet());
    assertTrue(run.output().contains("left out (no DISCORD_TOKEN=${VAR} mapping): redis"));
    var manager = agents.get("manager").getSpec();
    assertEquals("MANAGER_TOKEN", manager.getToken().getKey());
    assertEquals("ghcr.io/openclaw/openclaw:2026.7.1-2-slim", manager.getImage());
    assertEquals("LOG_LEVEL", manager.getEnv().get(0).getName());
    assertEquals("debug", manager.getEnv().get(0).getValue());
    assertEquals("TECH_LEAD_TOKEN", agents.get("tech-lead").getSpec().getToken().getKey());
    var volumes = byName(printedObjects(run), PersistentVolume.class);
    assertEquals(
        layout.path("instances/tech-lead").toString(),
        volumes.get("atomizer-tech-lead-state").getSpec().getHostPath().getPath());
    assertFalse(volumes.containsKey("atomizer-skills"), "no compose service mounts skills");
  }

  @Test
  void aTokenWrittenIntoTheComposeFileIsRefusedWithoutEchoingIt(@TempDir Path tmp) {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));
    var inline = "MTIz.inline.token";
    layout.write(
        "docker-compose.yml",
        """
        services:
          manager:
            environment:
              - DISCORD_TOKEN=%s
            volumes:
              - ./instances/manager:/root/.openclaw
        """
            .formatted(inline));

    var run = dryRun(layout);

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.output().contains("service 'manager' sets DISCORD_TOKEN inline"), run::toString);
    assertTrue(run.output().contains("MANAGER_TOKEN"), "says which .env key to use");
    assertFalse(run.output().contains(inline), "echoed the inline token");
  }

  @Test
  void aTokenMissingFromDotEnvIsNamedBeforeAnythingIsDone(@TempDir Path tmp) {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));
    layout.write(".env", "MANAGER_TOKEN=only-this-one\n");

    var run = dryRun(layout);

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.output().contains(".env has no value for"), run::toString);
    assertFalse(run.output().contains("would create"), run::toString);
    assertFalse(run.output().contains("only-this-one"), "printed a token");
  }

  @Test
  void anAgentWithoutItsStateDirectoryStopsTheMigration(@TempDir Path tmp) throws Exception {
    var layout = ComposeLayout.pivotDocument(tmp.resolve("atomizer"));
    java.nio.file.Files.delete(layout.path("instances/webster/memory.sqlite"));
    java.nio.file.Files.delete(layout.path("instances/webster"));

    var run = dryRun(layout);

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(
        run.output().contains("state directory " + layout.path("instances/webster")),
        run::toString);
  }
}
