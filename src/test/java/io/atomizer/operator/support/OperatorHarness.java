package io.atomizer.operator.support;

import static org.awaitility.Awaitility.await;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.playground.SimulatedNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real JOSDK operator against fabric8's mock API server in CRUD mode, with the simulated node
 * playing the kubelet. One per test class, registered as a JUnit extension that stops it after the
 * class's tests; each test works in namespaces of its own.
 */
public final class OperatorHarness implements AutoCloseable, AfterAllCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final MockCluster cluster = new MockCluster();
  private final SimulatedNode node;
  private final OperatorConfig config;
  private OperatorRuntime operator;

  public OperatorHarness() {
    this(Map.of());
  }

  /**
   * The harness with extra operator settings (environment variable names). Tests never log in to
   * Discord unless they point the operator at a fake one, need no HTTP endpoint, and do not poll
   * agents' gateways for their Discord status.
   */
  public OperatorHarness(Map<String, String> settings) {
    this(config(settings));
  }

  public static OperatorConfig config(Map<String, String> settings) {
    var env = new java.util.HashMap<String, String>();
    env.put("ATOMIZER_DISCORD_VERIFY", "false");
    env.put("ATOMIZER_HTTP_PORT", "0");
    // the simulated pods' IPs lead nowhere; DiscordConnectedRealAgentIT asks a real gateway
    env.put("ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS", "0");
    env.putAll(settings);
    return OperatorConfig.from(env, new String[0]).forMockServer();
  }

  public OperatorHarness(OperatorConfig config) {
    // waits fail on what the operator does, not on another thread's uncaught exception: JDA's
    // rate-limiter threads throw one when a JDA instance is shut down while they back off
    Awaitility.doNotCatchUncaughtExceptionsByDefault();
    this.config = config;
    node =
        new SimulatedNode(cluster.client(), false, Duration.ofMillis(50), Duration.ofMillis(300))
            .start();
    startOperator();
  }

  public void startOperator() {
    operator = AtomizerOperator.start(cluster.operatorClient(), config, Clock.systemUTC());
  }

  public void stopOperator() {
    operator.stop();
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public MockCluster cluster() {
    return cluster;
  }

  public SimulatedNode node() {
    return node;
  }

  /** A fresh namespace holding the team Secret with {@code tokens} and the workspaces claim. */
  public String namespace(Map<String, String> tokens) {
    // zero-padded: namespaces sort in creation order, the operator's tie-break between agents
    // created in the same second (creation timestamps have whole seconds)
    var ns = String.format("team-%04d", NAMESPACES.incrementAndGet());
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client().resource(Agents.tokens(ns, tokens)).create();
    client().resource(Agents.workspaces(ns)).create();
    return ns;
  }

  public AtomizerAgent apply(AtomizerAgent agent) {
    return client().resource(agent).serverSideApply();
  }

  public AtomizerAgent create(AtomizerAgent agent) {
    return client().resource(agent).create();
  }

  public AtomizerAgent get(String ns, String name) {
    return client().resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
  }

  public Optional<Pod> pod(String ns, String name) {
    return Optional.ofNullable(client().pods().inNamespace(ns).withName(name).get());
  }

  public List<Pod> pods(String ns) {
    return client().pods().inNamespace(ns).list().getItems();
  }

  public Optional<PersistentVolumeClaim> stateClaim(String ns, String agent) {
    return Optional.ofNullable(
        client().persistentVolumeClaims().inNamespace(ns).withName(agent + "-state").get());
  }

  public Optional<Condition> condition(String ns, String name, String type) {
    var agent = get(ns, name);
    return agent == null || agent.getStatus() == null
        ? Optional.empty()
        : agent.getStatus().condition(type);
  }

  /** Waits until condition {@code type} of the agent has {@code status} and {@code reason}. */
  public Condition awaitCondition(
      String ns, String name, String type, String status, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> condition(ns, name, type).orElse(null),
            c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  public void awaitAgent(String ns, String name, Predicate<AtomizerAgent> predicate) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(ns, name), a -> a != null && predicate.test(a));
  }

  public void awaitReady(String ns, String name) {
    awaitCondition(ns, name, "Ready", "True", "Running");
  }

  /** How long the operator's fixed point in a namespace must hold before {@link #awaitSettled}. */
  public static final Duration SETTLED = Duration.ofSeconds(1);

  /**
   * Waits for the operator's fixed point in {@code ns}: for {@link #SETTLED}, no API call of the
   * operator in the namespace and no change of any agent's resourceVersion there (polled; fails if
   * the operator keeps acting for 30 s). A test asserts that something did not happen after this,
   * once the operator has finished what the last change started.
   */
  public void awaitSettled(String ns) {
    var last = new Object[] {null};
    var since = new long[] {System.nanoTime()};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var state = List.of(versions(ns), callsIn(ns));
              if (!state.equals(last[0])) {
                last[0] = state;
                since[0] = System.nanoTime();
              }
              return System.nanoTime() - since[0] >= SETTLED.toNanos();
            });
  }

  private Map<String, String> versions(String ns) {
    var versions = new java.util.TreeMap<String, String>();
    client()
        .resources(AtomizerAgent.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            a -> versions.put(a.getMetadata().getName(), a.getMetadata().getResourceVersion()));
    return versions;
  }

  private long callsIn(String ns) {
    return cluster.operatorCalls().stream().filter(c -> ns.equals(c.namespace())).count();
  }

  /** Operator calls recorded from now on are those after the returned mark. */
  public int mark() {
    return cluster.operatorCalls().size();
  }

  public List<ApiCall> callsSince(int mark) {
    var calls = cluster.operatorCalls();
    return calls.subList(Math.min(mark, calls.size()), calls.size());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    operator.stop();
    node.close();
    cluster.close();
  }
}
