package io.atomizer.operator.support;

import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.playground.MockCluster;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * The operator's agent watch broken and refused (500) until {@link #end}: what the operator knows
 * of agents stays as it was, while its watches of pods, claims and Secrets come back at once.
 */
public final class AgentWatchOutage {

  private AgentWatchOutage() {}

  /** Drops every watch of the operator and refuses new agent watches. */
  public static void begin(MockCluster cluster) {
    cluster.injectFaults(r -> isAgentWatch(r) ? Optional.of(refused()) : Optional.empty());
    cluster.dropWatches();
  }

  /** Lets the agent watch open again; the informer lists agents afresh. */
  public static void end(MockCluster cluster) {
    cluster.clearFaults();
  }

  private static boolean isAgentWatch(RecordedRequest r) {
    var call = ApiCall.parse(r.getMethod(), r.getPath());
    return call != null && call.verb().equals("watch") && call.resource().equals("atomizeragents");
  }

  private static MockResponse refused() {
    return new MockResponse()
        .setResponseCode(500)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"watch refused\",\"reason\":\"InternalError\",\"code\":500}");
  }
}
