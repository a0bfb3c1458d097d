package io.atomizer.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.atomizer.operator.support.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's chart, driven through helm-java (Helm's own Go code, bundled as a native library):
 * {@code helm template} and {@code helm lint} without a helm binary or a cluster.
 */
final class HelmChart {

  static final Path CHART = Path.of("helm/atomizer-operator");
  static final Path EXAMPLE_VALUES = Path.of("examples/helm");
  static final String RELEASE = "atomizer-operator";
  static final String NAMESPACE = "atomizer";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private HelmChart() {}

  /** The values files under examples/helm/, which every chart test renders. */
  static List<Path> exampleValuesFiles() {
    try (Stream<Path> files = Files.list(EXAMPLE_VALUES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm template} of the chart with {@code values} (a YAML document) over the defaults. */
  static String template(String values) {
    try {
      var file = Files.createTempFile("values-", ".yaml");
      try {
        Files.writeString(file, values);
        return new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withValuesFile(file)
            .call();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String template(Path valuesFile) {
    return new Helm(CHART)
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withValuesFile(valuesFile)
        .call();
  }

  /** The rendered objects, each as its fabric8 type (unknown kinds and fields fail). */
  static List<HasMetadata> render(String values) {
    return Manifests.typed(template(values));
  }

  static List<HasMetadata> render(Path valuesFile) {
    return Manifests.typed(template(valuesFile));
  }

  /** The rendered objects of one type. */
  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** {@code helm lint --strict} of the chart with its default values. */
  static LintResult lint() {
    return new Helm(CHART).lint().strict().call();
  }

  /**
   * {@code helm lint --strict} with {@code values} over the defaults. helm-java's lint takes no
   * values file, so this lints a copy of the chart whose values.yaml is the merge, made as Helm
   * merges: maps key by key, anything else replaced, null removing the key.
   */
  static LintResult lint(Path valuesFile) {
    try {
      var copy = Files.createTempDirectory("chart-");
      var chart = copy.resolve(CHART.getFileName());
      try {
        copyTree(CHART, chart);
        var merged = merge(YAML.readTree(CHART.resolve("values.yaml").toFile()), read(valuesFile));
        YAML.writeValue(chart.resolve("values.yaml").toFile(), merged);
        return new Helm(chart).lint().strict().call();
      } finally {
        deleteTree(copy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) throws IOException {
    var node = YAML.readTree(file.toFile());
    return node == null ? YAML.createObjectNode() : node;
  }

  static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof ObjectNode baseObject) || !(over instanceof ObjectNode overObject)) {
      return over;
    }
    var result = baseObject.deepCopy();
    for (Map.Entry<String, JsonNode> e : overObject.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.path(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (var path : paths.toList()) {
        var target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (var path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
