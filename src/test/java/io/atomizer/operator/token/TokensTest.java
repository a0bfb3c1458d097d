package io.atomizer.operator.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The token owner's hand-over: who is woken so that a token changes hands. No Secret is cached
 * here, so no other agent shares a token and only the holder's agent can be woken.
 */
class TokensTest {

  private final List<ResourceID> woken = new ArrayList<>();

  @ParameterizedTest(name = "holder {0}, status fingerprint {1}, now {2} -> wakes {3}")
  @CsvSource({
    // holder,      before,  now,     woken
    "none,          aaaa,    aaaa,    ''",
    "running,       aaaa,    aaaa,    manager",
    "terminating,   aaaa,    aaaa,    ''",
    "running,       none,    aaaa,    manager",
    "none,          bbbb,    aaaa,    ''",
  })
  void handOverWakesTheHoldersAgent(String holder, String before, String now, String expected) {
    var tokens = new Tokens(new TokenIndex(), null, null, recording(), null);
    var agent = Agents.agent("team", "tech-lead", "TECH_LEAD_TOKEN");
    if (!before.equals("none")) {
      agent.setStatus(new AtomizerAgentStatus());
      agent.getStatus().setTokenFingerprint(before);
    }

    tokens.handOver(agent, now, pod(holder));

    assertEquals(expected.isEmpty() ? List.of() : List.of(new ResourceID(expected, "team")), woken);
  }

  private static Pod pod(String holder) {
    var pod = Pods.pod("manager", "Running", Pods.running(true, 0));
    return switch (holder) {
      case "running" -> pod;
      case "terminating" -> Pods.terminating(pod);
      default -> null;
    };
  }

  private SimpleInboundEventSource<AtomizerAgent> recording() {
    var source = new SimpleInboundEventSource<AtomizerAgent>("token-handover");
    source.setEventHandler(event -> woken.add(event.getRelatedCustomResourceID()));
    source.start();
    return source;
  }
}
