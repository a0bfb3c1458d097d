package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start of k3s/README.md, as printed there: its commands after the two that need the
 * laptop (installing k3s, building and deploying the operator image) run in bash, one by one, for a
 * fresh team and for a migrating one, and must end with eight Ready agents.
 *
 * <p>On the real node ({@link RealNode}) this class stands in for step 2: it installs crds/ and
 * runs the operator in this JVM. The agents' pods run on the real kubelet, and Ready is the
 * kubelet's verdict from their probes. The examples name the default OpenClaw image; here the
 * node's containerd has the STAND-IN ({@link RealNode#STANDIN_IMAGE}) under that name for the
 * length of this class, so this proves the commands, the Secret, the claims, the volumes of the
 * migration and the pods, not that OpenClaw starts (RealNodeExamplesIT runs the real image).
 */
@Tag(RealNode.TAG)
class QuickStartIT {

  static final Path README = Path.of("k3s/README.md");
  static final String FRESH_NAMESPACE = "atomizer"; // as printed
  static final String MIGRATED_NAMESPACE = "quickstart-migrated";

  static RealNode cluster;
  @RegisterExtension static final InJvmOperator operator = new InJvmOperator();

  @TempDir static Path home;

  @BeforeAll
  static void start() {
    cluster = RealNode.get();
    cluster.tagImage(RealNode.STANDIN_IMAGE, AtomizerAgentSpec.DEFAULT_IMAGE);
    operator.closeAfterwards(() -> cluster.untagImage(AtomizerAgentSpec.DEFAULT_IMAGE));
    E2eSetup.installCrd(cluster.kubectl());
    operator.start(new KubernetesClientBuilder().withConfig(cluster.config()).build());
  }

  static long runningPods(String ns) {
    return cluster
        .client()
        .pods()
        .inNamespace(ns)
        .withLabel(Labels.AGENT)
        .list()
        .getItems()
        .stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  /** Frees the node for the other test: its eight agents go (with their pods). */
  static void removeAgents(String ns) {
    cluster.client().resources(AtomizerAgent.class).inNamespace(ns).delete();
  }

  /** The bash block under {@code marker} in the README, one command per line. */
  static List<String> commands(String marker) throws IOException {
    var text = Files.readString(README);
    var from = text.indexOf("```bash\n", text.indexOf(marker)) + "```bash\n".length();
    var block = text.substring(from, text.indexOf("```", from));
    return block.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Runs one README command in bash, as the user would, with the cluster's kubectl. */
  static String run(String command) throws Exception {
    var builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command);
    builder.redirectErrorStream(true);
    var env = builder.environment();
    env.put("HOME", home.toString());
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    env.put("PATH", cluster.kubectl().binary().getParent() + ":" + System.getenv("PATH"));
    var process = builder.start();
    process.getOutputStream().close();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.MINUTES), command);
    assertEquals(0, process.exitValue(), "$ " + command + "\n" + out);
    return out;
  }

  /** A .env with a made-up token per agent, distinct per prefix; none may ever be printed. */
  static Map<String, String> writeEnv(Path file, String prefix) throws IOException {
    var tokens = new LinkedHashMap<String, String>();
    var env = new StringBuilder();
    for (var agent : Agents.TEAM) {
      var key = agent.toUpperCase().replace('-', '_') + "_TOKEN";
      tokens.put(key, prefix + Integer.toHexString(agent.hashCode()) + ".tok_" + agent.length());
      env.append(key).append('=').append(tokens.get(key)).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, env);
    return tokens;
  }

  @Test
  void aFreshTeamGetsEightReadyAgentsWithTheCommandsAsPrinted() throws Exception {
    var commands = commands("**A fresh team**");
    assertEquals(5, commands.size(), "at most five commands: " + commands);
    assertTrue(commands.get(0).startsWith("k3s/install.sh"));
    assertTrue(commands.get(1).startsWith("k3s/build-image.sh --deploy"));
    var tokens = writeEnv(home.resolve("atomizer/.env"), "fresh.");
    E2eSetup.removeNamespace(cluster.client(), FRESH_NAMESPACE); // RealNodeExamplesIT's, if it ran

    var outputs = new ArrayList<String>();
    for (var command : commands.subList(2, 5)) {
      outputs.add(run(command));
    }

    for (var out : outputs) {
      tokens.values().forEach(t -> assertFalse(out.contains(t), "printed a token"));
    }
    var client = cluster.client();
    var secret = client.secrets().inNamespace(FRESH_NAMESPACE).withName(Agents.SECRET).get();
    var gateway = decode(secret.getData().get("GATEWAY_TOKEN"));
    assertTrue(gateway.matches("[0-9a-f]{64}"), "the gateway token every agent reads");
    tokens.forEach((k, v) -> assertEquals(v, decode(secret.getData().get(k)), k));
    assertTrue(
        client
            .configMaps()
            .inNamespace(FRESH_NAMESPACE)
            .withName("openclaw-config")
            .get()
            .getData()
            .get("openclaw.json")
            .contains("${OPENCLAW_GATEWAY_TOKEN}"));
    var agents = client.resources(AtomizerAgent.class).inNamespace(FRESH_NAMESPACE).list();
    assertEquals(8, agents.getItems().size());
    assertEquals(8, runningPods(FRESH_NAMESPACE), "the kubelet runs each agent's pod");
    removeAgents(FRESH_NAMESPACE);
  }

  @Test
  void aMigratingTeamGetsEightReadyAgentsOnItsOwnDirectories() throws Exception {
    var commands = commands("**A migrating team**");
    assertEquals(5, commands.size(), "at most five commands: " + commands);
    // The README's commands find the laptop's layout by themselves; here it is a plain directory
    // layout in a temp dir, in a namespace of its own.
    var root = home.resolve("old");
    writeEnv(root.resolve("tokens.env"), "migrated."); // two teams never share a token
    for (var agent : Agents.TEAM) {
      Files.createDirectories(root.resolve("state/" + agent));
      Files.writeString(root.resolve("state/" + agent + "/memory.sqlite"), "old state of " + agent);
    }
    Files.createDirectories(root.resolve("workspaces/shared_context"));
    var layout =
        " --layout dir --state-root %s --workspaces %s --env-file %s --namespace %s"
            .formatted(
                root.resolve("state"),
                root.resolve("workspaces"),
                root.resolve("tokens.env"),
                MIGRATED_NAMESPACE);

    var plan = run(withoutComment(commands.get(2)) + layout);
    run(withoutComment(commands.get(3)) + layout);
    run(commands.get(4).replace("-n atomizer", "-n " + MIGRATED_NAMESPACE));

    assertTrue(plan.contains("Dry run: nothing was changed."), plan);
    var client = cluster.client();
    for (var agent : Agents.TEAM) {
      var pv =
          client.persistentVolumes().withName(MIGRATED_NAMESPACE + "-" + agent + "-state").get();
      assertEquals(root.resolve("state/" + agent).toString(), pv.getSpec().getHostPath().getPath());
    }
    assertEquals(8, runningPods(MIGRATED_NAMESPACE), "the kubelet runs each agent's pod");
    removeAgents(MIGRATED_NAMESPACE);
  }

  private static String withoutComment(String line) {
    var hash = line.indexOf("  #");
    return hash < 0 ? line : line.substring(0, hash).stripTrailing();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
