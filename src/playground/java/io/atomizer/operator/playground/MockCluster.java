package io.atomizer.operator.playground;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorClient;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-process API server: fabric8's mock server in CRUD mode with the AtomizerAgent CRD
 * installed. It records every call the operator makes (recognised by its user agent), and can
 * answer chosen calls with faults: replaced answers (errors), late answers to requests it carried
 * out (slow responses and client timeouts), and dropped watch connections. Of server-side apply it
 * has only the status subresource's ({@link StatusApply}, with its resourceVersion precondition);
 * it has no schema validation and no garbage collection; the end-to-end tier covers those against a
 * real kube-apiserver.
 */
public final class MockCluster implements AutoCloseable {

  /** The user agent of the operator's client, so its calls can be told from the harness's. */
  public static final String OPERATOR_AGENT = AtomizerOperator.USER_AGENT;

  public static final String CRD_RESOURCE = "/META-INF/fabric8/atomizeragents.atomizer.io-v1.yml";

  /** The mock server logs every request at INFO through java.util.logging; keep it quiet. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private final List<ApiCall> operatorCalls = new CopyOnWriteArrayList<>();
  private volatile Function<RecordedRequest, Optional<MockResponse>> faults = r -> Optional.empty();
  private volatile Function<RecordedRequest, Optional<Duration>> delays = r -> Optional.empty();

  /** The operator's open watch connections, each with the resource it watches. */
  private final Map<WebSocket, String> operatorWatches = new ConcurrentHashMap<>();

  private final WatchContinuity continuity = new WatchContinuity();
  private final Set<String> disconnected = ConcurrentHashMap.newKeySet();
  private final KubernetesMockServer server;
  private final KubernetesClient admin;

  public MockCluster() {
    var dispatcher =
        new KubernetesCrudDispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            var agent = request.getHeader("User-Agent");
            boolean fromOperator = agent != null && agent.startsWith("atomizer-operator");
            if (fromOperator && disconnected.contains(agent)) {
              return new MockResponse().setResponseCode(503).setBody("{}");
            }
            if (fromOperator) {
              var call = ApiCall.parse(request.getMethod(), request.getPath());
              if (call != null) {
                operatorCalls.add(call);
              }
              var fault = faults.apply(request);
              if (fault.isPresent()) {
                return fault.get();
              }
              if (WatchContinuity.isWatch(request)) {
                var listing = continuity.continues(agent, request);
                if (listing.isEmpty()) {
                  return new MockResponse().withWebSocketUpgrade(new ExpiredWatch());
                }
                var watch = carryOut(request).getWebSocketListener();
                var missed = continuity.missedDeletions(listing.get(), request, this::carryOut);
                return new MockResponse()
                    .withWebSocketUpgrade(
                        new TrackedWatch(watch, missed, call == null ? "" : call.resource()));
              }
              var response = carryOut(request);
              if (call != null && call.verb().equals("list")) {
                continuity.listed(agent, request, response);
              }
              delays.apply(request).ifPresent(response::setBodyDelay);
              return response;
            }
            return carryOut(request);
          }

          /**
           * The mock leaves a JSON patch it cannot apply (removing a field that is not there)
           * unanswered, so the client waits for its timeout; a real API server answers 422.
           */
          private MockResponse carryOut(RecordedRequest request) {
            try {
              return super.dispatch(StatusApply.asJsonPatch(request).orElse(request));
            } catch (JsonPatchException e) {
              return new MockResponse()
                  .setResponseCode(422)
                  .setBody(
                      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                          + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,"
                          + "\"message\":\"the JSON patch does not apply\"}");
            }
          }
        };
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            dispatcher,
            false);
    server.init();
    admin = server.createClient();
    admin.resource(crd()).create();
  }

  private static java.util.logging.Logger quiet(String name) {
    var logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  /** The AtomizerAgent CRD as generated by the build. */
  public static CustomResourceDefinition crd() {
    try (var in = MockCluster.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is missing; run mvn process-classes");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client for the harness: set-up, simulated node, assertions. Its calls are not recorded. */
  public KubernetesClient client() {
    return admin;
  }

  /**
   * A new client that identifies as the operator and reads as the operator does ({@link
   * OperatorClient}); its calls are recorded.
   */
  public KubernetesClient operatorClient() {
    return server.createClient(
        b ->
            b.withKubernetesSerialization(OperatorClient.serialization())
                .editOrNewConfig()
                .withUserAgent(OPERATOR_AGENT)
                .withWatchReconnectInterval(OperatorClient.WATCH_RECONNECT_INTERVAL_MS)
                .endConfig());
  }

  /**
   * A new operator client whose requests give up after {@code requestTimeout}, so that a late
   * answer (see {@link #delayResponses}) becomes a client-side timeout of a request the server
   * carried out. Its user agent ends with {@code instance}, so that faults can tell operator
   * processes apart.
   */
  public KubernetesClient operatorClient(String instance, Duration requestTimeout) {
    return server.createClient(
        b ->
            b.editOrNewConfig()
                .withUserAgent(OPERATOR_AGENT + " " + instance)
                .withRequestTimeout((int) requestTimeout.toMillis())
                .withWatchReconnectInterval(OperatorClient.WATCH_RECONNECT_INTERVAL_MS)
                .endConfig());
  }

  /** The client configuration pointing at this server, for a kubeconfig file. */
  public Config config() {
    return admin.getConfiguration();
  }

  /**
   * A kubeconfig for this server with one context, {@code name}, whose default namespace is {@code
   * namespace}; it has no credentials, as the mock asks for none.
   */
  public String kubeconfig(String name, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            namespace: %3$s
            user: %1$s
        current-context: %1$s
        users:
        - name: %1$s
          user: {}
        """
        .formatted(name, config().getMasterUrl(), namespace);
  }

  /** Every call the operator made so far, in order. */
  public List<ApiCall> operatorCalls() {
    return List.copyOf(operatorCalls);
  }

  /** Answers operator requests for which {@code fault} returns a response with that response. */
  public void injectFaults(Function<RecordedRequest, Optional<MockResponse>> fault) {
    this.faults = fault;
  }

  /**
   * Carries out operator requests as usual but sends the answer only after the returned delay, as a
   * slow or overloaded API server does. Watches are not delayed; see {@link #dropWatches}.
   */
  public void delayResponses(Function<RecordedRequest, Optional<Duration>> delay) {
    this.delays = delay;
  }

  /** Clears injected faults and delays. */
  public void clearFaults() {
    this.faults = r -> Optional.empty();
    this.delays = r -> Optional.empty();
  }

  /**
   * Cuts off the operator client of {@code instance} (see {@link #operatorClient(String,
   * Duration)}), as if its process had died: its watches are closed, and its further requests are
   * refused without being carried out or recorded.
   */
  public void disconnect(String instance) {
    disconnected.add(OPERATOR_AGENT + " " + instance);
    dropWatches();
  }

  /**
   * Closes every open watch connection of the operator from the server side, as an API server
   * restart or a load balancer's idle timeout does; the client must notice and watch again (see
   * {@link WatchContinuity} for what it is answered then).
   *
   * @return how many connections were closed
   */
  public int dropWatches() {
    int dropped = 0;
    for (var socket : List.copyOf(operatorWatches.keySet())) {
      if (operatorWatches.remove(socket) != null) {
        socket.close(1001, "dropped by fault injection");
        dropped++;
      }
    }
    return dropped;
  }

  /** The operator's watch connections open now. */
  public int openWatches() {
    return operatorWatches.size();
  }

  /** The resources (for example pods) the operator has a watch connection open for now. */
  public Set<String> watchedResources() {
    return Set.copyOf(operatorWatches.values());
  }

  /**
   * A watch resumption, answered as a real API server answers a resourceVersion it no longer keeps:
   * 410 Gone, after which the client lists again.
   */
  private static final class ExpiredWatch extends WebSocketListener {
    @Override
    public void onOpen(WebSocket socket, Response response) {
      socket.send(WatchContinuity.expired());
    }
  }

  /**
   * Passes a watch through, sends the deletions the client missed since its list, and remembers the
   * connection, so that it can be dropped.
   */
  private final class TrackedWatch extends WebSocketListener {
    private final WebSocketListener watch;
    private final List<String> missedDeletions;
    private final String resource;

    TrackedWatch(WebSocketListener watch, List<String> missedDeletions, String resource) {
      this.watch = watch;
      this.missedDeletions = missedDeletions;
      this.resource = resource;
    }

    @Override
    public void onBeforeAccept(WebSocket socket, Response response) {
      watch.onBeforeAccept(socket, response);
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
      operatorWatches.put(socket, resource);
      watch.onOpen(socket, response);
      missedDeletions.forEach(socket::send);
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      watch.onMessage(socket, text);
    }

    @Override
    public void onMessage(WebSocket socket, byte[] bytes) {
      watch.onMessage(socket, bytes);
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
      watch.onClosing(socket, code, reason);
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      operatorWatches.remove(socket);
      watch.onClosed(socket, code, reason);
    }

    @Override
    public void onFailure(WebSocket socket, Throwable error, Response response) {
      operatorWatches.remove(socket);
      watch.onFailure(socket, error, response);
    }
  }

  @Override
  public void close() {
    admin.close();
    server.destroy();
  }
}
