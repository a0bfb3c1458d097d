package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a new agent pod's memory request cannot fit the nodes' allocatable memory beside the
 * other agents' requests: on a T420 an idle OpenClaw agent takes about 0.9 GB, so eight of them
 * nearly fill an 8 GB laptop, and the ninth pod would stay Pending, or, with requests set too low,
 * the kernel's OOM killer would pick among the agents instead.
 *
 * <p>An Event (reason {@link #REASON}) rather than a condition: the verdict depends on other
 * objects (the node, the other agents) that change without this agent changing, so a condition
 * would have to be recomputed on every reconcile, with a node lookup on the hot path, or go stale;
 * and it blocks nothing (the scheduler decides; a Pending pod already shows in Ready). So it runs
 * only when an agent's status first reports a pod (a new or resumed agent), and lists the nodes at
 * most once per {@link #NODE_CACHE}. Without the right to list nodes (an old chart) the check turns
 * itself off for a while and says so once in the log.
 */
public final class NodeMemoryFit {

  /** Event reason: the memory requests of all running agents exceed what the nodes allocate. */
  public static final String REASON = EventReason.INSUFFICIENT_NODE_MEMORY.reason();

  static final Duration NODE_CACHE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(NodeMemoryFit.class);

  private final Clock clock;
  private volatile Instant listedAt = Instant.MIN;
  private volatile Optional<BigDecimal> allocatable = Optional.empty();
  private final Set<String> checked = ConcurrentHashMap.newKeySet();

  public NodeMemoryFit(Clock clock) {
    this.clock = clock;
  }

  /**
   * The warning for {@code agent}, whose status reports its first pod now, given every agent the
   * operator knows; empty when it fits, when the nodes report no allocatable memory, or when this
   * agent (uid and generation) was checked already.
   */
  public Optional<AgentEvents.Notice> check(
      KubernetesClient client, AtomizerAgent agent, Collection<AtomizerAgent> all) {
    var pod = agent.getMetadata().getUid() + "/" + agent.getMetadata().getGeneration();
    if (!checked.add(pod)) {
      return Optional.empty(); // the same first pod seen again before its status was written
    }
    if (checked.size() > 10_000) {
      checked.clear();
    }
    return allocatable(client).flatMap(bytes -> verdict(agent, all, bytes));
  }

  /** Whether the status reports the agent's first pod now: the moment the check runs. */
  static boolean firstPod(AtomizerAgentStatus before, AtomizerAgentStatus after) {
    return after.getPod() != null && (before == null || before.getPod() == null);
  }

  /** The warning when the running agents' requests add up to more than {@code allocatable}. */
  public static Optional<AgentEvents.Notice> verdict(
      AtomizerAgent agent, Collection<AtomizerAgent> all, BigDecimal allocatable) {
    var own = request(agent);
    var others =
        all.stream()
            .filter(a -> !a.getMetadata().getUid().equals(agent.getMetadata().getUid()))
            .filter(a -> !Boolean.TRUE.equals(a.getSpec().getSuspend()))
            .toList();
    var othersTotal =
        others.stream().map(NodeMemoryFit::request).reduce(BigDecimal.ZERO, BigDecimal::add);
    if (own.add(othersTotal).compareTo(allocatable) <= 0) {
      return Optional.empty();
    }
    var free = allocatable.subtract(othersTotal).max(BigDecimal.ZERO);
    return Optional.of(
        new AgentEvents.Notice(
            EventReason.INSUFFICIENT_NODE_MEMORY,
            "This agent requests "
                + mib(own)
                + " of memory, but the nodes allocate "
                + mib(allocatable)
                + " and the other "
                + others.size()
                + " running agents request "
                + mib(othersTotal)
                + " (free: "
                + mib(free)
                + "). Its pod may stay Pending. Suspend an agent (spec.suspend), lower"
                + " spec.resources.requests.memory (an idle agent uses about 0.9 GB), or add"
                + " memory; see the memory budget in k3s/README.md."));
  }

  /** The agent container's memory request as the API server sets it: request, else limit. */
  static BigDecimal request(AtomizerAgent agent) {
    var resources =
        Optional.ofNullable(agent.getSpec().getResources())
            .orElse(AgentPodTemplate.DEFAULT_RESOURCES);
    return memory(resources, true).or(() -> memory(resources, false)).orElse(BigDecimal.ZERO);
  }

  private static Optional<BigDecimal> memory(ResourceRequirements resources, boolean requests) {
    var map = requests ? resources.getRequests() : resources.getLimits();
    return Optional.ofNullable(map).map(m -> m.get("memory")).map(Quantity::getAmountInBytes);
  }

  private Optional<BigDecimal> allocatable(KubernetesClient client) {
    var now = clock.instant();
    if (Duration.between(listedAt, now).compareTo(NODE_CACHE) < 0) {
      return allocatable;
    }
    listedAt = now;
    try {
      allocatable =
          client.nodes().list().getItems().stream()
              .filter(
                  n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
              .map(NodeMemoryFit::allocatableMemory)
              .flatMap(Optional::stream)
              .reduce(BigDecimal::add);
    } catch (KubernetesClientException e) {
      log.info(
          "Cannot list nodes (HTTP {}): the warning about agents' memory requests that do not fit"
              + " the node is off for {}",
          e.getCode(),
          NODE_CACHE);
      allocatable = Optional.empty();
    }
    return allocatable;
  }

  private static Optional<BigDecimal> allocatableMemory(Node node) {
    return Optional.ofNullable(node.getStatus())
        .map(s -> s.getAllocatable())
        .map(a -> a.get("memory"))
        .map(Quantity::getAmountInBytes);
  }

  private static String mib(BigDecimal bytes) {
    return bytes.divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.HALF_UP) + "Mi";
  }
}
