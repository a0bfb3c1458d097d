package io.atomizer.operator.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.atomizer.operator.inbox.InboxSnapshot.State;
import io.atomizer.operator.support.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scan counts as pending and as invalid, file by file. */
class InboxScannerTest {

  static final Instant HOUR_AGO = Instant.now().minus(1, ChronoUnit.HOURS);

  @TempDir Path root;
  Workspaces ws;
  InboxScanner scanner;

  @BeforeEach
  void setUp() {
    ws = new Workspaces(root);
    scanner = new InboxScanner(root, Clock.systemUTC());
  }

  InboxScanner listingEveryTime() {
    return new InboxScanner(root, Clock.systemUTC(), Duration.ZERO);
  }

  /** Rewrites a file without touching its directory, keeping its old modification time. */
  static void rewriteInPlace(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    Files.setLastModifiedTime(file, FileTime.from(HOUR_AGO));
  }

  @Test
  void missingAgentDirectoryOrInboxCountsAsNothingPending() throws IOException {
    assertEquals(InboxSnapshot.ok(0, null, 0, Instant.now()), scanner.scan("manager"));
    Files.createDirectory(root.resolve("manager"));
    assertEquals(InboxSnapshot.ok(0, null, 0, Instant.now()), scanner.scan("manager"));
  }

  @Test
  void emptyInboxHasNothingPending() {
    ws.inbox("manager");
    var snapshot = scanner.scan("manager");
    assertEquals(State.OK, snapshot.state());
    assertEquals(0, snapshot.pending());
    assertNull(snapshot.oldestPending());
  }

  @Test
  void countsJsonTasksAndFindsTheOldestByModificationTime() {
    var oldest = Instant.parse("2026-01-02T03:04:05.678Z");
    ws.task("manager", "b.json", "{\"task\":\"review\"}", oldest.plusSeconds(60));
    ws.task("manager", "a.json", "{\"task\":\"plan\",\"steps\":[1,2,{\"x\":null}]}", oldest);
    ws.task("manager", "c.json", "[\"a list is JSON too\"]", oldest.plusSeconds(5));

    var snapshot = scanner.scan("manager");

    assertEquals(3, snapshot.pending());
    assertEquals(0, snapshot.invalid());
    assertEquals(Instant.parse("2026-01-02T03:04:05Z"), snapshot.oldestPending());
  }

  @Test
  void filesNotNamedJsonAndSubdirectoriesAreIgnored() throws IOException {
    ws.task("manager", "task.json", "{}", HOUR_AGO);
    ws.task("manager", "README.md", "# not a task", HOUR_AGO);
    ws.task("manager", ".task.json.tmp", "{\"half", HOUR_AGO);
    ws.task("manager", "TASK.JSON.swp", "junk", HOUR_AGO);
    Files.createDirectories(ws.inbox("manager").resolve("processed"));
    ws.task("manager", "processed/old.json", "{}", HOUR_AGO);

    var snapshot = scanner.scan("manager");

    assertEquals(1, snapshot.pending(), "only task.json, not processed/old.json");
    assertEquals(0, snapshot.invalid());
  }

  @Test
  void fileThatIsNotJsonIsInvalid() {
    ws.task("manager", "good.json", "{\"ok\":true}", HOUR_AGO);
    ws.task("manager", "prose.json", "please review the design", HOUR_AGO);
    ws.task("manager", "two.json", "{} {}", HOUR_AGO);
    ws.task("manager", "broken.json", "{\"a\":1,,}", HOUR_AGO);

    var snapshot = scanner.scan("manager");

    assertEquals(1, snapshot.pending());
    assertEquals(3, snapshot.invalid());
  }

  @Test
  void emptyFileIsInvalid() {
    ws.task("manager", "empty.json", "", HOUR_AGO);
    ws.task("manager", "blank.json", "  \n\t ", HOUR_AGO);

    var snapshot = scanner.scan("manager");

    assertEquals(0, snapshot.pending());
    assertEquals(2, snapshot.invalid());
  }

  @Test
  void fileOverTenMebibytesIsInvalidEvenWhenItIsValidJson() {
    ws.hugeJson("manager", "huge.json", InboxScanner.MAX_TASK_BYTES + 1, HOUR_AGO);
    ws.hugeJson("manager", "limit.json", InboxScanner.MAX_TASK_BYTES, HOUR_AGO);

    var snapshot = scanner.scan("manager");

    assertEquals(1, snapshot.pending(), "exactly 10 MiB is allowed");
    assertEquals(1, snapshot.invalid());
  }

  @Test
  void fileBeingWrittenIsInvalidUntilItIsComplete() throws IOException {
    var file = ws.task("manager", "t.json", "{\"task\":\"write the rep", Instant.now());

    var partial = scanner.scan("manager");
    Files.writeString(file, "{\"task\":\"write the report\"}");
    var complete = scanner.scan("manager");

    assertEquals(0, partial.pending());
    assertEquals(1, partial.invalid());
    assertEquals(1, complete.pending());
    assertEquals(0, complete.invalid());
  }

  @Test
  void directoryNamedLikeATaskIsInvalid() throws IOException {
    Files.createDirectories(ws.inbox("manager").resolve("task.json"));

    var snapshot = scanner.scan("manager");

    assertEquals(State.OK, snapshot.state());
    assertEquals(0, snapshot.pending());
    assertEquals(1, snapshot.invalid());
  }

  @Test
  void symlinkLoopAmongTasksIsInvalidAndDoesNotStopTheScan() throws IOException {
    var inbox = ws.inbox("manager");
    Files.createSymbolicLink(inbox.resolve("a.json"), inbox.resolve("b.json"));
    Files.createSymbolicLink(inbox.resolve("b.json"), inbox.resolve("a.json"));
    Files.createSymbolicLink(inbox.resolve("self.json"), inbox.resolve("self.json"));
    ws.task("manager", "real.json", "{}", HOUR_AGO);

    var snapshot = scanner.scan("manager");

    assertEquals(State.OK, snapshot.state());
    assertEquals(1, snapshot.pending());
    assertEquals(3, snapshot.invalid());
  }

  @Test
  void symlinkedTaskIsInvalidAndItsTargetIsNeverRead(@TempDir Path outside) throws IOException {
    var secret = Files.writeString(outside.resolve("secret.json"), "{\"not\":\"yours\"}");
    Files.createSymbolicLink(ws.inbox("manager").resolve("leak.json"), secret);

    var snapshot = scanner.scan("manager");

    assertEquals(0, snapshot.pending());
    assertEquals(1, snapshot.invalid());
  }

  @Test
  void fifoNamedLikeATaskIsInvalidAndDoesNotBlockTheScan() throws Exception {
    var fifo = ws.inbox("manager").resolve("pipe.json");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    } catch (IOException e) {
      throw Prerequisites.missing("the FIFO case", "mkfifo is not available: " + e.getMessage());
    }
    if (mkfifo.waitFor() != 0) {
      throw Prerequisites.missing("the FIFO case", "mkfifo failed");
    }

    var snapshot = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> scanner.scan("manager"));

    assertEquals(1, snapshot.invalid());
  }

  @Test
  void rememberedVerdictIsReusedWhileNameSizeAndTimeStayTheSame() throws IOException {
    var file = ws.task("manager", "t.json", "{\"a\":1}", HOUR_AGO);
    var cache = new ValidityCache("manager");
    var scanner = listingEveryTime();
    assertEquals(1, scanner.scan("manager", cache).pending());

    // same size and modification time, different bytes: only a re-read could notice
    Files.writeString(file, "{\"a\":1,");
    Files.setLastModifiedTime(file, FileTime.from(HOUR_AGO));

    assertEquals(1, scanner.scan("manager", cache).pending(), "the verdict was remembered");
    assertEquals(1, scanner.scan("manager").invalid(), "a scan without the cache reads the file");
  }

  @Test
  void changedFileIsReadAgainDespiteTheCache() throws IOException {
    var file = ws.task("manager", "t.json", "{\"a\":1}", HOUR_AGO);
    var cache = new ValidityCache("manager");
    var scanner = listingEveryTime();
    scanner.scan("manager", cache);

    Files.writeString(file, "{\"a\":1, \"b\":");
    Files.setLastModifiedTime(file, FileTime.from(HOUR_AGO));

    var snapshot = scanner.scan("manager", cache);
    assertEquals(0, snapshot.pending());
    assertEquals(1, snapshot.invalid());
  }

  @Test
  void cacheForgetsDeletedFiles() throws IOException {
    var cache = new ValidityCache("manager");
    var scanner = listingEveryTime();
    for (int i = 0; i < 100; i++) {
      ws.task("manager", i + ".json", "{}", HOUR_AGO);
    }
    scanner.scan("manager", cache);
    for (int i = 0; i < 90; i++) {
      Files.delete(ws.inbox("manager").resolve(i + ".json"));
    }

    var snapshot = scanner.scan("manager", cache);

    assertEquals(10, snapshot.pending());
    assertEquals(10, cache.size());
  }

  @Test
  void unchangedInboxIsNotListedAgainUntilTheNextFullScan() throws IOException {
    var clock = new MutableClock(Instant.now().plusSeconds(60)); // the directory has settled
    var scanner = new InboxScanner(root, clock);
    var file = ws.task("manager", "t.json", "{\"a\":1}", HOUR_AGO);
    var cache = new ValidityCache("manager");
    assertEquals(1, scanner.scan("manager", cache).pending());

    rewriteInPlace(file, "not json");
    clock.advance(Duration.ofSeconds(10));
    assertEquals(1, scanner.scan("manager", cache).pending(), "directory unchanged: not listed");

    clock.advance(InboxScanner.FULL_SCAN_EVERY);
    var full = scanner.scan("manager", cache);
    assertEquals(0, full.pending());
    assertEquals(1, full.invalid());
  }

  @Test
  void addedOrRemovedTaskIsSeenAtOnceDespiteTheDirectoryShortcut() throws IOException {
    var clock = new MutableClock(Instant.now().plusSeconds(60));
    var scanner = new InboxScanner(root, clock);
    ws.task("manager", "a.json", "{}", HOUR_AGO);
    var cache = new ValidityCache("manager");
    assertEquals(1, scanner.scan("manager", cache).pending());

    var b = ws.task("manager", "b.json", "{}", HOUR_AGO);
    assertEquals(2, scanner.scan("manager", cache).pending());
    Files.delete(b);
    Files.delete(ws.inbox("manager").resolve("a.json"));
    assertEquals(0, scanner.scan("manager", cache).pending());
  }

  @Test
  void permissionChangeOfTheInboxMakesTheNextScanListItAgain() throws IOException {
    var clock = new MutableClock(Instant.now().plusSeconds(60));
    var scanner = new InboxScanner(root, clock);
    var file = ws.task("manager", "t.json", "{}", HOUR_AGO);
    var cache = new ValidityCache("manager");
    scanner.scan("manager", cache);

    rewriteInPlace(file, "{");
    Files.setPosixFilePermissions(
        ws.inbox("manager"), PosixFilePermissions.fromString("rwxr-x---"));

    assertEquals(1, scanner.scan("manager", cache).invalid());
  }

  @Test
  void fileBeingWrittenIsReadAgainAlthoughTheDirectoryDidNotChange() throws IOException {
    var clock = new MutableClock(Instant.now().plusSeconds(60)); // the directory has settled
    var scanner = new InboxScanner(root, clock);
    var cache = new ValidityCache("manager");
    var file = ws.task("manager", "t.json", "{\"task\":", clock.instant()); // just written
    assertEquals(1, scanner.scan("manager", cache).invalid());

    Files.writeString(file, "{\"task\":\"done\"}", StandardOpenOption.TRUNCATE_EXISTING);
    Files.setLastModifiedTime(file, FileTime.from(clock.instant()));

    assertEquals(1, scanner.scan("manager", cache).pending());
  }

  @Test
  void equalFiguresMakeEqualSnapshotsWhateverTheScanTime() {
    ws.task("manager", "t.json", "{}", HOUR_AGO);

    var first = scanner.scan("manager");
    var second = scanner.scan("manager");

    assertEquals(first, second);
  }
}
