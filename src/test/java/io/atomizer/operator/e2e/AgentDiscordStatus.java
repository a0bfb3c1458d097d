package io.atomizer.operator.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.agentstatus.ChannelStatusClient;
import io.atomizer.operator.agentstatus.GatewayTarget;
import io.atomizer.operator.agentstatus.GatewayTargets;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.status.ConditionValue;
import io.atomizer.operator.status.DiscordConnected;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The operator's own DiscordConnected path run against a real agent: {@link GatewayTargets} finds
 * the gateway and the pod's own token, {@link ChannelStatusClient} asks the gateway for {@code
 * channels.status}, {@link DiscordConnected#decide} turns the answer into the condition.
 */
final class AgentDiscordStatus {

  private final ChannelStatusClient client = new ChannelStatusClient(Duration.ofSeconds(5));

  /**
   * The operator's target for {@code pod} as if the kubelet reported it ready at {@code ip}, with
   * Secret keys resolved by {@code secrets}.
   */
  static GatewayTargets.Resolution target(
      AtomizerAgent agent, Pod pod, String ip, GatewayTargets.SecretValues secrets) {
    var ready =
        new PodBuilder(pod)
            .editOrNewStatus()
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    return new GatewayTargets(id -> Optional.of(ready), secrets).resolve(agent);
  }

  /**
   * The workspace OpenClaw itself resolved for its default agent ({@code agents.list} over the same
   * admin-http-rpc route: {@code payload.agents[id == defaultId].workspace}), or the error.
   */
  static String workspace(GatewayTarget target) throws InterruptedException {
    var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      var response =
          http.send(
              HttpRequest.newBuilder(target.baseUrl().resolve(ChannelStatusClient.RPC_PATH))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + target.token())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"agents.list\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      var payload = new ObjectMapper().readTree(response.body()).path("payload");
      var id = payload.path("defaultId").asText();
      for (var agent : payload.path("agents")) {
        if (id.equals(agent.path("id").asText())) {
          return agent.path("workspace").asText();
        }
      }
      return "(no default agent in: HTTP " + response.statusCode() + ")";
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  /** One poll, decided as the operator decides it. */
  ConditionValue decide(GatewayTarget target) {
    return DiscordConnected.decide(client.fetch(target));
  }

  /** Polls every second until the decision matches {@code wanted}, at most {@code budget}. */
  ConditionValue await(GatewayTarget target, Predicate<ConditionValue> wanted, Duration budget)
      throws InterruptedException {
    var until = System.nanoTime() + budget.toNanos();
    var last = decide(target);
    while (!wanted.test(last) && System.nanoTime() < until) {
      Thread.sleep(1000);
      last = decide(target);
    }
    return last;
  }

  static Predicate<ConditionValue> is(String status, String reason) {
    return c -> status.equals(c.status()) && reason.equals(c.reason());
  }
}
