package io.atomizer.operator.e2e.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from /proc/PID/status. */
final class ProcStatus {

  private ProcStatus() {}

  /** VmRSS of {@code pid} in bytes; 0 when the process is gone. */
  static long rssBytes(long pid) {
    try {
      for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
