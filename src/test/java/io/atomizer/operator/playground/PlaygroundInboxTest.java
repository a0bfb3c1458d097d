package io.atomizer.operator.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's first try of the INBOX: the playground starts with the team's eight examples (they
 * exist before the operator starts, as after any operator restart), then task files are dropped
 * into the tech-lead's INBOX. Every agent's INBOX must show within two scan intervals of the drop,
 * the tech-lead's with every file.
 */
@Tag("mock")
class PlaygroundInboxTest {

  static final int DROPPED = 25;

  @Test
  void everyAgentsInboxShowsAndTheTechLeadCountsTheFilesDroppedAfterStart() throws Exception {
    var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (var playground = new Playground(out, Clock.systemUTC())) {
      playground.start();
      var agents = agents(playground);
      assertEquals(8, agents.size(), agents.toString());
      var techLead = agents.get("tech-lead");
      var inbox = playground.workspaces().resolve(AgentDir.of(techLead)).resolve("INBOX");
      Files.createDirectories(inbox);
      for (int i = 1; i <= DROPPED; i++) {
        Files.writeString(inbox.resolve("task-" + i + ".json"), "{\"task\":" + i + "}");
      }
      var expected = new TreeMap<String, Integer>();
      agents.keySet().forEach(name -> expected.put(name, name.equals("tech-lead") ? DROPPED : 0));
      await()
          .atMost(Playground.INBOX_INTERVAL.multipliedBy(2))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertEquals(expected, pending(agents(playground))));
    }
  }

  private static Map<String, AtomizerAgent> agents(Playground playground) {
    var byName = new TreeMap<String, AtomizerAgent>();
    playground
        .client()
        .resources(AtomizerAgent.class)
        .inNamespace(Playground.NAMESPACE)
        .list()
        .getItems()
        .forEach(a -> byName.put(a.getMetadata().getName(), a));
    return byName;
  }

  /** The INBOX column per agent: status.inbox.pending, null when not shown. */
  private static Map<String, Integer> pending(Map<String, AtomizerAgent> agents) {
    var pending = new TreeMap<String, Integer>();
    agents.forEach(
        (name, a) ->
            pending.put(
                name,
                a.getStatus() == null || a.getStatus().getInbox() == null
                    ? null
                    : a.getStatus().getInbox().getPending()));
    return pending;
  }
}
