package io.atomizer.operator.e2e;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A set of real agents starting on the real node, followed by polling once a second (one list of
 * agents, one of pods): when each agent turned Ready, and Ready with DiscordConnected
 * True/Connected (the operator's verdicts), and the CPU its pod had used by then. Once all are
 * there (or the budget is spent) {@link #report} checks each agent's pod and prints one row per
 * agent.
 */
final class ExamplesStartUp {

  private final KubernetesClient client;
  private final String ns;
  private final List<String> names;
  private final Instant applied;
  private final Map<String, Instant> ready = new HashMap<>();
  private final Map<String, Instant> connected = new HashMap<>();
  private final Map<String, Long> cpuAtReady = new HashMap<>();
  private final Map<String, Set<String>> exits = new HashMap<>();
  private final List<String> failures = new ArrayList<>();

  ExamplesStartUp(KubernetesClient client, String ns, List<String> names, Instant applied) {
    this.client = client;
    this.ns = ns;
    this.names = names;
    this.applied = applied;
  }

  /** Polls until every agent is Ready and connected; from apply until then, or null. */
  Duration await(Duration budget) throws InterruptedException {
    var deadline = applied.plus(budget);
    while (connected.size() < names.size() && Instant.now().isBefore(deadline)) {
      var now = Instant.now();
      var pods = pods();
      pods.forEach(this::recordExits);
      for (var agent : client.resources(AtomizerAgent.class).inNamespace(ns).list().getItems()) {
        var name = agent.getMetadata().getName();
        if (!names.contains(name) || connected.containsKey(name)) {
          continue;
        }
        if (isTrue(condition(agent, Conditions.READY)) && !ready.containsKey(name)) {
          ready.put(name, now);
          Optional.ofNullable(pods.get(name))
              .ifPresent(p -> cpuAtReady.put(name, PodCgroups.cpuNanos(p.getMetadata().getUid())));
        }
        var discord = condition(agent, Conditions.DISCORD_CONNECTED);
        if (ready.containsKey(name)
            && isTrue(condition(agent, Conditions.READY))
            && isTrue(discord)
            && Conditions.CONNECTED.equals(discord.getReason())) {
          connected.put(name, now);
        }
      }
      Thread.sleep(1000);
    }
    return connected.size() < names.size()
        ? null
        : Duration.between(applied, connected.values().stream().max(Instant::compareTo).get());
  }

  /** Every container exit seen so far (the kubelet keeps only the last one in the pod status). */
  private void recordExits(String name, Pod pod) {
    statuses(pod)
        .filter(c -> c.getLastState() != null && c.getLastState().getTerminated() != null)
        .map(c -> c.getLastState().getTerminated())
        .forEach(
            t ->
                exits
                    .computeIfAbsent(name, n -> new TreeSet<>())
                    .add(t.getFinishedAt() + " exit " + t.getExitCode()));
  }

  /** From apply until the last agent was first seen Ready, or null if one never was. */
  Duration allReady() {
    return ready.size() < names.size()
        ? null
        : Duration.between(applied, ready.values().stream().max(Instant::compareTo).get());
  }

  /**
   * Checks each agent's pod (the kubelet's Ready, no restart of any container, the examples' image,
   * INBOX made on the workspaces claim at {@code workspaces}) into {@link #failures}; returns the
   * table of figures. Times are seconds after apply.
   */
  String report(Path workspaces) {
    var table =
        new StringBuilder(
            "\nagent          pod Ready  Ready  +Discord  CPU to Ready(s)  memory MiB"
                + " usage/peak/limit  rss  restarts\n");
    var pods = pods();
    for (var name : names) {
      var agent = client.resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
      var pod = pods.get(name);
      if (!connected.containsKey(name)) {
        failures.add(name + " not Ready and connected within the budget: " + verdicts(agent, pod));
      }
      if (pod == null) {
        table.append(String.format("%-14s no pod%n", name));
        continue;
      }
      var podReady =
          Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
              .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
              .map(c -> Instant.parse(c.getLastTransitionTime()))
              .findFirst();
      recordExits(name, pod);
      var restarts =
          statuses(pod).mapToInt(ContainerStatus::getRestartCount).sum()
              + (exits.containsKey(name) ? " " + exits.get(name) : "");
      if (!restarts.equals("0")) {
        failures.add(name + " restarted: " + restarts);
      }
      var main =
          Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()
              .filter(s -> AgentPodTemplate.CONTAINER.equals(s.getName()))
              .findFirst();
      if (main.isEmpty() || !AtomizerAgentSpec.DEFAULT_IMAGE.equals(main.get().getImage())) {
        failures.add(name + " did not run " + AtomizerAgentSpec.DEFAULT_IMAGE + ": " + main);
      }
      if (agent != null
          && !Files.isDirectory(workspaces.resolve(AgentDir.of(agent)).resolve("INBOX"))) {
        failures.add(name + ": no INBOX/ made in " + workspaces.resolve(AgentDir.of(agent)));
      }
      var memory =
          PodCgroups.pod(pod.getMetadata().getUid()).isPresent() ? PodMemory.of(pod) : null;
      var limit =
          main.isEmpty()
              ? null
              : pod.getSpec().getContainers().stream()
                  .filter(c -> AgentPodTemplate.CONTAINER.equals(c.getName()))
                  .findFirst()
                  .map(c -> c.getResources().getLimits().get("memory"))
                  .map(q -> q.getNumericalAmount().longValue())
                  .orElse(null);
      if (memory != null && (limit == null || memory.limit() > limit + (64L << 20))) {
        failures.add(
            name + ": the pod's memory cgroup is not held to the limit " + limit + ": " + memory);
      }
      table.append(
          String.format(
              "%-14s %9s %6s %9s %16s %10d/%d/%d %11d  %s%n",
              name,
              podReady.map(this::seconds).orElse("-"),
              Optional.ofNullable(ready.get(name)).map(this::seconds).orElse("-"),
              Optional.ofNullable(connected.get(name)).map(this::seconds).orElse("-"),
              cpuAtReady.containsKey(name)
                  ? String.format("%.1f", cpuAtReady.get(name) / 1e9)
                  : "-",
              memory == null ? -1 : memory.usage() >> 20,
              memory == null ? -1 : memory.maxUsage() >> 20,
              memory == null ? -1 : memory.limit() >> 20,
              memory == null ? -1 : memory.rss() >> 20,
              restarts));
    }
    return table.toString();
  }

  /** What went wrong, one entry per agent; empty when all is well. Complete after report(). */
  List<String> failures() {
    return List.copyOf(failures);
  }

  private String seconds(Instant at) {
    return String.format("%.1f", Duration.between(applied, at).toMillis() / 1000.0);
  }

  private Map<String, Pod> pods() {
    var pods = new HashMap<String, Pod>();
    for (var pod : client.pods().inNamespace(ns).withLabel(Labels.AGENT).list().getItems()) {
      if (!pod.isMarkedForDeletion()) {
        pods.put(pod.getMetadata().getLabels().get(Labels.AGENT), pod);
      }
    }
    return pods;
  }

  private static Stream<ContainerStatus> statuses(Pod pod) {
    return Stream.concat(
        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream());
  }

  private static String verdicts(AtomizerAgent agent, Pod pod) {
    if (agent == null || agent.getStatus() == null) {
      return "no status";
    }
    var text = new StringBuilder();
    for (var type :
        List.of(Conditions.READY, Conditions.POD_HEALTHY, Conditions.DISCORD_CONNECTED)) {
      var c = condition(agent, type);
      text.append(type)
          .append(' ')
          .append(c == null ? "-" : c.getStatus() + "/" + c.getReason() + " " + c.getMessage())
          .append("; ");
    }
    return text + (pod == null ? "no pod" : "pod phase " + pod.getStatus().getPhase());
  }

  private static Condition condition(AtomizerAgent agent, String type) {
    return agent.getStatus() == null ? null : agent.getStatus().condition(type).orElse(null);
  }

  private static boolean isTrue(Condition condition) {
    return condition != null && "True".equals(condition.getStatus());
  }
}
