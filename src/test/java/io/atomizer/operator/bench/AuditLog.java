package io.atomizer.operator.bench;

import io.atomizer.operator.playground.ApiCall;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the kube-apiserver's audit log (parsed by the e2e tier's {@link
 * io.atomizer.operator.e2e.AuditLog}) from where it ended when this was made, keeping the requests
 * of the user agents that start with a prefix. The log is shared by the whole JVM and holds reads
 * too; each run's operator has its own user agent, so runs are told apart by it. Every request
 * counts once: a watch at the stage its response started (it completes only when it ends),
 * everything else at ResponseComplete (or Panic).
 */
final class AuditLog {

  private final Path file;
  private final String userAgentPrefix;
  private final List<ApiRequest> requests = new ArrayList<>();
  private long offset;

  AuditLog(Path file, String userAgentPrefix) {
    this.file = file;
    this.userAgentPrefix = userAgentPrefix;
    try {
      this.offset = Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    var event = io.atomizer.operator.e2e.AuditLog.parse(line);
    if (event == null || !event.userAgent().startsWith(userAgentPrefix)) {
      return;
    }
    var verb = event.verb();
    boolean counted =
        "watch".equals(verb)
            ? "ResponseStarted".equals(event.stage())
            : "ResponseComplete".equals(event.stage()) || "Panic".equals(event.stage());
    if (counted) {
      requests.add(
          new ApiRequest(
              event.received(),
              event.userAgent(),
              new ApiCall(
                  verb,
                  event.group(),
                  event.resource(),
                  event.subresource(),
                  event.namespace(),
                  event.name())));
    }
  }
}
