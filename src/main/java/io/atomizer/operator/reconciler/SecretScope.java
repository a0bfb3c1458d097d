package io.atomizer.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Which Secrets the operator caches: ATOMIZER_SECRET_FIELD_SELECTOR ({@code name=value} pairs,
 * comma separated; by default only Opaque Secrets) and ATOMIZER_SECRET_LABEL_SELECTOR.
 */
final class SecretScope {

  private SecretScope() {}

  static Consumer<InformerEventSourceConfiguration.Builder<Secret>> of(ReconcilerSettings config) {
    return secrets -> {
      if (!config.secretFieldSelector().isEmpty()) {
        secrets.withFieldSelector(fields(config.secretFieldSelector()));
      }
      if (!config.secretLabelSelector().isEmpty()) {
        secrets.withLabelSelector(config.secretLabelSelector());
      }
    };
  }

  /** {@code type=Opaque,metadata.namespace=x} as a field selector; a bare name matches "". */
  static FieldSelector fields(String selector) {
    return new FieldSelector(
        Arrays.stream(selector.split(","))
            .map(f -> f.split("=", 2))
            .map(kv -> new FieldSelector.Field(kv[0].strip(), kv.length > 1 ? kv[1].strip() : ""))
            .toList());
  }
}
