package io.atomizer.operator.playground;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifests of {@code examples/}, as {@code kubectl apply -k examples/} would apply them: the
 * files listed under {@code resources:} in its kustomization.yaml. Read from the working directory
 * when run from a checkout, else from the copy packaged into the jar.
 */
public final class Examples {

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public Examples() {
    serialization.registerKubernetesResource(AtomizerAgent.class);
  }

  /** Every object the kustomization lists, in order. */
  public List<HasMetadata> load() {
    var kustomization = read("kustomization.yaml");
    @SuppressWarnings("unchecked")
    var resources =
        (List<String>)
            serialization.unmarshal(kustomization, Map.class).getOrDefault("resources", List.of());
    var objects = new ArrayList<HasMetadata>();
    for (var file : resources) {
      var docs = serialization.unmarshal(read(file));
      if (docs instanceof List<?> list) {
        list.stream()
            .filter(HasMetadata.class::isInstance)
            .map(HasMetadata.class::cast)
            .forEach(objects::add);
      } else if (docs instanceof HasMetadata one) {
        objects.add(one);
      }
    }
    return objects;
  }

  private String read(String name) {
    var local = Path.of("examples", name);
    try {
      if (Files.isRegularFile(local)) {
        return Files.readString(local);
      }
      try (InputStream in = Examples.class.getResourceAsStream("/examples/" + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "examples/" + name + " is neither in the working directory nor in the jar");
        }
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
