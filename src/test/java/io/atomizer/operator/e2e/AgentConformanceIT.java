package io.atomizer.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.atomizer.operator.agentstatus.GatewayTarget;
import io.atomizer.operator.agentstatus.GatewayTargets;
import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.e2e.agent.SandboxedPod;
import io.atomizer.operator.playground.Examples;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.FakeDiscord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The conformance tier: the pod the operator builds ({@link AgentPodTemplate#build}) for each of
 * the eight examples and for a minimal agent without {@code spec.config}, run around the real
 * OpenClaw (the image of {@code e2e/agent-image/build-openclaw-image.sh}) in {@code
 * e2e/agent-image/sandbox.sh}: read-only root, UID 1000, the pod's volumes, host network. Two
 * agents at a time (the machine has two cores). For each it asserts: no exit; {@code /startupz}
 * answers the probe contract within the startup probe's budget; the token reaches the fake Discord
 * (REST {@code GET /users/@me}) and the Discord plugin identifies with it on the fake gateway; the
 * whole process tree's peak RSS (an upper bound: shared pages counted per process) stays within the
 * memory limit, and its PSS once settled (20 s after the IDENTIFY; shared pages counted once, as a
 * cgroup charges them) within the request; the operator's own DiscordConnected path ({@link
 * GatewayTargets} with the pod's gateway token, {@code ChannelStatusClient} over OpenClaw's {@code
 * admin-http-rpc} route, {@code DiscordConnected.decide}) gives True/Connected, Unknown with a
 * wrong gateway token, and False/InvalidToken once the fake Discord rejects the bot's token;
 * OpenClaw's own default agent reports {@code workspaces/<agentDir>} as its workspace ({@code
 * agents.list} on the same route); SIGTERM ends it within the pod's grace period. Not covered: the
 * workspace's seed files, which OpenClaw writes on an agent's first turn (that needs a model), not
 * at gateway start.
 *
 * <p>Two things differ from a node, both chosen by the test: each agent gets a free gateway port
 * (spec.gateway.port, as agents share the host network here) and {@code DISCORD_API_URL} points at
 * the fake Discord on 127.0.0.1 (OpenClaw accepts plain HTTP only on loopback). Needs root (the
 * sandbox mounts). Run: {@code mvn -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=AgentConformanceIT}.
 */
@Tag("agent")
@Tag("conformance")
class AgentConformanceIT {

  /** The image config's Env, as build-openclaw-image.sh writes it. */
  static final List<String> IMAGE_ENV =
      List.of("PATH=/usr/local/bin:/usr/bin:/bin", "NODE_ENV=production", "HOME=/home/node");

  static final String GATEWAY_TOKEN = "conformance-gateway-token-0123456789abcdef";

  /** Agents at a time; -Dconformance.parallel (1-2: the machine has two cores). */
  static final int PARALLEL = Integer.getInteger("conformance.parallel", 2);

  /** How long after /startupz the Discord channel has to identify on the gateway. */
  static final Duration IDENTIFY_BUDGET = Duration.ofSeconds(180);

  static Path rootfs;

  /** What one agent showed. */
  record Result(
      String agent,
      List<String> failures,
      double readySeconds,
      long peakRssBytes,
      long settledPssBytes,
      long requestBytes,
      long limitBytes,
      double stopSeconds,
      long grace,
      long identifies,
      String discordConnected) {}

  @BeforeAll
  static void image() throws Exception {
    assertEquals(
        "0",
        new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim(),
        "the conformance tier must run as root: its sandbox mounts the image's root filesystem");
    var build =
        new ProcessBuilder("e2e/agent-image/build-openclaw-image.sh", "--print-rootfs")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    var out = new String(build.getInputStream().readAllBytes()).trim();
    assertEquals(0, build.waitFor(), "build-openclaw-image.sh failed; see its output above");
    rootfs = Path.of(out);
    assertTrue(Files.isRegularFile(rootfs.resolve("app/openclaw.mjs")), "no OpenClaw in " + out);
  }

  @Test
  void everyExampleAndAMinimalAgentRunWithTheRealOpenClaw() throws Exception {
    var objects = new Examples().load();
    var configMaps =
        objects.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    var agents = new ArrayList<AtomizerAgent>();
    objects.stream()
        .filter(AtomizerAgent.class::isInstance)
        .map(AtomizerAgent.class::cast)
        .forEach(agents::add);
    assertEquals(8, agents.size(), "the examples hold eight agents");
    agents.add(minimal());
    // -Dconformance.agents=manager,minimal runs only those (while changing the pod).
    var only = System.getProperty("conformance.agents", "");
    if (!only.isBlank()) {
      var names = List.of(only.split(","));
      agents.removeIf(a -> !names.contains(a.getMetadata().getName()));
    }

    var started = System.nanoTime();
    var results = new ArrayList<Result>();
    try (var discord = new FakeDiscord()) {
      var pool = Executors.newFixedThreadPool(PARALLEL);
      var tasks = new ArrayList<Callable<Result>>();
      var id = 100000000000000000L;
      for (var agent : agents) {
        discord.bot(Agents.token(agent.getMetadata().getName()), String.valueOf(++id), "bot");
        tasks.add(() -> run(agent, configMaps, discord));
      }
      for (var f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
      pool.shutdown();
    }
    var wall = (System.nanoTime() - started) / 1e9;
    var report =
        new StringBuilder(
            "\nagent           ready(s)  peakRSS(MiB)  PSS(MiB)  request  limit  stop(s)/grace  identify"
                + "  DiscordConnected (own token, wrong gateway token, Discord rejects)  workspace\n");
    for (var r : results) {
      report.append(
          String.format(
              "%-15s %8.1f %13d %9d %8d %6d %8.1f/%-5d %8d  %s%n",
              r.agent(),
              r.readySeconds(),
              r.peakRssBytes() >> 20,
              r.settledPssBytes() >> 20,
              r.requestBytes() >> 20,
              r.limitBytes() >> 20,
              r.stopSeconds(),
              r.grace(),
              r.identifies(),
              r.discordConnected()));
    }
    report.append(String.format("tier wall time %.0f s, %d at a time%n", wall, PARALLEL));
    System.out.println(report);
    var failures =
        results.stream()
            .flatMap(r -> r.failures().stream().map(f -> r.agent() + ": " + f))
            .collect(Collectors.joining("\n"));
    if (!failures.isEmpty()) {
      fail("the real OpenClaw does not run in the operator's pod:\n" + failures + report);
    }
  }

  /**
   * An agent without spec.config (the pod writes OpenClaw's default config), with the gateway token
   * in spec.env as the README asks: without it OpenClaw generates a token nobody else knows and the
   * operator cannot read DiscordConnected.
   */
  static AtomizerAgent minimal() {
    var agent = Agents.agent("atomizer", "minimal", "MINIMAL_TOKEN");
    agent
        .getSpec()
        .setEnv(
            List.of(
                new EnvVarBuilder()
                    .withName(GatewayTargets.TOKEN_ENV)
                    .withNewValueFrom()
                    .withNewSecretKeyRef("GATEWAY_TOKEN", Agents.SECRET, false)
                    .endValueFrom()
                    .build()));
    return agent;
  }

  /**
   * The operator's DiscordConnected path against the running agent: True/Connected with the pod's
   * own gateway token; Unknown/StatusUnreadable with a token the gateway rejects;
   * False/InvalidToken once the fake Discord rejects the bot's token (closes its session with
   * 4004).
   */
  private static List<String> discordConnected(
      AtomizerAgent agent, Pod pod, FakeDiscord discord, String token, String[] seen)
      throws InterruptedException {
    var failures = new ArrayList<String>();
    var status = new AgentDiscordStatus();
    var resolution =
        AgentDiscordStatus.target(
            agent,
            pod,
            "127.0.0.1",
            (ns, secret, key) -> Optional.of(key.equals("GATEWAY_TOKEN") ? GATEWAY_TOKEN : token));
    if (resolution.target() == null) {
      failures.add("the operator finds no gateway to ask: " + resolution.instead());
      return failures;
    }
    var target = resolution.target();
    var connected =
        status.await(
            target, AgentDiscordStatus.is("True", Conditions.CONNECTED), Duration.ofSeconds(60));
    seen[0] = connected.status() + "/" + connected.reason();
    if (!connected.holds()) {
      failures.add("DiscordConnected is not True/Connected: " + connected);
    }
    var workspace = AgentDiscordStatus.workspace(target);
    var wanted = agent.getSpec().getWorkspaces().getMountPath() + "/" + AgentDir.of(agent);
    seen[3] = workspace;
    if (!wanted.equals(workspace)) {
      failures.add("OpenClaw's workspace is " + workspace + ", not " + wanted);
    }
    var wrongToken = status.decide(new GatewayTarget(target.baseUrl(), "not-" + GATEWAY_TOKEN));
    seen[1] = wrongToken.status() + "/" + wrongToken.reason();
    if (!AgentDiscordStatus.is("Unknown", Conditions.STATUS_UNREADABLE).test(wrongToken)) {
      failures.add("with a wrong gateway token DiscordConnected is not Unknown: " + wrongToken);
    }
    discord.reject(token);
    var rejected =
        status.await(
            target,
            AgentDiscordStatus.is("False", Conditions.INVALID_TOKEN),
            Duration.ofSeconds(60));
    seen[2] = rejected.status() + "/" + rejected.reason();
    if (!AgentDiscordStatus.is("False", Conditions.INVALID_TOKEN).test(rejected)) {
      failures.add(
          "after Discord rejected the token DiscordConnected is not InvalidToken: " + rejected);
    }
    for (var c : List.of(connected, wrongToken, rejected)) {
      if (c.message().contains(token) || c.message().contains(GATEWAY_TOKEN)) {
        failures.add("a token is in the condition's message");
      }
    }
    return failures;
  }

  private Result run(AtomizerAgent agent, Map<String, ConfigMap> configMaps, FakeDiscord discord)
      throws Exception {
    var name = agent.getMetadata().getName();
    var port = freePort();
    agent.getSpec().getGateway().setPort(port);
    var pod = AgentPodTemplate.build(agent, "conformance");
    var container = pod.getSpec().getContainers().get(0);
    var failures = new ArrayList<String>();
    var dir = Files.createTempDirectory("conformance-" + name + "-");
    var token = Agents.token(name);
    var apiUrl = discord.agentApiUrl();
    double ready = -1;
    double stopped = -1;
    long peak = 0;
    long settled = 0;
    var grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
    var discordSeen = new String[] {"-", "-", "-", "-"};
    try (var sandbox =
        new SandboxedPod(
            pod,
            rootfs,
            dir,
            configMaps,
            (secret, key) -> key.equals("GATEWAY_TOKEN") ? GATEWAY_TOKEN : token,
            IMAGE_ENV,
            Map.of("DISCORD_API_URL", apiUrl))) {
      var t0 = System.nanoTime();
      try {
        sandbox.start();
      } catch (IllegalStateException e) {
        failures.add(e.getMessage());
        return new Result(name, failures, ready, 0, 0, 0, 0, -1, grace, 0, "-");
      }
      var budget = startupBudget(pod);
      var probe = new String[] {"no answer"};
      var peakUntilReady = new long[] {0};
      ready = awaitStarted(sandbox, port, budget, t0, probe, peakUntilReady);
      peak = peakUntilReady[0];
      if (ready < 0) {
        failures.add(
            (sandbox.running()
                    ? "/startupz not started within the startup probe's "
                        + budget.toSeconds()
                        + " s (last probe: "
                        + probe[0]
                        + ")"
                    : "exited with " + sandbox.exitCode())
                + "; last log lines:\n"
                + tail(sandbox.log(), 12));
        return new Result(name, failures, ready, peak, 0, 0, 0, -1, grace, 0, "-");
      }
      // The channel logs in with its token and identifies on the gateway; then RSS settles.
      // Sampled until the IDENTIFY (at most IDENTIFY_BUDGET) and 20 s more.
      var identifyBy = System.nanoTime() + IDENTIFY_BUDGET.toNanos();
      while (System.nanoTime() < identifyBy
          && sandbox.running()
          && identifies(discord, token) == 0) {
        peak = Math.max(peak, sandbox.rssBytes());
        Thread.sleep(1000);
      }
      var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && sandbox.running()) {
        peak = Math.max(peak, sandbox.rssBytes());
        Thread.sleep(1000);
      }
      if (discord.logins(token) == 0) {
        failures.add("the token never reached the fake Discord (no GET /users/@me)");
      }
      if (identifies(discord, token) == 0) {
        failures.add(
            "no IDENTIFY with the agent's token reached the fake gateway within "
                + IDENTIFY_BUDGET.toSeconds()
                + " s after /startupz; REST calls: "
                + discord.calls()
                + "; last log lines:\n"
                + tail(sandbox.log(), 12));
      }
      settled = sandbox.pssBytes();
      System.out.println("processes of " + name + ": " + sandbox.processes());
      if (sandbox.running()) {
        failures.addAll(discordConnected(agent, pod, discord, token, discordSeen));
      }
      if (!sandbox.running()) {
        failures.add("exited with " + sandbox.exitCode() + ":\n" + tail(sandbox.log(), 12));
      }
      var stop = sandbox.stop(Duration.ofSeconds(grace));
      stopped = stop.toMillis() / 1000.0;
      if (stop.compareTo(Duration.ofSeconds(grace)) > 0) {
        failures.add("SIGTERM did not end it within the grace period of " + grace + " s");
      }
    } finally {
      // the agent's whole output, for a failure's post-mortem
      try (var logs = Files.list(dir)) {
        var keep = Files.createDirectories(Path.of("target", "conformance-logs"));
        for (var l : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
          Files.copy(
              l,
              keep.resolve(name + "-" + l.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        // only a convenience
      }
      deleteQuietly(dir);
    }
    var request = bytes(container.getResources().getRequests(), "memory");
    var limit = bytes(container.getResources().getLimits(), "memory");
    if (limit > 0 && peak > limit) {
      failures.add(
          "peak RSS " + (peak >> 20) + " MiB is over the limit of " + (limit >> 20) + " MiB");
    }
    if (settled > request) {
      failures.add(
          "settled PSS "
              + (settled >> 20)
              + " MiB is over the request of "
              + (request >> 20)
              + " MiB");
    }
    return new Result(
        name,
        failures,
        ready,
        peak,
        settled,
        request,
        limit,
        stopped,
        grace,
        identifies(discord, token),
        String.join(" ", discordSeen));
  }

  private static long identifies(FakeDiscord discord, String token) {
    return discord.identifies().stream().filter(i -> token.equals(i.token())).count();
  }

  /**
   * Seconds from start until /startupz answers 200 with OpenClaw's JSON, or -1; {@code probe[0]}
   * holds the last answer (status and body, or the error), {@code peak[0]} the peak RSS meanwhile.
   */
  private static double awaitStarted(
      SandboxedPod sandbox, int port, Duration budget, long t0, String[] probe, long[] peak)
      throws InterruptedException {
    // HTTP/1.1 as the kubelet speaks it: the h2c upgrade header Java adds by default makes
    // OpenClaw's server treat the probe as a WebSocket upgrade.
    var http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/startupz"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (System.nanoTime() - t0 < budget.toNanos() && sandbox.running()) {
      peak[0] = Math.max(peak[0], sandbox.rssBytes());
      try {
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"started\"")) {
          return (System.nanoTime() - t0) / 1e9;
        }
        var body = response.body();
        probe[0] =
            response.statusCode() + " " + body.substring(0, Math.min(200, body.length())).strip();
      } catch (IOException e) {
        probe[0] = e.toString(); // not listening yet
      }
      Thread.sleep(500);
    }
    return -1;
  }

  /** The time the kubelet gives the startup probe before it kills the container. */
  static Duration startupBudget(Pod pod) {
    var probe = pod.getSpec().getContainers().get(0).getStartupProbe();
    return Duration.ofSeconds(
        probe.getInitialDelaySeconds()
            + (long) probe.getPeriodSeconds() * probe.getFailureThreshold());
  }

  private static long bytes(Map<String, Quantity> resources, String name) {
    return Optional.ofNullable(resources)
        .map(r -> r.get(name))
        .map(q -> q.getNumericalAmount().longValue())
        .orElse(0L);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(String log, int lines) {
    var all = log.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder; the OS cleans it
    }
  }
}
