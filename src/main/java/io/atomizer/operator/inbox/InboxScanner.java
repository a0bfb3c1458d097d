package io.atomizer.operator.inbox;

import io.atomizer.operator.customresource.Patterns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Scans {@code <workspaces>/<agentDir>/INBOX/} of one agent.
 *
 * <ul>
 *   <li><b>Pending</b> tasks are regular files named {@code *.json} directly in INBOX that hold
 *       exactly one complete JSON document; the oldest is the one with the oldest modification
 *       time.
 *   <li><b>Invalid</b> are the other {@code *.json} entries: unreadable, empty, larger than {@link
 *       #MAX_TASK_BYTES} (decided from the size, never read), not JSON, partly written (the
 *       document stops before its end: a writer is still at it, or gave up), or not a regular file
 *       (a directory, a symlink, a FIFO). Symlinks are never followed, so a symlink loop or a link
 *       out of the volume is just an invalid entry.
 *   <li>Entries not named {@code *.json} are ignored, neither pending nor invalid: writers create
 *       {@code .tmp} files and rename them, editors leave swap files, agents keep sub-directories
 *       such as {@code processed/}. None of those is a task, and counting them would raise false
 *       alarms.
 *   <li>A missing INBOX (or agent directory) means nothing is pending: the agent's init container
 *       creates it.
 * </ul>
 *
 * <p>The directory is streamed, one entry at a time; file contents are parsed by a streaming JSON
 * parser that skips every value, so memory stays flat however many or large the files are. With a
 * {@link ValidityCache} a file is parsed only when its name, size or modification time changed
 * since the previous scan, and an INBOX directory that has not changed since the last full scan is
 * not listed at all (but at least every {@link #FULL_SCAN_EVERY}). The scan resolves the agent
 * directory and INBOX to real paths and refuses any that lead out of the real workspaces root;
 * entries are examined with {@code NOFOLLOW_LINKS} relative to the opened INBOX directory.
 *
 * <p>Thread-safe; one instance serves all agents.
 */
public final class InboxScanner implements InboxScan {

  /** The largest task file; larger files are invalid without being read. */
  public static final long MAX_TASK_BYTES = 10L * 1024 * 1024;

  /**
   * How long a file's modification time must lie in the past before its verdict is remembered:
   * writers may still be appending, and some file systems keep modification times in whole (or even
   * two) seconds.
   */
  public static final Duration SETTLE = Duration.ofSeconds(2);

  public static final String INBOX = "INBOX";
  private static final String TASK_SUFFIX = ".json";
  private static final Pattern SEGMENT = Pattern.compile(Patterns.PATH_SEGMENT);
  private static final Set<OpenOption> READ_NO_FOLLOW =
      Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  /**
   * How often an unchanged INBOX is listed anyway, to notice task files rewritten in place (which
   * leaves the directory's modification time alone).
   */
  public static final Duration FULL_SCAN_EVERY = Duration.ofSeconds(60);

  private final Path root;
  private final Clock clock;
  private final Duration fullScanEvery;
  private final JsonDocumentCheck json = new JsonDocumentCheck(MAX_TASK_BYTES);

  /**
   * @param root the operator's mount of the workspaces volume (ATOMIZER_WORKSPACES_ROOT)
   */
  public InboxScanner(Path root, Clock clock) {
    this(root, clock, FULL_SCAN_EVERY);
  }

  /**
   * @param fullScanEvery how long a scan with a {@link ValidityCache} may trust an unchanged
   *     directory; {@link Duration#ZERO} lists it every time
   */
  public InboxScanner(Path root, Clock clock, Duration fullScanEvery) {
    this.root = root;
    this.clock = clock;
    this.fullScanEvery = fullScanEvery;
  }

  public Path root() {
    return root;
  }

  /** Scans without remembering verdicts: every task file is read. */
  public InboxSnapshot scan(String agentDir) {
    return scan(agentDir, null);
  }

  @Override
  public InboxSnapshot scan(String agentDir, ValidityCache cache) {
    if (agentDir == null || agentDir.length() > 253 || !SEGMENT.matcher(agentDir).matches()) {
      return InboxSnapshot.unreadable(
          "The agent directory '"
              + shorten(agentDir)
              + "' is not a single directory name (no '/', not '.' or '..'), so it is not"
              + " scanned.",
          clock.instant());
    }
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      return InboxSnapshot.workspaceUnavailable(
          "The operator has no workspaces volume at " + root + " (" + reason(e) + ").",
          clock.instant());
    }
    if (!Files.isDirectory(realRoot)) {
      return InboxSnapshot.workspaceUnavailable(
          "The operator's workspaces path " + root + " is not a directory.", clock.instant());
    }
    var shown = "workspaces/" + agentDir;
    Path realAgent;
    try {
      realAgent = realRoot.resolve(agentDir).toRealPath();
    } catch (NoSuchFileException e) {
      return nothingPending();
    } catch (IOException e) {
      return InboxSnapshot.unreadable(
          shown + " cannot be resolved: " + reason(e) + ".", clock.instant());
    }
    if (!realAgent.startsWith(realRoot)) {
      return InboxSnapshot.unreadable(
          shown + " is a symlink that leads out of the workspaces volume; it is not followed.",
          clock.instant());
    }
    if (!Files.isDirectory(realAgent)) {
      return InboxSnapshot.unreadable(shown + " is not a directory.", clock.instant());
    }
    shown += "/" + INBOX;
    var inbox = realAgent.resolve(INBOX);
    Path realInbox;
    try {
      realInbox = inbox.toRealPath();
    } catch (NoSuchFileException e) {
      return Files.isSymbolicLink(inbox)
          ? InboxSnapshot.unreadable(
              shown + " is a symlink to something that does not exist.", clock.instant())
          : nothingPending();
    } catch (IOException e) {
      return InboxSnapshot.unreadable(
          shown + " cannot be resolved: " + reason(e) + ".", clock.instant());
    }
    if (!realInbox.startsWith(realRoot)) {
      return InboxSnapshot.unreadable(
          shown + " is a symlink that leads out of the workspaces volume; it is not followed.",
          clock.instant());
    }
    DirState dir;
    try {
      dir = DirState.of(realInbox);
    } catch (IOException e) {
      return InboxSnapshot.unreadable(
          shown + " cannot be examined: " + reason(e) + ".", clock.instant());
    }
    if (!dir.isDirectory()) {
      return InboxSnapshot.unreadable(shown + " is a file, not a directory.", clock.instant());
    }
    var now = clock.instant();
    var last = cache == null ? null : cache.unchanged(dir.key(), dir.changed(), now, fullScanEvery);
    if (last != null) {
      return new InboxSnapshot(
          last.state(), last.pending(), last.oldestPending(), last.invalid(), last.detail(), now);
    }
    return list(realInbox, dir, shown, cache);
  }

  private InboxSnapshot list(Path inbox, DirState dir, String shown, ValidityCache cache) {
    var started = clock.instant();
    long settledBefore = started.toEpochMilli() - SETTLE.toMillis();
    var tally = new Tally();
    boolean complete = false;
    if (cache != null) {
      cache.beginScan();
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
      var secure = entries instanceof SecureDirectoryStream<Path> s ? s : null;
      for (Path entry : entries) {
        if (Thread.currentThread().isInterrupted()) {
          return InboxSnapshot.unreadable(
              "The scan of " + shown + " was interrupted.", clock.instant());
        }
        var name = entry.getFileName();
        var fileName = name.toString();
        if (fileName.endsWith(TASK_SUFFIX)) {
          examine(secure, secure != null ? name : entry, fileName, settledBefore, cache, tally);
        }
      }
      complete = true;
    } catch (AccessDeniedException e) {
      return InboxSnapshot.unreadable(
          shown
              + " cannot be listed: permission denied. The operator reads it as its own user;"
              + " make the directory readable (r-x) for it.",
          clock.instant());
    } catch (DirectoryIteratorException e) {
      return InboxSnapshot.unreadable(
          shown + " could not be listed to the end: " + reason(e.getCause()) + ".",
          clock.instant());
    } catch (IOException e) {
      return InboxSnapshot.unreadable(
          shown + " cannot be listed: " + reason(e) + ".", clock.instant());
    } finally {
      if (cache != null) {
        if (complete) {
          cache.endScan();
        } else {
          cache.abortScan();
        }
      }
    }
    var result =
        InboxSnapshot.ok(
            tally.pending,
            tally.pending == 0 ? null : Instant.ofEpochMilli(tally.oldestMillis),
            tally.invalid,
            clock.instant());
    if (cache != null) {
      boolean quiet = !tally.unsettled && dir.changed().toMillis() <= settledBefore;
      cache.fullScan(dir.key(), dir.changed(), quiet, result, started);
    }
    return result;
  }

  /**
   * Counts one {@code *.json} entry. {@code file} is relative to {@code secure} when the directory
   * stream is a secure one (the file is then looked up from the open INBOX, not by path).
   */
  private void examine(
      SecureDirectoryStream<Path> secure,
      Path file,
      String fileName,
      long settledBefore,
      ValidityCache cache,
      Tally tally) {
    BasicFileAttributes attrs;
    try {
      attrs =
          secure != null
              ? secure
                  .getFileAttributeView(
                      file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .readAttributes()
              : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return; // taken by the agent between the listing and now
    } catch (IOException e) {
      tally.invalid++;
      return;
    }
    long size = attrs.size();
    if (!attrs.isRegularFile() || size == 0 || size > MAX_TASK_BYTES) {
      tally.invalid++;
      return;
    }
    var modified = attrs.lastModifiedTime();
    long modifiedMillis = modified.toMillis();
    long fingerprint =
        cache == null
            ? 0
            : ValidityCache.fingerprint(fileName, size, modified.to(TimeUnit.NANOSECONDS));
    var known = cache == null ? null : cache.lookup(fingerprint);
    boolean valid = known != null ? known : readsAsJson(secure, file);
    if (modifiedMillis > settledBefore) {
      tally.unsettled = true;
    } else if (cache != null) {
      cache.remember(fingerprint, valid);
    }
    if (valid) {
      tally.pending++;
      tally.oldestMillis = Math.min(tally.oldestMillis, modifiedMillis);
    } else {
      tally.invalid++;
    }
  }

  private boolean readsAsJson(SecureDirectoryStream<Path> secure, Path file) {
    try (InputStream in =
        secure != null
            ? Channels.newInputStream(secure.newByteChannel(file, READ_NO_FOLLOW))
            : Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return json.check(in) == JsonDocumentCheck.Verdict.VALID;
    } catch (IOException e) {
      return false;
    }
  }

  private InboxSnapshot nothingPending() {
    return InboxSnapshot.ok(0, null, 0, clock.instant());
  }

  /** The operating system's reason, without the path the exception message repeats. */
  private static String reason(Throwable e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName();
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    var clean = s.replaceAll("\\p{Cc}", "?");
    return clean.length() <= 64 ? clean : clean.substring(0, 64) + "…";
  }

  /**
   * The INBOX directory's identity and the last time it changed: its status-change time where the
   * file system has one (entries added, removed or renamed, and also permission changes), else its
   * modification time.
   */
  private record DirState(boolean isDirectory, Object key, FileTime changed) {

    static DirState of(Path dir) throws IOException {
      try {
        var unix = Files.readAttributes(dir, "unix:isDirectory,dev,ino,ctime");
        return new DirState(
            (Boolean) unix.get("isDirectory"),
            List.of(unix.get("dev"), unix.get("ino")),
            (FileTime) unix.get("ctime"));
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        var basic = Files.readAttributes(dir, BasicFileAttributes.class);
        return new DirState(basic.isDirectory(), basic.fileKey(), basic.lastModifiedTime());
      }
    }
  }

  private static final class Tally {
    int pending;
    int invalid;
    long oldestMillis = Long.MAX_VALUE;
    boolean unsettled;
  }
}
