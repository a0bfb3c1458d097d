package io.atomizer.operator.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.inbox.InboxSnapshot.State;
import io.atomizer.operator.support.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which directories the scan reads, and what it says about those it will not or cannot read. */
class InboxScannerPathsTest {

  static final Instant HOUR_AGO = Instant.now().minus(1, ChronoUnit.HOURS);

  @TempDir Path tmp;
  Path root;
  Path outside;
  Workspaces ws;
  InboxScanner scanner;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectory(tmp.resolve("workspaces"));
    outside = Files.createDirectory(tmp.resolve("elsewhere"));
    // a tempting INBOX outside the volume, next to it
    new Workspaces(outside).task("victim", "t.json", "{}", HOUR_AGO);
    new Workspaces(tmp).task("escape", "t.json", "{}", HOUR_AGO);
    ws = new Workspaces(root);
    scanner = new InboxScanner(root, Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "../escape", "/etc", "a/b", "", " manager", ".hidden"})
  void agentDirThatIsNotOneDirectoryNameIsRefused(String agentDir) {
    var snapshot = scanner.scan(agentDir);

    assertEquals(State.INBOX_UNREADABLE, snapshot.state());
    assertTrue(snapshot.detail().contains("not a single directory name"), snapshot.detail());
  }

  @Test
  void agentDirThatIsASymlinkOutOfTheRootIsNotFollowed() throws IOException {
    Files.createSymbolicLink(root.resolve("manager"), outside.resolve("victim"));

    var snapshot = scanner.scan("manager");

    assertEquals(State.INBOX_UNREADABLE, snapshot.state());
    assertTrue(snapshot.detail().contains("leads out of the workspaces volume"), snapshot.detail());
  }

  @Test
  void inboxThatIsASymlinkOutOfTheRootIsNotFollowed() throws IOException {
    Files.createDirectory(root.resolve("manager"));
    Files.createSymbolicLink(root.resolve("manager/INBOX"), outside.resolve("victim/INBOX"));

    var snapshot = scanner.scan("manager");

    assertEquals(State.INBOX_UNREADABLE, snapshot.state());
    assertEquals(
        "workspaces/manager/INBOX is a symlink that leads out of the workspaces volume; it is not"
            + " followed.",
        snapshot.detail());
  }

  @Test
  void inboxSymlinkedToAnotherDirectoryInsideTheRootIsScanned() throws IOException {
    ws.task("shared-queue", "t.json", "{}", HOUR_AGO);
    Files.createDirectory(root.resolve("manager"));
    Files.createSymbolicLink(root.resolve("manager/INBOX"), root.resolve("shared-queue/INBOX"));

    assertEquals(1, scanner.scan("manager").pending());
  }

  @Test
  void inboxSymlinkLoopIsUnreadable() throws IOException {
    Files.createDirectory(root.resolve("manager"));
    Files.createSymbolicLink(root.resolve("manager/INBOX"), root.resolve("manager/INBOX"));

    var snapshot = scanner.scan("manager");

    assertEquals(State.INBOX_UNREADABLE, snapshot.state());
    assertTrue(snapshot.detail().startsWith("workspaces/manager/INBOX cannot be resolved"));
  }

  @Test
  void inboxThatIsAFileIsUnreadable() throws IOException {
    Files.createDirectory(root.resolve("manager"));
    Files.writeString(root.resolve("manager/INBOX"), "{}");

    var snapshot = scanner.scan("manager");

    assertEquals(State.INBOX_UNREADABLE, snapshot.state());
    assertEquals("workspaces/manager/INBOX is a file, not a directory.", snapshot.detail());
  }

  @Test
  void agentDirThatIsAFileIsUnreadable() throws IOException {
    Files.writeString(root.resolve("manager"), "oops");

    assertEquals(State.INBOX_UNREADABLE, scanner.scan("manager").state());
  }

  @Test
  void danglingInboxSymlinkIsUnreadableNotEmpty() throws IOException {
    Files.createDirectory(root.resolve("manager"));
    Files.createSymbolicLink(root.resolve("manager/INBOX"), root.resolve("gone"));

    assertEquals(State.INBOX_UNREADABLE, scanner.scan("manager").state());
  }

  @Test
  void missingWorkspacesRootMeansNoVolume() {
    var snapshot = new InboxScanner(tmp.resolve("not-mounted"), Clock.systemUTC()).scan("manager");

    assertEquals(State.WORKSPACE_UNAVAILABLE, snapshot.state());
  }

  @Test
  void workspacesRootThatIsAFileMeansNoVolume() throws IOException {
    var file = Files.writeString(tmp.resolve("file"), "x");

    assertEquals(
        State.WORKSPACE_UNAVAILABLE,
        new InboxScanner(file, Clock.systemUTC()).scan("manager").state());
  }

  @Test
  void permissionDeniedInboxIsUnreadableAndUnreadableTaskIsInvalid() throws Exception {
    ws.task("denied", "t.json", "{}", HOUR_AGO);
    ws.task("locked", "open.json", "{}", HOUR_AGO);
    var lockedTask = ws.task("locked", "closed.json", "{}", HOUR_AGO);
    var deniedInbox = ws.inbox("denied");
    Files.setPosixFilePermissions(deniedInbox, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(lockedTask, PosixFilePermissions.fromString("---------"));
    try {
      List<String> seen;
      if (!Files.isReadable(deniedInbox)) {
        seen = List.of(describe(scanner.scan("denied")), describe(scanner.scan("locked")));
      } else {
        // root ignores file permissions; scan in a child JVM without that privilege
        seen = UnprivilegedScan.run(root, "denied", "locked");
      }
      assertEquals(List.of("INBOX_UNREADABLE 0 0", "OK 1 1"), seen);
    } finally {
      Files.setPosixFilePermissions(deniedInbox, PosixFilePermissions.fromString("rwx------"));
    }
  }

  static String describe(InboxSnapshot s) {
    return s.state() + " " + s.pending() + " " + s.invalid();
  }

  /** Runs the scanner in a JVM whose root user lost CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. */
  static final class UnprivilegedScan {

    static List<String> run(Path root, String... agents) throws Exception {
      var command = new ArrayList<String>();
      command.addAll(
          List.of(
              "setpriv",
              "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search",
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              UnprivilegedScan.class.getName(),
              root.toString()));
      command.addAll(List.of(agents));
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw Prerequisites.missing(
            "the permission-denied case", "running as root and setpriv is missing: " + e);
      }
      var out = new String(process.getInputStream().readAllBytes()).strip();
      if (process.waitFor() != 0) {
        throw Prerequisites.missing(
            "the permission-denied case", "setpriv could not drop privileges: " + out);
      }
      return out.lines().toList();
    }

    public static void main(String[] args) {
      var scanner = new InboxScanner(Path.of(args[0]), Clock.systemUTC());
      for (int i = 1; i < args.length; i++) {
        System.out.println(describe(scanner.scan(args[i])));
      }
    }
  }
}
