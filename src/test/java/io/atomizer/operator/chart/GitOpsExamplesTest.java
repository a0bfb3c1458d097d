package io.atomizer.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atomizer.operator.support.Manifests;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Flux and Argo CD examples point at what exists in this repository, and the chart values they
 * carry are values the chart accepts.
 */
class GitOpsExamplesTest {

  static final Path FLUX = Path.of("examples/gitops/flux");
  static final Path ARGOCD = Path.of("examples/gitops/argocd");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void fluxKustomizationAppliesTheExamplesAndWaitsForHealth() {
    var kustomization = only(FLUX.resolve("agents-kustomization.yaml"));
    assertEquals("kustomize.toolkit.fluxcd.io/v1", kustomization.path("apiVersion").asText());
    assertEquals("Kustomization", kustomization.path("kind").asText());
    var spec = kustomization.path("spec");
    assertTrue(spec.path("wait").asBoolean(), "wait: true, so Flux waits for Ready agents");
    assertTrue(spec.path("prune").asBoolean());
    assertTrue(Files.exists(repoPath(spec.path("path").asText()).resolve("kustomization.yaml")));
    assertEquals("atomizer-operator", spec.path("sourceRef").path("name").asText());
  }

  @Test
  void fluxHelmReleaseInstallsTheChartWithValuesItAccepts() throws Exception {
    var release = only(FLUX.resolve("helmrelease.yaml"));
    assertEquals("helm.toolkit.fluxcd.io/v2", release.path("apiVersion").asText());
    var chart = release.path("spec").path("chart").path("spec");
    assertTrue(Files.exists(repoPath(chart.path("chart").asText()).resolve("Chart.yaml")));
    assertEquals("GitRepository", chart.path("sourceRef").path("kind").asText());
    var source = only(FLUX.resolve("gitrepository.yaml"));
    assertEquals(source.path("metadata").path("name"), chart.path("sourceRef").path("name"));
    assertEquals("CreateReplace", release.path("spec").path("install").path("crds").asText());
    assertRenders(release.path("spec").path("values"));
  }

  @Test
  void argoCdApplicationsPointAtTheChartAndTheExamples() throws Exception {
    var operator = only(ARGOCD.resolve("application-operator.yaml"));
    var agents = only(ARGOCD.resolve("application-agents.yaml"));
    for (var app : new JsonNode[] {operator, agents}) {
      assertEquals("argoproj.io/v1alpha1", app.path("apiVersion").asText());
      assertEquals("Application", app.path("kind").asText());
      assertEquals("atomizer", app.path("spec").path("destination").path("namespace").asText());
    }
    var chartSource = operator.path("spec").path("source");
    assertTrue(Files.exists(repoPath(chartSource.path("path").asText()).resolve("Chart.yaml")));
    assertRenders(chartSource.path("helm").path("valuesObject"));
    var examples = repoPath(agents.path("spec").path("source").path("path").asText());
    assertTrue(Files.exists(examples.resolve("kustomization.yaml")));
    assertTrue(
        operator.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave").asInt()
            < agents
                .path("metadata")
                .path("annotations")
                .path("argocd.argoproj.io/sync-wave")
                .asInt(),
        "the operator (and its CRD) before the agents");
  }

  private static void assertRenders(JsonNode values) throws Exception {
    var objects = HelmChart.render(YAML.writeValueAsString(values));
    assertEquals(1, HelmChart.ofType(objects, Deployment.class).size());
  }

  private static JsonNode only(Path file) {
    var docs = Manifests.documents(file);
    assertEquals(1, docs.size(), file.toString());
    return docs.get(0);
  }

  private static Path repoPath(String path) {
    return Path.of(path.replaceFirst("^\\./", ""));
  }
}
