package io.atomizer.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.playground.ApiCall;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kube-apiserver's JSON audit log (policy: Metadata level, RequestReceived omitted) into
 * requests. Every request is one: a watch at the stage its response started (it completes only when
 * it ends), everything else at ResponseComplete (or Panic).
 */
final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String userAgentPrefix;
  private final List<ApiRequest> requests = new ArrayList<>();
  private long offset;

  AuditLog(Path file, String userAgentPrefix) {
    this.file = file;
    this.userAgentPrefix = userAgentPrefix;
  }

  /** The requests logged so far whose user agent starts with the prefix. */
  synchronized List<ApiRequest> requests() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (var in = new RandomAccessFile(file.toFile(), "r")) {
      var length = in.length();
      if (length > offset) {
        var bytes = new byte[(int) (length - offset)];
        in.seek(offset);
        in.readFully(bytes);
        int end = lastNewline(bytes);
        if (end >= 0) {
          var text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
          text.lines().filter(l -> !l.isBlank()).forEach(this::parse);
          offset += end + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(requests);
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void parse(String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return;
    }
    var agent = event.path("userAgent").asText("");
    if (!agent.startsWith(userAgentPrefix)) {
      return;
    }
    var verb = event.path("verb").asText();
    var stage = event.path("stage").asText();
    boolean counted =
        "watch".equals(verb)
            ? "ResponseStarted".equals(stage)
            : "ResponseComplete".equals(stage) || "Panic".equals(stage);
    if (!counted) {
      return;
    }
    var ref = event.path("objectRef");
    var call =
        ref.isMissingNode()
            ? new ApiCall(verb, "", event.path("requestURI").asText(), "", "", "")
            : new ApiCall(
                verb,
                ref.path("apiGroup").asText(""),
                ref.path("resource").asText(""),
                ref.path("subresource").asText(""),
                ref.path("namespace").asText(""),
                ref.path("name").asText(""));
    requests.add(
        new ApiRequest(
            Instant.parse(event.path("requestReceivedTimestamp").asText()), agent, call));
  }
}
