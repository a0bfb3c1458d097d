package io.atomizer.operator.status;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Agents as messages name them. */
final class Names {

  private Names() {}

  /** An agent as people write it, namespace/name; ResourceID's toString is for logs. */
  static String display(ResourceID agent) {
    return agent == null
        ? "(unknown)"
        : agent.getNamespace().map(ns -> ns + "/").orElse("") + agent.getName();
  }
}
