package io.atomizer.operator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing chaos run keeps what explains it: the last warnings, and the operator's whole log. */
class ChaosReportTest {

  @TempDir Path dir;

  @Test
  void failingRunKeepsTheLastWarningsAndWritesTheWholeOperatorLog() throws Exception {
    var log = new ArrayList<String>();
    for (int i = 0; i < 500; i++) {
      log.add("INFO  reconciled " + i);
      log.add("WARN  warning " + i);
    }
    var timed = log.stream().map(l -> "2026-12-07T04:00:00Z " + l).toList();
    var report = new ChaosReport(7, Duration.ofSeconds(1), dir);
    report.operatorLog(log, timed);
    report.violation("3 converge after the faults", "agent-3 never converged");

    report.print();

    var text = Files.readString(dir.resolve("chaos-7.txt"));
    assertTrue(text.contains("the last 200 of 500"), text);
    assertTrue(text.contains("WARN  warning 499"), "the last warning is kept");
    assertTrue(text.contains("WARN  warning 300\n"), "the 200th from the end is kept");
    assertFalse(text.contains("WARN  warning 299\n"), "older ones are left out");
    assertEquals(timed, Files.readAllLines(dir.resolve("chaos-7-operator.log")));
  }

  @Test
  void passingRunWritesNoOperatorLog() throws Exception {
    var report = new ChaosReport(8, Duration.ofSeconds(1), dir);
    report.operatorLog(java.util.List.of("WARN  one"), java.util.List.of("t WARN  one"));

    report.print();

    assertTrue(Files.readString(dir.resolve("chaos-8.txt")).contains("WARN  one"));
    assertFalse(Files.exists(dir.resolve("chaos-8-operator.log")));
  }
}
