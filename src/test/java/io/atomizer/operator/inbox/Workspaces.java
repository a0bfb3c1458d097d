package io.atomizer.operator.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** A workspaces volume in a temporary directory, with task files written as agents write them. */
final class Workspaces {

  final Path root;

  Workspaces(Path root) {
    this.root = root;
  }

  Path inbox(String agent) {
    try {
      return Files.createDirectories(root.resolve(agent).resolve(InboxScanner.INBOX));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A task file with {@code content}, last modified at {@code modified}. */
  Path task(String agent, String name, String content, Instant modified) {
    try {
      var file = Files.writeString(inbox(agent).resolve(name), content, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.from(modified));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A task file dropped as a careful agent does: written under a temporary name, then renamed. */
  Path drop(String agent, String name, String content, Instant modified) {
    var tmp = task(agent, "." + name + ".tmp", content, modified);
    try {
      return Files.move(tmp, tmp.resolveSibling(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid JSON document of {@code bytes} bytes: an array padded with spaces. */
  Path hugeJson(String agent, String name, long bytes, Instant modified) {
    var file = inbox(agent).resolve(name);
    var spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    try (var out = Files.newOutputStream(file)) {
      out.write('[');
      for (long left = bytes - 2; left > 0; left -= spaces.length) {
        out.write(spaces, 0, (int) Math.min(left, spaces.length));
      }
      out.write(']');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.setLastModifiedTime(file, FileTime.from(modified));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
