package io.atomizer.operator.inbox;

/**
 * Remembers, for one agent's INBOX, which task files were already found valid or invalid, keyed by
 * a 64-bit fingerprint of (name, size, modification time), so that a file is read again only when
 * one of those changes. Only files whose modification time had settled (see {@link
 * InboxScanner#SETTLE}) are remembered, so a file still being written is always read again.
 *
 * <p>Each scan builds the next table from the files it sees, so deleted files drop out by
 * themselves. Cost: one {@code long} per file at most half full, about 16 bytes per remembered file
 * (1.6 MB for 100,000 files). A 64-bit collision (about 1 in 10^10 for 100,000 files) would let one
 * changed file keep its old verdict until it changes again.
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
