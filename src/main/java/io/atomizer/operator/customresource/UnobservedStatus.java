package io.atomizer.operator.customresource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * The status an agent has before the operator has written any: {@code observedGeneration: 0}, a
 * default of the CRD's {@code status} schema.
 *
 * <p>kstatus (Flux's {@code wait: true}, cli-utils waiters) reads an object without a status as
 * Current, so a new agent would read as healthy between its creation and the operator's first
 * status write, and for as long as no operator runs at all. The API server applies schema defaults
 * to every object it reads from etcd (GET, LIST, WATCH, and the response to the create), while a
 * create cannot set the status itself: with this default, an agent reads {@code observedGeneration
 * 0} against {@code metadata.generation 1} from its first instant, which kstatus judges InProgress
 * and the Argo CD health script Progressing. No webhook is needed, and nothing is written.
 */
public final class UnobservedStatus {

  /** The observedGeneration of an agent the operator has not observed yet. */
  public static final long GENERATION = 0L;

  private UnobservedStatus() {}

  /** Sets the default on the {@code status} property of every version of {@code crd}. */
  static void addDefault(CustomResourceDefinition crd) {
    var value = JsonNodeFactory.instance.objectNode().put("observedGeneration", GENERATION);
    for (var version : crd.getSpec().getVersions()) {
      version.getSchema().getOpenAPIV3Schema().getProperties().get("status").setDefault(value);
    }
  }
}
