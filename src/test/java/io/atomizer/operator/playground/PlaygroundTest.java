package io.atomizer.operator.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.support.Agents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The README's first command, headless: the team's eight agents come up in the live table. */
@Tag("mock")
class PlaygroundTest {

  static final List<String> TEAM = Agents.TEAM.stream().sorted().toList();

  @Test
  void playgroundBringsTheEightExampleAgentsToReadyInItsTable() throws Exception {
    var buffer = new ByteArrayOutputStream();
    var out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    try (var playground = new Playground(out, Clock.systemUTC())) {
      playground.start();
      playground.showTable(Duration.ofSeconds(12));
    }
    var printed = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("SIMULATED cluster"), "says plainly that it is simulated");
    assertTrue(printed.contains("kubectl"), "says how kubectl can reach it");
    var tables = printed.split("--- ");
    var last = tables[tables.length - 1].lines().skip(1).toList();
    assertTrue(
        last.get(0).matches("NAME\\s+ROLE\\s+READY\\s+STATUS\\s+RESTARTS\\s+INBOX\\s+AGE"),
        last.get(0));
    var rows =
        last.stream().filter(l -> !l.startsWith("NAME") && !l.startsWith("Playground")).toList();
    assertEquals(TEAM, rows.stream().map(r -> r.split("\\s+")[0]).toList(), printed);
    rows.forEach(r -> assertTrue(r.matches("\\S+\\s+\\S+\\s+True\\s+Running\\s+0\\s+.*"), r));
  }
}
