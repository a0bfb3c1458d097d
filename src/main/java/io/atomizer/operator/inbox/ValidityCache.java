package io.atomizer.operator.inbox;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one agent's previous scan learned, so that the next scan does less:
 *
 * <ul>
 *   <li><b>Verdicts</b>: which task files were found valid or invalid, keyed by a 64-bit
 *       fingerprint of (name, size, modification time), so that a file is parsed again only when
 *       one of those changes. Only files whose modification time had settled (see {@link
 *       InboxScanner#SETTLE}) are remembered, so a file still being written is always read again.
 *       Each scan builds the next table from the files it sees, so deleted files drop out by
 *       themselves. Cost: about 16 bytes per remembered file (1.6 MB for 100,000 files). A 64-bit
 *       collision (about 1 in 10^10 for 100,000 files) would let one changed file keep its old
 *       verdict until it changes again.
 *   <li><b>The directory</b>: when the INBOX directory is the same (device, inode and status-change
 *       time) as at the last full scan, no entry was added, removed or renamed and its permissions
 *       are the same; if that scan also saw nothing still being written, the scan returns the last
 *       result without listing. Files rewritten in place do not change the directory, so a full
 *       scan still runs at least every {@code fullScanEvery}.
 * </ul>
 *
 * <p>Not thread-safe: the event source runs at most one scan per agent at a time.
 */
public final class ValidityCache {

  private static final long[] NONE = new long[0];

  private final String agentDir;
  private long[] known = NONE;
  private int knownSize;
  private long[] next = NONE;
  private int nextSize;
  private Object dirKey;
  private FileTime dirModified;
  private InboxSnapshot lastResult;
  private Instant lastFullScan;

  /** A cache for the INBOX of {@code agentDir}; a cache is never reused for another directory. */
  public ValidityCache(String agentDir) {
    this.agentDir = agentDir;
  }

  public String agentDir() {
    return agentDir;
  }

  /** Remembered files, for the benchmark's memory figures. */
  public int size() {
    return knownSize;
  }

  /** Bytes held by the verdict table, for the benchmark's memory figures. */
  public long tableBytes() {
    return 8L * known.length;
  }

  void beginScan() {
    // sized for as many files as last time, at most half full
    next = knownSize == 0 ? NONE : new long[Integer.highestOneBit(knownSize * 4 - 1)];
    nextSize = 0;
  }

  /** Drops the table being built: an interrupted scan must not forget the previous one. */
  void abortScan() {
    next = NONE;
  }

  void endScan() {
    known = next;
    knownSize = nextSize;
    next = NONE;
  }

  /**
   * The last full scan's result when the directory is unchanged since then, that scan saw nothing
   * still being written, and it is less than {@code fullScanEvery} old; else null.
   */
  InboxSnapshot unchanged(Object key, FileTime modified, Instant now, Duration fullScanEvery) {
    if (lastResult == null
        || key == null
        || !key.equals(dirKey)
        || !modified.equals(dirModified)
        || now.isBefore(lastFullScan)
        || Duration.between(lastFullScan, now).compareTo(fullScanEvery) >= 0) {
      return null;
    }
    return lastResult;
  }

  /**
   * Records a full scan of the directory {@code key} last modified at {@code modified}; {@code
   * quiet} when the directory and every task file had settled, so the result may be reused.
   */
  void fullScan(Object key, FileTime modified, boolean quiet, InboxSnapshot result, Instant at) {
    dirKey = key;
    dirModified = Objects.requireNonNull(modified);
    lastResult = quiet ? result : null;
    lastFullScan = at;
  }

  /** The remembered verdict: TRUE valid, FALSE invalid, null not remembered. */
  Boolean lookup(long fingerprint) {
    if (contains(known, fingerprint | 1L)) {
      return Boolean.TRUE;
    }
    return contains(known, fingerprint & ~1L) ? Boolean.FALSE : null;
  }

  /** Carries a file's verdict into the next table. */
  void remember(long fingerprint, boolean valid) {
    long key = valid ? fingerprint | 1L : fingerprint & ~1L;
    if ((nextSize + 1) * 2 > next.length) {
      grow();
    }
    if (insert(next, key)) {
      nextSize++;
    }
  }

  /** A fingerprint of a file's name, size and modification time; never 0 or 1. */
  static long fingerprint(String name, long size, long modifiedNanos) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    h = mix(h ^ mix(size + 0x9e3779b97f4a7c15L) ^ mix(modifiedNanos * 31 + 7));
    return (h & ~1L) == 0 ? 2L : h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private void grow() {
    var old = next;
    next = new long[Math.max(64, old.length * 2)];
    for (long k : old) {
      if (k != 0) {
        insert(next, k);
      }
    }
  }

  private static boolean contains(long[] table, long key) {
    if (table.length == 0) {
      return false;
    }
    int mask = table.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (table[i] == key) {
        return true;
      }
      if (table[i] == 0) {
        return false;
      }
    }
  }

  private static boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (table[i] == key) {
        return false;
      }
      if (table[i] == 0) {
        table[i] = key;
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return "ValidityCache[" + agentDir + ", " + knownSize + " files]";
  }
}
