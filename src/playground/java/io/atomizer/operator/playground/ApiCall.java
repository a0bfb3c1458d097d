package io.atomizer.operator.playground;

import java.util.Locale;
import java.util.Set;

/**
 * One request to the API server, reduced to what RBAC sees: verb, API group, resource and
 * subresource.
 *
 * @param verb get, list, watch, create, update, patch or delete
 * @param group the API group; empty for the core group
 * @param resource the plural resource, for example pods
 * @param subresource for example status; empty when none
 * @param namespace the namespace, empty for cluster-scoped requests
 * @param name the object's name, empty for collections
 */
public record ApiCall(
    String verb, String group, String resource, String subresource, String namespace, String name) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** Whether the call changes state on the server. */
  public boolean isWrite() {
    return switch (verb) {
      case "create", "update", "patch", "delete", "deletecollection" -> true;
      default -> false;
    };
  }

  /** Parses an HTTP method and request path (with query) into an API call, or null. */
  public static ApiCall parse(String method, String pathAndQuery) {
    var query =
        pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
    var path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    var parts = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      return null;
    }
    var namespace = "";
    // namespaces/<ns>/<resource>..., but namespaces/<ns>/status and /finalize are subresources
    // of the namespace itself, as the API server reads them
    if (parts.length > i + 2
        && parts[i].equals("namespaces")
        && !NAMESPACE_SUBRESOURCES.contains(parts[i + 2])) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return null;
    }
    var resource = parts[i];
    var name = parts.length > i + 1 ? parts[i + 1] : "";
    var subresource = parts.length > i + 2 ? parts[i + 2] : "";
    if (resource.equals("namespaces") && !namespace.isEmpty()) {
      name = namespace;
      namespace = "";
    }
    var verb =
        switch (method.toUpperCase(Locale.ROOT)) {
          case "GET" -> query.contains("watch=true") ? "watch" : name.isEmpty() ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
          default -> method.toLowerCase(Locale.ROOT);
        };
    return new ApiCall(verb, group, resource, subresource, namespace, name);
  }

  @Override
  public String toString() {
    return verb
        + " "
        + (group.isEmpty() ? "" : group + "/")
        + resource
        + (subresource.isEmpty() ? "" : "/" + subresource)
        + (name.isEmpty() ? "" : " " + (namespace.isEmpty() ? "" : namespace + "/") + name);
  }
}
