package io.atomizer.operator.bench;

import io.atomizer.operator.playground.ApiCall;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request the operator made, as the API server saw it.
 *
 * @param at when the server received it
 * @param userAgent the client's user agent
 * @param call verb, group, resource, subresource, namespace and name
 */
record ApiRequest(Instant at, String userAgent, ApiCall call) {

  boolean isWrite() {
    return call.isWrite();
  }

  /** "verb resource[/subresource]", the row of a breakdown. */
  String kind() {
    return call.verb()
        + " "
        + call.resource()
        + (call.subresource().isEmpty() ? "" : "/" + call.subresource());
  }

  /**
   * Requests in a window, counted as the API server counts them: every HTTP request is one, so a
   * watch or a list counts once however many objects it carries.
   */
  record Counts(int reads, int writes, Map<String, Integer> byKind) {

    static Counts of(Collection<ApiRequest> requests, Instant from, Instant to) {
      int reads = 0;
      int writes = 0;
      var byKind = new TreeMap<String, Integer>();
      for (var r : requests) {
        if (r.at().isBefore(from) || !r.at().isBefore(to)) {
          continue;
        }
        if (r.isWrite()) {
          writes++;
        } else {
          reads++;
        }
        byKind.merge(r.kind(), 1, Integer::sum);
      }
      return new Counts(reads, writes, byKind);
    }

    int total() {
      return reads + writes;
    }

    /** "create pods 8, patch atomizeragents/status 16, ..." (writes first). */
    String breakdown() {
      var writes = new StringBuilder();
      var reads = new StringBuilder();
      byKind.forEach(
          (kind, n) -> {
            var target =
                kind.startsWith("get ") || kind.startsWith("list ") || kind.startsWith("watch ")
                    ? reads
                    : writes;
            target.append(target.length() == 0 ? "" : ", ").append(kind).append(' ').append(n);
          });
      return writes.length() == 0
          ? (reads.length() == 0 ? "none" : reads.toString())
          : writes + (reads.length() == 0 ? "" : "; " + reads);
    }
  }
}
