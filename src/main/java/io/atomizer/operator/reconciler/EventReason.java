package io.atomizer.operator.reconciler;

/**
 * The reasons of the Kubernetes Events the operator records on an agent, beside one more kind: when
 * an agent starts to need a human, a Warning whose reason is the Stalled condition's reason (one of
 * the reasons {@link io.atomizer.operator.customresource.Conditions} marks Stalled=True).
 */
public enum EventReason {
  /** Normal: the spec or the token changed; the agent's pod is being replaced. */
  REPLACING_POD("ReplacingPod", "Normal"),
  /** Normal: a new pod was created in place of one that existed before (deleted, evicted). */
  POD_RECREATED("PodRecreated", "Normal"),
  /** Normal: spec.suspend became true; the pod is removed, the state kept. */
  SUSPENDED("Suspended", "Normal"),
  /** Normal: spec.suspend became false; the agent starts again. */
  RESUMED("Resumed", "Normal"),
  /** Normal: an agent that needed a human runs and is ready again. */
  RECOVERED("Recovered", "Normal"),
  /**
   * Warning: when the agent's first pod appears, the nodes' allocatable memory minus what the other
   * agents request does not cover this agent's memory request.
   */
  INSUFFICIENT_NODE_MEMORY("InsufficientNodeMemory", "Warning");

  private final String reason;
  private final String type;

  EventReason(String reason, String type) {
    this.reason = reason;
    this.type = type;
  }

  /** The Event's reason, CamelCase as Kubernetes shows it. */
  public String reason() {
    return reason;
  }

  /** Normal or Warning. */
  public String type() {
    return type;
  }
}
