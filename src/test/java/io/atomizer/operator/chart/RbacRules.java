package io.atomizer.operator.chart;

import io.atomizer.operator.playground.ApiCall;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kubernetes RBAC's rule matching, for the checks the chart tests make: a request is allowed when
 * one rule lists its API group, its resource (with "/subresource" when it has one) and its verb,
 * and, if the rule names objects, the object's name. Wildcards are not interpreted: the chart must
 * not use them, and {@link #wildcards} reports any.
 */
final class RbacRules {

  /** One permission a rule grants: verb on group/resource[/subresource], maybe limited by name. */
  record Grant(String group, String resource, String verb) implements Comparable<Grant> {
    @Override
    public int compareTo(Grant o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
    }
  }

  private final List<PolicyRule> rules;

  RbacRules(List<PolicyRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Whether the rules allow {@code call}. */
  boolean allows(ApiCall call) {
    var resource =
        call.subresource().isEmpty() ? call.resource() : call.resource() + "/" + call.subresource();
    return rules.stream()
        .anyMatch(
            r ->
                r.getApiGroups().contains(call.group())
                    && r.getResources().contains(resource)
                    && r.getVerbs().contains(call.verb())
                    && (r.getResourceNames() == null
                        || r.getResourceNames().isEmpty()
                        || r.getResourceNames().contains(call.name())));
  }

  /** Every (group, resource, verb) the rules grant, ignoring resourceNames limits. */
  Set<Grant> grants() {
    var grants = new TreeSet<Grant>();
    for (var rule : rules) {
      for (var group : rule.getApiGroups()) {
        for (var resource : rule.getResources()) {
          for (var verb : rule.getVerbs()) {
            grants.add(new Grant(group, resource, verb));
          }
        }
      }
    }
    return grants;
  }

  /** Every "*" in a group, resource or verb list, as a description. */
  List<String> wildcards() {
    return rules.stream()
        .filter(
            r ->
                r.getApiGroups().contains("*")
                    || r.getResources().stream().anyMatch(s -> s.contains("*"))
                    || r.getVerbs().contains("*"))
        .map(Object::toString)
        .toList();
  }

  /** The grant a call needs, without its object name. */
  static Grant grantFor(ApiCall call) {
    var resource =
        call.subresource().isEmpty() ? call.resource() : call.resource() + "/" + call.subresource();
    return new Grant(call.group(), resource, call.verb());
  }

  /** The rules as kubectl describe would list them, one line per rule. */
  String describe() {
    var out = new StringBuilder();
    for (var r : rules) {
      out.append("  apiGroups=")
          .append(r.getApiGroups().stream().map(g -> g.isEmpty() ? "\"\"" : g).toList())
          .append(" resources=")
          .append(r.getResources())
          .append(
              r.getResourceNames() == null || r.getResourceNames().isEmpty()
                  ? ""
                  : " resourceNames=" + r.getResourceNames())
          .append(" verbs=")
          .append(r.getVerbs())
          .append('\n');
    }
    return out.toString();
  }
}
