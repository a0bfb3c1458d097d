package io.atomizer.operator.support;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.function.Consumer;

/** Secret edits as a user makes them with kubectl: the operator never writes Secrets. */
public final class SecretEdits {

  private SecretEdits() {}

  /** Sets {@code key} of Secret {@code namespace/name} to {@code value}. */
  public static void put(
      KubernetesClient client, String namespace, String name, String key, String value) {
    edit(client, namespace, name, s -> s.getData().put(key, base64(value)));
  }

  /** Sets an annotation on the Secret, leaving its data alone. */
  public static void annotate(
      KubernetesClient client, String namespace, String name, String key, String value) {
    edit(
        client,
        namespace,
        name,
        s -> {
          if (s.getMetadata().getAnnotations() == null) {
            s.getMetadata().setAnnotations(new HashMap<>());
          }
          s.getMetadata().getAnnotations().put(key, value);
        });
  }

  public static void edit(
      KubernetesClient client, String namespace, String name, Consumer<Secret> change) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            s -> {
              if (s.getData() == null) {
                s.setData(new HashMap<>());
              }
              change.accept(s);
              return s;
            });
  }

  public static void delete(KubernetesClient client, String namespace, String name) {
    client.secrets().inNamespace(namespace).withName(name).delete();
  }

  public static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
