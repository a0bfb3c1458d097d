package io.atomizer.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The kube-apiserver's audit log (one JSON event a line, written with {@link
 * RealCluster#AUDIT_POLICY}): which client did what, when, in the API server's own clock. Tests
 * attribute requests to operator processes by their user agent.
 */
public final class AuditLog {

  /** The verbs that change something. */
  public static final Set<String> WRITE_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  /**
   * One audit event: a request at one stage (ResponseStarted for a watch that has begun,
   * ResponseComplete or Panic for a finished request).
   */
  public record Event(
      String stage,
      String verb,
      String userAgent,
      String user,
      String impersonatedUser,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      Instant received,
      Instant completed,
      JsonNode requestObject) {

    /** Whether the request changes something. */
    public boolean isWrite() {
      return WRITE_VERBS.contains(verb);
    }

    boolean isLease() {
      return "coordination.k8s.io".equals(group) && "leases".equals(resource);
    }

    boolean succeeded() {
      return code >= 200 && code < 300;
    }

    /** The holder this request wrote into a Lease (null: released), for Lease writes. */
    String leaseHolder() {
      var holder = requestObject == null ? null : requestObject.path("spec").path("holderIdentity");
      return holder == null
              || holder.isMissingNode()
              || holder.isNull()
              || holder.asText().isEmpty()
          ? null
          : holder.asText();
    }

    @Override
    public String toString() {
      return completed
          + " "
          + code
          + " "
          + verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource)
          + " "
          + namespace
          + "/"
          + name
          + " by "
          + userAgent
          + (impersonatedUser.isEmpty() ? "" : " as " + impersonatedUser);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /**
   * One line of the log as an event, or null when it is not a JSON event (a line cut short while
   * the API server writes it).
   */
  public static Event parse(String line) {
    try {
      return parse(JSON.readTree(line));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Every event in {@code file}, in the order the requests completed. */
  static List<Event> read(Path file) {
    var events = new ArrayList<Event>();
    try {
      for (var line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          events.add(parse(JSON.readTree(line)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    events.sort(Comparator.comparing(Event::completed));
    return events;
  }

  private static Event parse(JsonNode e) {
    var ref = e.path("objectRef");
    return new Event(
        e.path("stage").asText(),
        e.path("verb").asText(),
        e.path("userAgent").asText(),
        e.path("user").path("username").asText(),
        e.path("impersonatedUser").path("username").asText(),
        ref.path("apiGroup").asText(),
        ref.path("resource").asText(),
        ref.path("subresource").asText(),
        ref.path("namespace").asText(),
        ref.path("name").asText(),
        e.path("responseStatus").path("code").asInt(),
        Instant.parse(e.path("requestReceivedTimestamp").asText()),
        Instant.parse(e.path("stageTimestamp").asText()),
        e.has("requestObject") ? e.get("requestObject") : null);
  }
}
