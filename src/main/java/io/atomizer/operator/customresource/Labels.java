package io.atomizer.operator.customresource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations the operator puts on the objects it owns. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String AGENT = "atomizer.io/agent";
  public static final String ROLE = "atomizer.io/role";

  public static final String APP = "atomizer-agent";
  public static final String OPERATOR = "atomizer-operator";

  /** Selects what the operator manages; its pod and PVC informers cache nothing else. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** Hash of everything the pod was built from; a different hash means the pod is replaced. */
  public static final String SPEC_HASH = "atomizer.io/spec-hash";

  /** Fingerprint of the token the pod carries (never the token). */
  public static final String TOKEN_FINGERPRINT = "atomizer.io/token-fingerprint";

  private Labels() {}

  /** The standard labels of an object that belongs to {@code agent}. */
  public static Map<String, String> of(AtomizerAgent agent, String component) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, agent.getMetadata().getName());
    labels.put(COMPONENT, component);
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(AGENT, agent.getMetadata().getName());
    labels.put(ROLE, agent.getSpec().getRole());
    return labels;
  }

  /** The agent an owned object belongs to, from its labels; null for foreign objects. */
  public static ResourceID agentOf(HasMetadata owned) {
    var labels = owned.getMetadata().getLabels();
    var agent = labels == null ? null : labels.get(AGENT);
    return agent == null ? null : new ResourceID(agent, owned.getMetadata().getNamespace());
  }

  /** The token fingerprint annotated on an owned pod, or null. */
  public static String fingerprintOf(HasMetadata pod) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TOKEN_FINGERPRINT);
  }
}
