package io.atomizer.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Gives the mock server's watches the continuity of a real API server's, for a client that lists
 * and then watches, as informers do. fabric8's mock starts every watch afresh (it sends the objects
 * that exist and ignores the resourceVersion asked for), so a deletion between a client's list and
 * its watch, or while a dropped watch reconnects, would never reach the client's cache. Here a
 * watch that starts from the resourceVersion of the client's last list of the same collection also
 * gets a DELETED event for each listed object gone since; any other watch (a resumption) is told,
 * as a real server tells a client whose resourceVersion it no longer keeps, 410 Gone, after which
 * the client lists again.
 */
final class WatchContinuity {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one client's last list of one collection answered. */
  record Listing(String resourceVersion, Map<String, JsonNode> items) {}

  private final Map<String, Listing> listings = new ConcurrentHashMap<>();

  /** Remembers the answer to a list request of {@code client}. */
  void listed(String client, RecordedRequest request, MockResponse response) {
    if (response.code() != 200 || response.getBody() == null) {
      return;
    }
    try {
      var list = JSON.readTree(response.getBody().getBytes());
      var items = new HashMap<String, JsonNode>();
      list.path("items").forEach(item -> items.put(key(item), item));
      listings.put(
          collection(client, request),
          new Listing(list.path("metadata").path("resourceVersion").asText(""), items));
    } catch (java.io.IOException notAList) {
      // not a list of objects (discovery answers the same paths); nothing to remember
    }
  }

  /**
   * The list a watch of {@code client} continues from, or empty when the watch is a resumption, to
   * be answered {@link #expired()}.
   */
  Optional<Listing> continues(String client, RecordedRequest watch) {
    var listing = listings.remove(collection(client, watch));
    return listing != null && listing.resourceVersion().equals(query(watch).get("resourceVersion"))
        ? Optional.of(listing)
        : Optional.empty();
  }

  /**
   * The DELETED events a watch that {@link #continues} a list must send after the objects that
   * exist: one for each listed object gone since. Call it once the watch is registered, so that no
   * later deletion falls between the two.
   *
   * @param current lists the collection as it is now
   */
  List<String> missedDeletions(
      Listing listing, RecordedRequest watch, Function<RecordedRequest, MockResponse> current) {
    Set<String> now = new HashSet<>();
    try {
      var list = JSON.readTree(current.apply(listRequest(watch)).getBody().getBytes());
      list.path("items").forEach(item -> now.add(key(item)));
    } catch (java.io.IOException | RuntimeException e) {
      return List.of();
    }
    var deletions = new ArrayList<String>();
    listing
        .items()
        .forEach(
            (key, item) -> {
              if (!now.contains(key)) {
                deletions.add("{\"type\":\"DELETED\",\"object\":" + item + "}");
              }
            });
    return deletions;
  }

  /** The event a real API server sends on a watch from a resourceVersion it no longer keeps. */
  static String expired() {
    return "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\","
        + "\"reason\":\"Expired\",\"code\":410}}";
  }

  static boolean isWatch(RecordedRequest request) {
    return "GET".equalsIgnoreCase(request.getMethod())
        && "true".equals(query(request).get("watch"));
  }

  private static String key(JsonNode item) {
    var meta = item.path("metadata");
    return meta.path("namespace").asText("") + "/" + meta.path("name").asText("");
  }

  /** Client, collection path and selectors: what a list and the watch after it share. */
  private static String collection(String client, RecordedRequest request) {
    var query = query(request);
    return client
        + " "
        + path(request)
        + "?"
        + query.getOrDefault("labelSelector", "")
        + "&"
        + query.getOrDefault("fieldSelector", "");
  }

  private static RecordedRequest listRequest(RecordedRequest watch) {
    var query = query(watch);
    var params = new StringBuilder();
    for (var name : List.of("labelSelector", "fieldSelector")) {
      if (query.containsKey(name)) {
        params
            .append(params.isEmpty() ? "?" : "&")
            .append(name)
            .append('=')
            .append(java.net.URLEncoder.encode(query.get(name), StandardCharsets.UTF_8));
      }
    }
    return new RecordedRequest(
        watch.getHttpVersion(), watch.method(), path(watch) + params, watch.getHeaders(), null);
  }

  private static String path(RecordedRequest request) {
    var path = request.getPath();
    return path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
  }

  private static Map<String, String> query(RecordedRequest request) {
    var path = request.getPath();
    var query = new HashMap<String, String>();
    if (path == null || !path.contains("?")) {
      return query;
    }
    for (var pair : path.substring(path.indexOf('?') + 1).split("&")) {
      var kv = pair.split("=", 2);
      query.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return query;
  }
}
