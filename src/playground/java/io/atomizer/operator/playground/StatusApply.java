package io.atomizer.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * Server-side apply of a status subresource, which fabric8's mock server does not implement (it
 * answers 415), rewritten into the JSON patch it does implement, with the two effects the API
 * server gives such an apply when one field manager owns the whole status, as the operator does:
 * the applied status replaces the stored one, and the applied object's {@code resourceVersion},
 * when it has one, is a precondition (409 Conflict when it is not the stored one; the mock checks
 * it on the patched object). Without it the mock would accept a status computed from a stale view
 * of an agent that the API server refuses ({@code e2e/StatusWritePreconditionIT} shows the API
 * server's side). Server-side apply of anything else stays unanswered by the mock.
 */
final class StatusApply {

  static final String APPLY = "application/apply-patch+yaml";
  static final String JSON_PATCH = "application/json-patch+json";

  private StatusApply() {}

  /** The JSON patch request that carries out {@code request}, if it applies a status. */
  static Optional<RecordedRequest> asJsonPatch(RecordedRequest request) {
    var contentType = request.getHeader("Content-Type");
    var path = request.getPath();
    var bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (!"PATCH".equalsIgnoreCase(request.getMethod())
        || contentType == null
        || !contentType.startsWith(APPLY)
        || !bare.endsWith("/status")) {
      return Optional.empty();
    }
    var applied = Serialization.unmarshal(request.getBody().readUtf8(), JsonNode.class);
    var ops = JsonNodeFactory.instance.arrayNode();
    var resourceVersion = applied.path("metadata").path("resourceVersion");
    if (resourceVersion.isTextual() && !resourceVersion.asText().isEmpty()) {
      ops.addObject()
          .put("op", "replace")
          .put("path", "/metadata/resourceVersion")
          .set("value", resourceVersion);
    }
    ops.addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", applied.path("status").isObject() ? applied.get("status") : null);
    var headers = request.getHeaders().newBuilder().set("Content-Type", JSON_PATCH).build();
    return Optional.of(
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            bare,
            headers,
            new Buffer().writeUtf8(Serialization.asJson(ops))));
  }
}
