package io.atomizer.operator.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the checked-in CRD; the build's copy-crd-into-chart step keeps it so. */
class ChartCrdTest {

  static final Path CRDS = Path.of("crds");
  static final Path CHART_CRDS = HelmChart.CHART.resolve("crds");

  @Test
  void chartCrdsAreByteIdenticalToTheTopLevelCrds() throws IOException {
    assertEquals(names(CRDS), names(CHART_CRDS), "same files in crds/ and the chart's crds/");
    for (var name : names(CRDS)) {
      assertArrayEquals(
          Files.readAllBytes(CRDS.resolve(name)),
          Files.readAllBytes(CHART_CRDS.resolve(name)),
          CHART_CRDS.resolve(name) + " differs from crds/; run mvn generate-resources and commit");
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
