package io.atomizer.operator.customresource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time only, run by the build right after fabric8's CRD generator: the generator sorts
 * printer columns by JSON path, while {@code kubectl get atomizeragents} should show them in the
 * order they are declared on {@link AtomizerAgent} (ROLE, READY, STATUS, RESTARTS, INBOX, AGE); and
 * the generator cannot express the status default of {@link UnobservedStatus}.
 */
public final class CrdPostProcessor {

  static final String HEADER =
      "# Generated from the Java model in io.atomizer.operator.customresource by the build\n"
          + "# (mvn process-classes). Do not edit: change the model and copy the generated file.\n";

  private CrdPostProcessor() {}

  public static void main(String[] args) throws IOException {
    var file = Path.of(args[0]);
    var serialization = new KubernetesSerialization();
    var crd = serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    var declared =
        Arrays.stream(AtomizerAgent.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (var version : crd.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(order(version.getAdditionalPrinterColumns(), declared));
    }
    UnobservedStatus.addDefault(crd);
    Files.writeString(file, HEADER + serialization.asYaml(crd).replaceFirst("^---\n", ""));
  }

  static List<CustomResourceColumnDefinition> order(
      List<CustomResourceColumnDefinition> columns, List<String> declaredNames) {
    return columns.stream()
        .sorted(Comparator.comparingInt(c -> declaredNames.indexOf(c.getName())))
        .toList();
  }
}
