package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What k3s reads from this repository: the config file install.sh writes (shown by its --dry-run,
 * which changes nothing) and the HelmChart auto-deploy manifest. Both must parse, keep what the
 * agents need and name the image the build produces.
 */
class K3sManifestsTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode installConfig(String... flags) throws IOException {
    var run = Scripts.run(Map.of(), "install.sh", flags);
    assertEquals(0, run.exitCode(), run::toString);
    var config = run.output().substring(0, run.output().indexOf("\n+ curl"));
    return YAML.readTree(config);
  }

  @Test
  void k3sConfigDropsWhatAgentsDoNotNeedAndKeepsTheStateVolumeProvisioner() throws IOException {
    var config = installConfig("--dry-run");

    assertEquals("0644", config.get("write-kubeconfig-mode").asText());
    var disabled = new ArrayList<String>();
    config.get("disable").forEach(d -> disabled.add(d.asText()));
    assertEquals(List.of("traefik", "servicelb", "metrics-server"), disabled);
    assertFalse(disabled.contains("local-storage"), "the agents' state claims need local-path");
    assertFalse(disabled.contains("coredns"), "pods resolve discord.com through coredns");
    assertTrue(config.get("secrets-encryption").asBoolean(), "Secrets hold the Discord tokens");
    var kubelet = Pattern.compile("^[a-z-]+=[^\\s]+$");
    var names = new ArrayList<String>();
    for (var arg : config.get("kubelet-arg")) {
      assertTrue(kubelet.matcher(arg.asText()).matches(), arg.asText());
      names.add(arg.asText().substring(0, arg.asText().indexOf('=')));
    }
    assertTrue(
        names.containsAll(
            List.of(
                "system-reserved",
                "kube-reserved",
                "eviction-hard",
                "image-gc-high-threshold",
                "image-gc-low-threshold")),
        names::toString);
  }

  @Test
  void optionsKeepMetricsServerAndNetworkPolicies() throws IOException {
    var config = installConfig("--dry-run", "--with-metrics-server", "--with-network-policy");

    assertFalse(config.get("disable").toString().contains("metrics-server"));
    assertEquals(null, config.get("disable-network-policy"));
  }

  @Test
  void helmChartManifestInstallsTheImageTheBuildProducesNextToTheAgents() throws IOException {
    var chart = YAML.readTree(Scripts.K3S.resolve("helmchart.yaml").toFile());
    assertEquals("helm.cattle.io/v1", chart.get("apiVersion").asText());
    assertEquals("HelmChart", chart.get("kind").asText());
    assertEquals("kube-system", chart.at("/metadata/namespace").asText());
    assertEquals("atomizer", chart.at("/spec/targetNamespace").asText(), "the agents' namespace");
    var values = YAML.readTree(chart.at("/spec/valuesContent").asText());

    var pom = Files.readString(Path.of("pom.xml"));
    var imageName =
        Pattern.compile("<atomizer.imageName>([^<]+)</atomizer.imageName>").matcher(pom);
    assertTrue(imageName.find());
    assertEquals(
        imageName.group(1),
        values.at("/image/repository").asText() + ":" + values.at("/image/tag").asText());
  }
}
