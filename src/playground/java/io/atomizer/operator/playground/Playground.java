package io.atomizer.operator.playground;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The operator doing its main job with no cluster: fabric8's mock API server in CRUD mode, the
 * simulated node, the team's examples with placeholder tokens, and a live table like {@code kubectl
 * get atomizeragents}. {@code --seconds=N} stops after N seconds (headless runs and tests).
 */
public final class Playground implements AutoCloseable {

  static final String NAMESPACE = "atomizer";

  /** How often the playground's operator scans each INBOX. */
  static final Duration INBOX_INTERVAL = Duration.ofSeconds(2);

  private final PrintStream out;
  private final Clock clock;
  private MockCluster cluster;
  private SimulatedNode node;
  private OperatorRuntime operator;
  private Path workspaces;
  private Path kubeconfig;
  private volatile boolean closing;

  public Playground(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    for (var name :
        List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.javaoperatorsdk", "io.fabric8")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
    Duration runFor = null;
    for (var arg : args) {
      if (arg.startsWith("--seconds=")) {
        runFor = Duration.ofSeconds(Long.parseLong(arg.substring("--seconds=".length())));
      }
    }
    var playground = new Playground(System.out, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(playground::close, "playground-shutdown"));
    try {
      playground.start();
      playground.showTable(runFor);
    } catch (RuntimeException e) {
      if (!playground.closing) {
        throw e;
      }
      return; // Ctrl-C: the shutdown hook closed the cluster under the main thread
    }
    playground.close();
  }

  /** Starts the in-process cluster and the operator, and applies the examples. */
  public void start() throws IOException {
    cluster = new MockCluster();
    node =
        new SimulatedNode(cluster.client(), false, Duration.ofMillis(1500), Duration.ofSeconds(2))
            .start();
    workspaces = Files.createTempDirectory("atomizer-workspaces-");
    var client = cluster.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    var objects = new Examples().load();
    client.resource(placeholderTokens(objects)).create();
    for (var object : objects) {
      object.getMetadata().setNamespace(NAMESPACE);
      if (object instanceof io.fabric8.kubernetes.api.model.Namespace) {
        continue;
      }
      client.resource(object).inNamespace(NAMESPACE).create();
    }
    var config =
        OperatorConfig.from(
                Map.of(
                    "ATOMIZER_DISCORD_VERIFY",
                    "false",
                    "ATOMIZER_HTTP_PORT",
                    "0",
                    "ATOMIZER_WORKSPACES_ROOT",
                    workspaces.toString(),
                    "ATOMIZER_INBOX_INTERVAL_SECONDS",
                    String.valueOf(INBOX_INTERVAL.toSeconds())),
                new String[0])
            .forMockServer();
    operator = AtomizerOperator.start(cluster.operatorClient(), config, clock);
    kubeconfig = writeKubeconfig();
    banner();
  }

  /** One Secret holding a distinct placeholder token under every key the agents reference. */
  static io.fabric8.kubernetes.api.model.Secret placeholderTokens(List<HasMetadata> objects) {
    var data = new TreeMap<String, String>();
    String secretName = "atomizer-discord-tokens";
    for (var object : objects) {
      if (object instanceof AtomizerAgent agent && agent.getSpec().getToken() != null) {
        secretName = agent.getSpec().getToken().getSecretName();
        var key = agent.getSpec().getToken().getKey();
        data.put(
            key,
            Base64.getEncoder()
                .encodeToString(
                    ("playground-placeholder-" + key).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private void banner() throws IOException {
    var agents =
        cluster.client().resources(AtomizerAgent.class).inNamespace(NAMESPACE).list().getItems();
    for (var agent : agents) {
      Files.createDirectories(workspaces.resolve(AgentDir.of(agent)).resolve("INBOX"));
    }
    Files.createDirectories(workspaces.resolve("shared_context"));
    var example =
        agents.stream()
            .map(AgentDir::of)
            .filter(d -> d.contains("tech"))
            .findFirst()
            .orElse("manager");
    out.println(
        """
        ==================================================================================
         atomizer-operator PLAYGROUND - a SIMULATED cluster, nothing real is running.
         In-process API server: fabric8's mock server; a simulated node plays the kubelet.
         The team's examples were applied with placeholder tokens in namespace %s.

         Workspaces (the shared brain): %s
           Drop task files to see INBOX rise, for example:
             echo '{"task":"review"}' > %s/%s/INBOX/task-1.json
           Past spec.inbox.maxPending tasks, InboxHealthy turns False (Backlogged).

         kubeconfig for the in-process server: %s
           The mock server cannot serve kubectl's API discovery, so 'kubectl get' does not
           work against it; raw reads do:
             kubectl --kubeconfig %s get --raw /apis/atomizer.io/v1alpha1/namespaces/%s/atomizeragents

         For a real cluster see the README: "T420 / k3s" and "Any cluster with Helm".
         Ctrl-C stops everything.
        ==================================================================================
        """
            .formatted(
                NAMESPACE, workspaces, workspaces, example, kubeconfig, kubeconfig, NAMESPACE));
    out.flush();
  }

  /** Prints the table whenever a cell other than AGE changes; returns after {@code runFor}. */
  public void showTable(Duration runFor) throws InterruptedException {
    var until = runFor == null ? Instant.MAX : clock.instant().plus(runFor);
    List<List<String>> shown = null;
    Instant lastPrint = Instant.EPOCH;
    var client = cluster.client();
    while (clock.instant().isBefore(until)) {
      List<AtomizerAgent> agents;
      try {
        agents = client.resources(AtomizerAgent.class).inAnyNamespace().list().getItems();
      } catch (RuntimeException e) {
        if (closing) {
          return;
        }
        throw e;
      }
      var now = clock.instant();
      var cells = AgentTable.withoutAge(agents);
      if (!cells.equals(shown) || Duration.between(lastPrint, now).toSeconds() >= 30) {
        out.println("--- " + now + " ---");
        out.print(AgentTable.render(agents, now));
        out.flush();
        shown = cells;
        lastPrint = now;
      }
      Thread.sleep(500);
    }
  }

  private Path writeKubeconfig() throws IOException {
    var file = Files.createTempFile("atomizer-playground-", ".kubeconfig");
    Files.writeString(file, cluster.kubeconfig("playground", NAMESPACE));
    return file;
  }

  public Path workspaces() {
    return workspaces;
  }

  /** A client of the in-process API server, as the table reads it. */
  KubernetesClient client() {
    return cluster.client();
  }

  @Override
  public synchronized void close() {
    closing = true;
    if (operator != null) {
      operator.stop();
      operator = null;
    }
    if (node != null) {
      node.close();
      node = null;
    }
    if (cluster != null) {
      cluster.close();
      cluster = null;
      out.println("Playground stopped.");
    }
  }
}
