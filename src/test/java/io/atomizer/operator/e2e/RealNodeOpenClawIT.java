package io.atomizer.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.Examples;
import io.atomizer.operator.playground.RecordingClient;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The conformance tier on the real node: the real OpenClaw image imported into the node's
 * containerd, and agents created as a user would (the {@code manager} example with its ConfigMap,
 * and a minimal agent without spec.config), run by the kubelet in the pods the operator (in this
 * JVM, polling DiscordConnected every 5 s) creates. Asserts per agent: Ready through the kubelet's
 * own probes, DiscordConnected True/Connected against the fake Discord, INBOX made, the pod's
 * memory cgroup within the limit with no restart; then that the operator, polling, writes nothing
 * while nothing changes. {@code -Drealnode.agents=} picks other examples (comma-separated, {@code
 * minimal} included).
 *
 * <p>One thing differs from production, chosen by the test: OpenClaw accepts a plain-HTTP {@code
 * DISCORD_API_URL} only on loopback (and an HTTPS one only on a public name), so the fake Discord
 * listens on the node's bridge address and each pod gets a forwarder from 127.0.0.1:port in its own
 * network namespace to it ({@link PodLoopbackForwarder}), started by this root JVM, outside the
 * pod's spec.
 */
@Tag(RealNode.TAG)
class RealNodeOpenClawIT {

  static final String NS = "openclaw-real";
  static final String GATEWAY_TOKEN = "real-node-gateway-token-0123456789abcdef";
  static final List<String> AGENTS =
      List.of(System.getProperty("realnode.agents", "manager,minimal").split(","));
  static final Duration POLL = Duration.ofSeconds(5);

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

  /** The agents to run, as the examples define them; their ConfigMap goes to {@code configMaps}. */
  static List<AtomizerAgent> agents(List<ConfigMap> configMaps) throws Exception {
    var objects = new Examples().load();
    var config =
        objects.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .findFirst()
            .orElseThrow();
    config.setMetadata(
        new ObjectMetaBuilder().withName(config.getMetadata().getName()).withNamespace(NS).build());
    var agents = new ArrayList<AtomizerAgent>();
    for (var o : objects) {
      if (o instanceof AtomizerAgent a && AGENTS.contains(a.getMetadata().getName())) {
        agents.add(a);
      }
    }
    if (AGENTS.contains("minimal")) {
      agents.add(AgentConformanceIT.minimal());
    }
    configMaps.add(config);
    for (var a : agents) {
      a.getMetadata().setNamespace(NS);
      a.getMetadata().setGeneration(null);
      a.getMetadata().setResourceVersion(null);
      var env = new ArrayList<>(a.getSpec().getEnv() == null ? List.of() : a.getSpec().getEnv());
      env.add(new EnvVar("DISCORD_API_URL", discord.agentApiUrl(), null));
      a.getSpec().setEnv(env);
    }
    return agents;
  }

  @Test
  void theRealOpenClawRunsOnTheRealKubeletAndConnectsToDiscord() throws Exception {
    var client = node.client();
    var tokens = new LinkedHashMap<String, String>();
    tokens.put("GATEWAY_TOKEN", GATEWAY_TOKEN);
    var id = 200000000000000000L;
    var configMaps = new ArrayList<ConfigMap>();
    var agents = agents(configMaps);
    for (var a : agents) {
      var name = a.getMetadata().getName();
      tokens.put(a.getSpec().getToken().getKey(), Agents.token(name));
      discord.bot(Agents.token(name), String.valueOf(++id), name);
    }
    E2eSetup.teamNamespace(client, NS, tokens);
    configMaps.forEach(c -> client.resource(c).create());

    var created = new LinkedHashMap<String, Instant>();
    for (var a : agents) {
      client.resource(Serialization.clone(a)).create();
      created.put(a.getMetadata().getName(), Instant.now());
      forwarders.add(
          PodLoopbackForwarder.start(
              client,
              NS,
              a.getMetadata().getName(),
              rootfs.resolve("usr/local/bin/node"),
              discord.port(),
              node.bridgeAddress()));
    }

    var restarts = new LinkedHashMap<String, String>();
    var report =
        new StringBuilder(
            "\nagent           pod Ready(s)  Ready+Discord(s)  memory(MiB) usage/max/limit  rss\n");
    var resources = client.resources(AtomizerAgent.class).inNamespace(NS);
    for (var a : agents) {
      var name = a.getMetadata().getName();
      await()
          .atMost(Duration.ofSeconds(360))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                var agent = resources.withName(name).get();
                var ready =
                    agent.getStatus() == null
                        ? null
                        : agent.getStatus().condition(Conditions.READY).orElse(null);
                var discordConnected =
                    agent.getStatus() == null
                        ? null
                        : agent.getStatus().condition(Conditions.DISCORD_CONNECTED).orElse(null);
                assertTrue(
                    discordConnected != null
                        && "True".equals(discordConnected.getStatus())
                        && Conditions.CONNECTED.equals(discordConnected.getReason())
                        && ready != null
                        && "True".equals(ready.getStatus()),
                    name
                        + ": Ready "
                        + (ready == null ? "-" : ready.getStatus() + "/" + ready.getReason())
                        + ", DiscordConnected "
                        + (discordConnected == null
                            ? "-"
                            : discordConnected.getStatus()
                                + "/"
                                + discordConnected.getReason()
                                + " "
                                + discordConnected.getMessage()));
              });
      var readyAt = Instant.now();
      var pod = pod(client, name);
      var podReady =
          pod.getStatus().getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()))
              .findFirst()
              .orElseThrow();
      assertEquals("True", podReady.getStatus(), "the kubelet's readiness probe passed");
      var container =
          pod.getStatus().getContainerStatuses().stream()
              .filter(s -> AgentPodTemplate.CONTAINER.equals(s.getName()))
              .findFirst()
              .orElseThrow();
      // Under heavy CPU load OpenClaw 2026.9.6 can exit 78 at start ("state lease heartbeat did
      // not become ready (timeoutMs=5000)", its state migration then refuses); the kubelet
      // restarts it. Restarts are reported; an OOM kill fails the test.
      var last = container.getLastState() == null ? null : container.getLastState().getTerminated();
      assertTrue(
          last == null || !"OOMKilled".equals(last.getReason()), name + " was OOM-killed: " + last);
      restarts.put(
          name,
          container.getRestartCount() + (last == null ? "" : " (exit " + last.getExitCode() + ")"));
      var agent = resources.withName(name).get();
      var inbox =
          node.volumeFolder(NS, Agents.WORKSPACES).resolve(AgentDir.of(agent)).resolve("INBOX");
      assertTrue(Files.isDirectory(inbox), inbox + " made by the init container");
      var memory = PodMemory.of(pod);
      var limit =
          agent.getSpec().getResources() != null
                  && agent.getSpec().getResources().getLimits() != null
                  && agent.getSpec().getResources().getLimits().get("memory") != null
              ? agent
                  .getSpec()
                  .getResources()
                  .getLimits()
                  .get("memory")
                  .getNumericalAmount()
                  .longValue()
              : pod.getSpec()
                  .getContainers()
                  .get(0)
                  .getResources()
                  .getLimits()
                  .get("memory")
                  .getNumericalAmount()
                  .longValue();
      assertTrue(memory.maxUsage() <= limit, name + ": " + memory + " over the limit " + limit);
      assertTrue(memory.limit() <= limit + (64L << 20), name + ": the cgroup's limit " + memory);
      report.append(
          String.format(
              "%-15s %12.1f %17.1f %12d/%d/%d %6d%n",
              name,
              Duration.between(created.get(name), Instant.parse(podReady.getLastTransitionTime()))
                      .toMillis()
                  / 1000.0,
              Duration.between(created.get(name), readyAt).toMillis() / 1000.0,
              memory.usage() >> 20,
              memory.maxUsage() >> 20,
              memory.limit() >> 20,
              memory.rss() >> 20));
    }
    report.append("restarts: " + restarts + "\n");
    report.append("image import into containerd: " + importTook.toSeconds() + " s\n");
    System.out.println(report);

    // Steady state with the poll on: over at least 3 polls of every agent (each poll reads the
    // gateway token's Secret key by name: one list of secrets in NS), no write at all.
    var mark = calls.size();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> polls(mark) >= 3L * agents.size());
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

  static Pod pod(KubernetesClient client, String agent) {
    return client.pods().inNamespace(NS).withLabel(Labels.AGENT, agent).list().getItems().stream()
        .filter(p -> !p.isMarkedForDeletion())
        .findFirst()
        .orElseThrow();
  }
}
