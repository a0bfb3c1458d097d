package io.atomizer.operator.e2e.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from /proc/PID/status and /proc/PID/smaps_rollup. */
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

  /**
   * Pss of {@code pid} in bytes (its private pages plus its share of pages mapped by several
   * processes, so a tree's sum counts shared pages once); 0 when the process is gone.
   */
  static long pssBytes(long pid) {
    try {
      for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
