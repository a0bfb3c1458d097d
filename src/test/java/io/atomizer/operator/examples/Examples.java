package io.atomizer.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files under examples/ and what they hold. */
final class Examples {

  static final Path ROOT = Path.of("examples");
  static final Path KUSTOMIZATION = ROOT.resolve("kustomization.yaml");
  static final Path SECRET_TEMPLATE = ROOT.resolve("secret.template.yaml");
  static final Path T420_VALUES = ROOT.resolve("helm/values-t420.yaml");

  /** The team's eight agents, from its pivot document. */
  static final List<String> TEAM = Agents.TEAM;

  private Examples() {}

  /** Every YAML file under examples/, relative to it, sorted. */
  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .map(ROOT::relativize)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML document of kind AtomizerAgent in any file under examples/. */
  static List<JsonNode> agentManifests() {
    return yamlFiles().stream()
        .flatMap(f -> Manifests.documents(ROOT.resolve(f)).stream())
        .filter(d -> "AtomizerAgent".equals(d.path("kind").asText()))
        .toList();
  }
}
