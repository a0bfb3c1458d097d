package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.RecordingClient;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The team's {@code examples/} applied for real ({@code kubectl apply -k}) on the real node with
 * the REAL OpenClaw image (e2e/agent-image/build-openclaw-image.sh, imported into the node's
 * containerd under the examples' own image name {@code ghcr.io/openclaw/openclaw:2026.9.6}), the
 * token Secret made as the READMEs say ({@code kubectl -n atomizer create secret generic
 * atomizer-discord-tokens --from-env-file=.env}, fake tokens), and the operator in this JVM
 * (polling DiscordConnected every 5 s). A ninth agent without spec.config ({@code minimal}, its key
 * in the same .env) is created next to them, so the operator's generated configuration runs too.
 *
 * <p>Proven, per agent, on the real kubelet: Ready True through the kubelet's own probes of
 * OpenClaw's gateway; DiscordConnected True/Connected (the operator's poll of OpenClaw's {@code
 * channels.status} with the gateway token from the Secret) against the fake Discord, each agent as
 * the bot of its own token; INBOX made by the init container on the shared workspaces claim; no
 * container restart (so no OOM kill under the examples' limits, and no exit at start-up on 2
 * cores); the README's {@code kubectl wait ... --for=condition=Ready} returns; then no write at all
 * by the operator over three polls of every agent. Prints per-agent time to Ready, CPU used to get
 * there and memory, and the total from apply to all Ready.
 *
 * <p>What differs from the user's path, and why: (1) the overlay {@link #overlay} adds one env
 * entry to every agent, {@code DISCORD_API_URL=http://127.0.0.1:<port>/api/v10}, because the node
 * has no route out and OpenClaw accepts a plain-HTTP Discord URL only on loopback; the test asserts
 * that this is the overlay's only change. (2) Each pod gets a forwarder from its own 127.0.0.1:port
 * to the fake Discord on the node's bridge ({@link PodLoopbackForwarder}), entered from this root
 * JVM, outside the pod's spec. (3) The operator runs in this JVM with the CRD from crds/, not from
 * the chart ({@code OperatorPodIT} covers the chart's pod). (4) The namespace is made with {@code
 * kubectl create namespace}, as the T420 path does, not by {@code helm install --create-namespace}.
 * Not proven: the real Discord (its rate limits, a real token), a model provider, OpenClaw doing
 * any work, and anything beyond the steady state right after start.
 *
 * <p>Nine OpenClaw processes start at once on the machine's cores. Starved of CPU (seen with the
 * node run at nice 10 beside other busy JVMs), OpenClaw 2026.9.6 exits 78 at start ("state lease
 * heartbeat did not become ready", a fixed 5 s budget), and the kubelet then counts the next
 * container's startup-probe failures on from the first one's, killing it (exit 143) before its own
 * 300 s: every example restarted twice and took ~10 min. This class fails on that, as it should:
 * the user's {@code kubectl apply -k} would show the same restarts.
 */
@Tag(RealNode.TAG)
class RealNodeExamplesIT {

  static final String NS = "atomizer"; // the examples'
  static final Path WORK = Path.of("target", "real-node-examples");
  static final String GATEWAY_TOKEN =
      "5e1f0c7a9b3d2e4f6a8c0b1d3e5f7a9c5e1f0c7a9b3d2e4f6a8c0b1d3e5f7a9c";
  static final Duration POLL = Duration.ofSeconds(5);

  /** The README's {@code kubectl wait --timeout=10m}: the budget for all agents to turn Ready. */
  static final Duration BUDGET = Duration.ofMinutes(10);

  static RealNode node;
  static Path rootfs;
  static FakeDiscord discord;
  static OperatorRuntime operator;
  static final List<ApiCall> calls = new CopyOnWriteArrayList<>();
  static final List<PodLoopbackForwarder> forwarders = new CopyOnWriteArrayList<>();
  static Duration importTook;

  @BeforeAll
  static void start() throws Exception {
    node = RealNode.get();
    var tarball = Path.of(OpenClawImage.build(false));
    rootfs = Path.of(OpenClawImage.build(true));
    var t0 = System.nanoTime();
    node.importImage(tarball);
    importTook = Duration.ofNanos(System.nanoTime() - t0);
    E2eSetup.installCrd(node.kubectl());
    discord = new FakeDiscord(node.bridgeAddress());
    var config =
        OperatorConfig.from(
            Map.of(
                "ATOMIZER_DISCORD_VERIFY",
                "false",
                "ATOMIZER_HTTP_PORT",
                "0",
                "ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS",
                String.valueOf(POLL.toSeconds()),
                "ATOMIZER_WORKSPACES_ROOT",
                node.volumeFolder(NS, Agents.WORKSPACES).toString()),
            new String[0]);
    operator =
        AtomizerOperator.start(
            RecordingClient.create(node.config(), calls), config, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    forwarders.forEach(PodLoopbackForwarder::close);
    if (operator != null) {
      operator.stop();
    }
    if (discord != null) {
      discord.close();
    }
  }

  /** The one env entry the overlay adds to every agent, as kustomize prints it (any indent). */
  static Pattern addedEnv() {
    return Pattern.compile(
        "(?m)^( *)- name: DISCORD_API_URL\n\\1  value: "
            + Pattern.quote(discord.agentApiUrl())
            + "\n");
  }

  /** examples/ as the base; every AtomizerAgent gets {@link #addedEnv} and nothing else. */
  static Path overlay() throws IOException {
    Files.createDirectories(WORK);
    Files.writeString(
        WORK.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../examples
        patches:
          - target:
              kind: AtomizerAgent
            patch: |-
              - op: add
                path: /spec/env/-
                value:
                  name: DISCORD_API_URL
                  value: %s
        """
            .formatted(discord.agentApiUrl()));
    return WORK;
  }

  /** The team's .env (fake tokens, one bot each on the fake Discord) plus the minimal agent's. */
  static Path dotEnv() throws IOException {
    var env = new StringBuilder();
    var id = 300000000000000000L;
    for (var agent : agentNames()) {
      env.append(Agents.tokenKey(agent)).append('=').append(Agents.token(agent)).append('\n');
      discord.bot(Agents.token(agent), String.valueOf(++id), agent);
    }
    env.append("GATEWAY_TOKEN=").append(GATEWAY_TOKEN).append('\n');
    return Files.writeString(Files.createDirectories(WORK).resolve(".env"), env);
  }

  static List<String> agentNames() {
    var names = new ArrayList<>(Agents.TEAM);
    names.add("minimal");
    return names;
  }

  @Test
  void theExamplesRunTheRealOpenClawAndTurnReadyAndConnected() throws Exception {
    var kubectl = node.kubectl();
    var client = node.client();
    E2eSetup.removeNamespace(client, NS); // QuickStartIT's, if it ran before
    var namespace = kubectl.run("create", "namespace", NS);
    assertTrue(namespace.ok(), namespace.toString());
    var secret =
        kubectl.run(
            "-n", NS, "create", "secret", "generic", Agents.SECRET, "--from-env-file=" + dotEnv());
    assertTrue(secret.ok(), secret.toString());

    var base = kubectl.run("kustomize", "examples");
    var overlaid = kubectl.run("kustomize", overlay().toString());
    assertTrue(base.ok() && overlaid.ok(), base + "\n" + overlaid);
    assertEquals(
        Agents.TEAM.size(),
        addedEnv().matcher(overlaid.stdout()).results().count(),
        "the overlay adds the env entry once to each agent:\n" + overlaid.stdout());
    assertEquals(
        base.stdout(),
        addedEnv().matcher(overlaid.stdout()).replaceAll(""),
        "the overlay changes nothing else in examples/");

    var applied = Instant.now();
    var loadAtApply = Files.readString(Path.of("/proc/loadavg")).strip();
    var mark = calls.size();
    var apply = kubectl.run("apply", "-k", overlay().toString());
    assertTrue(apply.ok(), apply.toString());
    var minimal = AgentConformanceIT.minimal();
    var env = new ArrayList<>(minimal.getSpec().getEnv());
    env.add(new EnvVar("DISCORD_API_URL", discord.agentApiUrl(), null));
    minimal.getSpec().setEnv(env);
    minimal.getMetadata().setGeneration(null);
    client.resource(minimal).create();
    for (var name : agentNames()) {
      forwarders.add(
          PodLoopbackForwarder.start(
              client,
              NS,
              name,
              rootfs.resolve("usr/local/bin/node"),
              discord.port(),
              node.bridgeAddress()));
    }

    var startUp = new ExamplesStartUp(client, NS, agentNames(), applied);
    var done = startUp.await(BUDGET);
    var loadAtReady = Files.readString(Path.of("/proc/loadavg")).strip();
    var startCalls = List.copyOf(calls.subList(mark, calls.size()));
    System.out.println(startUp.report(node.volumeFolder(NS, Agents.WORKSPACES)));
    System.out.printf(
        "E2E: apply -k examples/ (real OpenClaw, %d agents) to all Ready: %s s, to all Ready"
            + " and DiscordConnected: %s s; load average at apply %s, at all Ready %s; operator requests meanwhile: %d"
            + " (%d writes); image import into containerd: %d s%n",
        agentNames().size(),
        startUp.allReady() == null
            ? "not within " + BUDGET.toSeconds()
            : startUp.allReady().toMillis() / 1000.0,
        done == null ? "not within " + BUDGET.toSeconds() : done.toMillis() / 1000.0,
        loadAtApply,
        loadAtReady,
        startCalls.size(),
        startCalls.stream().filter(ApiCall::isWrite).count(),
        importTook.toSeconds());
    assertEquals(List.of(), startUp.failures(), "per agent");

    assertEquals(
        agentNames().size(),
        client.resources(AtomizerAgent.class).inNamespace(NS).list().getItems().size());
    var wait =
        kubectl.run(
            "-n",
            NS,
            "wait",
            "atomizeragents",
            "--all",
            "--for=condition=Ready",
            "--timeout=" + BUDGET.toMinutes() + "m");
    assertTrue(wait.ok(), "the README's kubectl wait: " + wait);

    steadyState();
  }

  /**
   * With the poll on and nothing changing: over at least 3 polls of every agent (each poll reads
   * the gateway token's Secret key by name: one list of secrets in NS), no write at all.
   */
  private static void steadyState() {
    var mark = calls.size();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> polls(mark) >= 3L * agentNames().size());
    var since = List.copyOf(calls.subList(mark, calls.size()));
    var writes = since.stream().filter(ApiCall::isWrite).map(ApiCall::toString).toList();
    System.out.printf(
        "E2E: steady state with the Discord poll every %d s: %d polls, %d requests, %d writes%n",
        POLL.toSeconds(), polls(mark), since.size(), writes.size());
    assertEquals(List.of(), writes, "the operator wrote while nothing changed");
  }

  private static long polls(int mark) {
    return calls.subList(mark, calls.size()).stream()
        .filter(c -> c.verb().equals("list") && c.resource().equals("secrets"))
        .filter(c -> NS.equals(c.namespace()))
        .count();
  }
}
