package io.atomizer.operator.customresource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checked-in CRD is exactly what the build generates from the Java model. */
class CrdTest {

  static final Path CHECKED_IN = Path.of("crds/atomizeragents.atomizer.io-v1.yml");
  static final Path GENERATED =
      Path.of("target/classes/META-INF/fabric8/atomizeragents.atomizer.io-v1.yml");

  @Test
  void checkedInCrdMatchesTheGeneratedOne() throws IOException {
    assertTrue(Files.exists(GENERATED), "run the build first: mvn process-classes");
    assertEquals(
        Files.readString(GENERATED),
        Files.readString(CHECKED_IN),
        "crds/ is stale: cp " + GENERATED + " " + CHECKED_IN);
  }

  @Test
  void everySpecAndStatusFieldHasADescription() throws IOException {
    var schema = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    var undocumented = new ArrayList<String>();
    undocumented(schema.getProperties().get("spec"), "spec", undocumented);
    undocumented(schema.getProperties().get("status"), "status", undocumented);
    assertEquals(List.of(), undocumented);
  }

  @Test
  void printerColumnsReadLikeKubectlGetPods() throws IOException {
    var version = crd().getSpec().getVersions().get(0);
    var names =
        version.getAdditionalPrinterColumns().stream()
            .filter(c -> c.getPriority() == 0)
            .map(CustomResourceColumnDefinition::getName)
            .toList();
    assertEquals(List.of("Role", "Ready", "Status", "Restarts", "Inbox", "Age"), names);
    assertNotNull(version.getSubresources().getStatus(), "status subresource");
    assertEquals(List.of("atomizer"), crd().getSpec().getNames().getCategories());
  }

  /** Walks our own part of the schema; embedded Kubernetes types document themselves. */
  private static void undocumented(JSONSchemaProps props, String path, List<String> out) {
    if (props.getDescription() == null || props.getDescription().isBlank()) {
      out.add(path);
    }
    if (props.getProperties() == null || isKubernetesType(path)) {
      return;
    }
    props.getProperties().forEach((name, child) -> undocumented(child, path + "." + name, out));
  }

  private static boolean isKubernetesType(String path) {
    return path.matches(
        ".*\\.(resources|env|envFrom|affinity|tolerations|securityContext|containerSecurityContext"
            + "|imagePullSecrets|conditions)$");
  }

  private static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(Files.readString(CHECKED_IN), CustomResourceDefinition.class);
  }
}
