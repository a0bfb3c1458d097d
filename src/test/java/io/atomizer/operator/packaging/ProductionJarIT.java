package io.atomizer.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars {@code mvn package} builds (tier 1, after the package phase): the operator's jar holds
 * no playground and no mock API server class, and the README's first command still runs the
 * playground, which comes from the second jar named on the first one's manifest Class-Path.
 */
class ProductionJarIT {

  static final Path OPERATOR_JAR = Path.of("target/atomizer-operator.jar").toAbsolutePath();
  static final Path PLAYGROUND_JAR =
      Path.of("target/atomizer-operator-playground.jar").toAbsolutePath();

  @TempDir Path work;

  @Test
  void theOperatorJarHasTheOperatorButNeitherThePlaygroundNorTheMockApiServer() {
    var entries = ShippedClasses.entries(OPERATOR_JAR);
    assertTrue(entries.contains("io/atomizer/operator/AtomizerOperator.class"), "not the operator");
    assertTrue(
        entries.contains("io/fabric8/kubernetes/client/KubernetesClient.class"),
        "the operator's libraries are shaded into its jar");
    assertEquals(List.of(), ShippedClasses.forbidden(entries.stream()));
  }

  @Test
  void theOperatorJarNamesThePlaygroundJarWhichHasThePlaygroundAndTheMockApiServer()
      throws IOException {
    try (var jar = new JarFile(OPERATOR_JAR.toFile())) {
      assertEquals(
          PLAYGROUND_JAR.getFileName().toString(),
          jar.getManifest().getMainAttributes().getValue("Class-Path"));
    }
    var entries = ShippedClasses.entries(PLAYGROUND_JAR);
    for (var needed :
        List.of(
            "io/atomizer/operator/playground/PlaygroundCommand.class",
            "META-INF/services/io.atomizer.operator.Subcommand",
            "io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class",
            "io/vertx/core/Vertx.class",
            "examples/agents/manager.yaml")) {
      assertTrue(entries.contains(needed), needed + " is not in " + PLAYGROUND_JAR);
    }
    assertTrue(
        entries.stream().noneMatch(e -> e.startsWith("io/atomizer/operator/reconciler/")),
        "the operator's own classes come from its jar, not from the playground's");
  }

  @Test
  void theReadmesFirstCommandRunsThePlaygroundFromAnyDirectory() throws Exception {
    var run = java(work, "-jar", OPERATOR_JAR.toString(), "playground", "--seconds=5");
    assertEquals(0, run.exitCode, run.output);
    assertTrue(run.output.contains("NAME"), "no agent table:\n" + run.output);
    assertTrue(run.output.contains("manager"), "the examples were not applied:\n" + run.output);
    assertTrue(run.output.contains("Playground stopped."), run.output);
  }

  @Test
  void theOperatorJarAloneSaysThatItHasNoPlayground() throws Exception {
    var alone = Files.copy(OPERATOR_JAR, work.resolve(OPERATOR_JAR.getFileName()));
    var run = java(work, "-jar", alone.toString(), "playground");
    assertEquals(2, run.exitCode, run.output);
    assertTrue(run.output.contains("the playground is not in this build"), run.output);
  }

  record Run(int exitCode, String output) {}

  static Run java(Path dir, String... args) throws Exception {
    var command = new java.util.ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    var process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    var output = new StringBuilder();
    var reader =
        new Thread(
            () -> {
              try {
                output.append(
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                output.append(e);
              }
            });
    reader.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    reader.join(10_000);
    return new Run(process.exitValue(), output.toString());
  }
}
