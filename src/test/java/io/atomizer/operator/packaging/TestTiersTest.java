package io.atomizer.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test tiers of README "Tests" are JUnit tags, picked by the pom's tier-* profiles: this keeps
 * each test class in the tier its needs put it in, so that running one tier runs all of it.
 */
class TestTiersTest {

  static final Path TESTS = Path.of("src/test/java");

  /** The tags of the tiers, as the pom's profiles and README name them. */
  static final Set<String> TIERS =
      Set.of("mock", "chaos", "image", "apiserver", "real-node", "agent");

  /** A class that uses one of these runs an API server, so it is not a plain unit test. */
  static final Pattern MOCK_SERVER =
      Pattern.compile(
          "\\b(OperatorHarness|MockCluster|ChaosCluster|SimulatedNode|Playground)\\b"
              + "|io\\.fabric8\\.kubernetes\\.client\\.server\\.mock|io\\.fabric8\\.mockwebserver");

  /** {@code @Tag("name")}, or {@code @Tag(RealNode.TAG)} (real-node). */
  static final Pattern TAG =
      Pattern.compile("^@Tag\\((?:\"([^\"]+)\"|RealNode\\.TAG)\\)", Pattern.MULTILINE);

  @Test
  void everyTestThatRunsAnApiServerIsInTheMockOrChaosTierAndEveryItInAnApiServerTier()
      throws IOException {
    var wrong = new TreeMap<String, String>();
    for (var file : testClasses()) {
      var source = Files.readString(file);
      var tags = tags(source);
      var name = TESTS.relativize(file).toString();
      if (!TIERS.containsAll(tags)) {
        wrong.put(name, "unknown tier in " + tags + "; the tiers are " + TIERS);
      } else if (name.endsWith("IT.java")) {
        if (!name.startsWith("io/atomizer/operator/packaging/")
            && tags.stream().noneMatch(Set.of("apiserver", "real-node", "agent")::contains)) {
          wrong.put(
              name, "a failsafe test outside packaging/ needs tag apiserver, real-node or agent");
        }
      } else if (MOCK_SERVER.matcher(source).find()
          && tags.stream().noneMatch(Set.of("mock", "chaos")::contains)) {
        wrong.put(name, "runs the mock API server: tag it mock (or chaos)");
      }
    }
    assertEquals(new TreeMap<String, String>(), wrong);
  }

  @Test
  void eachTierHasTests() throws IOException {
    var seen = new java.util.TreeSet<String>();
    for (var file : testClasses()) {
      seen.addAll(tags(Files.readString(file)));
    }
    assertTrue(seen.containsAll(TIERS), "tiers without tests: " + seen);
  }

  private static List<String> tags(String source) {
    var tags = new ArrayList<String>();
    var matcher = TAG.matcher(source);
    while (matcher.find()) {
      var tag = matcher.group(1) == null ? "real-node" : matcher.group(1);
      if (!tag.equals("conformance")) {
        tags.add(tag);
      }
    }
    return tags;
  }

  private static List<Path> testClasses() throws IOException {
    try (Stream<Path> files = Files.walk(TESTS)) {
      return files
          .filter(f -> f.toString().endsWith("Test.java") || f.toString().endsWith("IT.java"))
          .filter(f -> !f.getFileName().toString().equals("TestTiersTest.java"))
          .sorted()
          .toList();
    }
  }
}
