package io.atomizer.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's JAVA_TOOL_OPTIONS, the image's own JVM flags (Jib entrypoint, pom.xml) and
 * jvm.options (for java -jar from a shell) are the same tuned set, so that the footprint measured
 * with the fleet benchmark (which runs the chart's flags) is the one shipped either way.
 */
class ChartJvmFlagsTest {

  /** Flags only the image needs: its root filesystem is read-only and it has no X11 libraries. */
  private static final Set<String> IMAGE_ONLY =
      Set.of("-XX:-UsePerfData", "-Djava.awt.headless=true");

  @Test
  void chartJavaToolOptionsAreTheImagesJvmFlags() throws Exception {
    var pom = Files.readString(Path.of("pom.xml"));
    var entrypoint = pom.substring(pom.indexOf("<entrypoint>"), pom.indexOf("</entrypoint>"));
    var matcher = Pattern.compile("<arg>(-[^<]+)</arg>").matcher(entrypoint);
    var image = new java.util.ArrayList<String>();
    while (matcher.find()) {
      if (!matcher.group(1).equals("-cp")) {
        image.add(matcher.group(1).strip());
      }
    }
    var deployment = HelmChart.ofType(HelmChart.render(""), Deployment.class).get(0);
    var chart =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    var shared = image.stream().filter(f -> !IMAGE_ONLY.contains(f)).toList();
    assertEquals(shared, List.copyOf(Arrays.asList(chart.strip().split("\\s+"))));
    // outside a container: the same, with the chart's memory limit as the JVM's memory
    var shell =
        Files.readAllLines(Path.of("jvm.options")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .filter(l -> !l.equals("-XX:MaxRAM=192m"))
            .toList();
    assertEquals(shared, shell);
  }
}
