package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.MockCluster;
import io.atomizer.operator.playground.SimulatedNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server (CRUD mode) with the simulated node, recording every request whose user
 * agent starts with "atomizer-operator" with the time it arrived.
 */
final class MockFleetServer implements FleetServer {

  /** The operator's own user agent (the baseline's start program uses another). */
  static final String OPERATOR = io.atomizer.operator.AtomizerOperator.USER_AGENT;

  private final MockCluster cluster = new MockCluster();
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private final SimulatedNode node;
  private final Path kubeconfig;

  MockFleetServer(Duration podStartDelay) {
    cluster.injectFaults(
        request -> {
          var call = ApiCall.parse(request.getMethod(), request.getPath());
          if (call == null) { // /version, discovery
            call = new ApiCall("get", "", request.getPath(), "", "", "");
          }
          requests.add(new ApiRequest(Instant.now(), request.getHeader("User-Agent"), call));
          return Optional.empty();
        });
    node = new SimulatedNode(cluster.client(), false, podStartDelay, Duration.ofSeconds(1)).start();
    kubeconfig = writeKubeconfig(cluster);
  }

  static Path writeKubeconfig(MockCluster cluster) {
    try {
      var file = Files.createTempFile("fleet-mock-", ".kubeconfig");
      file.toFile().deleteOnExit();
      Files.writeString(file, cluster.kubeconfig("mock", "default"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "mock";
  }

  @Override
  public KubernetesClient admin() {
    return cluster.client();
  }

  @Override
  public Config config() {
    return cluster.config();
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public List<String> operatorArgs() {
    return List.of(
        "--atomizer-server-side-apply=false",
        "--atomizer-secret-field-selector=",
        "--atomizer-discord-verify=false",
        "--atomizer-http-port=0");
  }

  @Override
  public List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void apply(String namespace, List<AtomizerAgent> agents) {
    var resources = admin().resources(AtomizerAgent.class).inNamespace(namespace);
    agents.forEach(agent -> resources.resource(agent).create());
  }

  /** An update() of each agent as stored: same spec, same everything. */
  @Override
  public void reapply(String namespace, List<AtomizerAgent> agents) {
    var resources = admin().resources(AtomizerAgent.class).inNamespace(namespace);
    for (var agent : agents) {
      var stored = resources.withName(agent.getMetadata().getName()).get();
      resources.resource(stored).update();
    }
  }

  @Override
  public void close() {
    node.close();
    cluster.close();
  }
}
