package io.atomizer.operator.bench;

import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.inbox.InboxScanner;
import io.atomizer.operator.inbox.ValidityCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Scan cost against a plain {@code Files.list(inbox).count()} over the same directories, in the
 * same process. Not a test: it prints figures.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.atomizer.operator.bench.InboxScanBenchmark
 * </pre>
 *
 * Writes the table to {@code target/bench/inbox.md}. Files are created in a temporary directory
 * (deleted at the end) and are in the page cache when measured, as on a busy node.
 */
public final class InboxScanBenchmark {

  static final int POLLS_PER_FULL_SCAN =
      (int)
          (InboxScanner.FULL_SCAN_EVERY.toSeconds()
              / OperatorConfig.defaults().inboxInterval().toSeconds());
  static final String TASK = "{\"from\":\"manager\",\"task\":\"review the design\",\"n\":%d}\n";

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final List<String> rows = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    var dir = Files.createTempDirectory("inbox-bench");
    try {
      new InboxScanBenchmark().run(dir);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(InboxScanBenchmark::delete);
      }
    }
  }

  void run(Path root) throws Exception {
    System.out.println("creating 100 agents x 1,000 files and 1 agent x 100,000 files ...");
    var fleet = new ArrayList<String>();
    for (int a = 0; a < 100; a++) {
      fleet.add(create(root, "agent-" + a, 1_000));
    }
    var big = List.of(create(root, "big", 100_000));
    Thread.sleep(InboxScanner.SETTLE.toMillis() + 500); // let every file settle
    var scanner = new InboxScanner(root, Clock.systemUTC());

    bench("100 agents x 1,000 files", root, fleet, 30, 3);
    bench("1 agent x 100,000 files", root, big, 30, 3);
    retained(root, scanner, fleet, big);
    report();
  }

  private void bench(String name, Path root, List<String> agents, int rounds, int slow) {
    var scanner = new InboxScanner(root, Clock.systemUTC());
    var lister = new InboxScanner(root, Clock.systemUTC(), Duration.ZERO);
    var caches = agents.stream().map(ValidityCache::new).toList();
    var listerCaches = agents.stream().map(ValidityCache::new).toList();
    ToLongFunction<Integer> listing =
        i -> {
          try (var s = Files.list(root.resolve(agents.get(i)).resolve(InboxScanner.INBOX))) {
            return s.count();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    ToLongFunction<Integer> unchanged = i -> scanner.scan(agents.get(i), caches.get(i)).pending();
    ToLongFunction<Integer> full = i -> lister.scan(agents.get(i), listerCaches.get(i)).pending();
    ToLongFunction<Integer> parsed = i -> scanner.scan(agents.get(i)).pending();

    System.out.println("warming up: " + name);
    for (int w = 0; w < 5; w++) {
      round(agents.size(), listing);
      round(agents.size(), unchanged);
      round(agents.size(), full);
    }
    round(agents.size(), parsed);

    var list = new long[2];
    var quiet = new long[2];
    var remembered = new long[2];
    for (int r = 0; r < rounds; r++) { // interleaved, so drift hits all alike
      add(list, round(agents.size(), listing));
      add(quiet, round(agents.size(), unchanged));
      add(remembered, round(agents.size(), full));
    }
    var cold = new long[2];
    for (int r = 0; r < slow; r++) {
      add(cold, round(agents.size(), parsed));
    }
    int n = rounds * agents.size();
    double base = list[0] / 1e3 / n;
    row(name, "`Files.list(inbox).count()` (baseline)", list, n, base);
    row(name, "scan, INBOX unchanged since the last full scan", quiet, n, base);
    row(name, "scan, full listing, verdicts remembered", remembered, n, base);
    row(
        name,
        "scan, full listing, every file parsed (first scan)",
        cold,
        slow * agents.size(),
        base);
    long[] perPoll = {
      (quiet[0] * (POLLS_PER_FULL_SCAN - 1) + remembered[0]) / POLLS_PER_FULL_SCAN,
      (quiet[1] * (POLLS_PER_FULL_SCAN - 1) + remembered[1]) / POLLS_PER_FULL_SCAN
    };
    row(
        name,
        "**steady state per poll** (10 s polls, full listing every 60 s: 5 unchanged + 1 full)",
        perPoll,
        n,
        base);
  }

  /** One pass over all agents: {nanoseconds, bytes allocated by this thread}. */
  private long[] round(int agents, ToLongFunction<Integer> scanOne) {
    var self = Thread.currentThread().getId();
    long bytes = threads.getThreadAllocatedBytes(self);
    long start = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < agents; i++) {
      sink += scanOne.applyAsLong(i);
    }
    long nanos = System.nanoTime() - start;
    bytes = threads.getThreadAllocatedBytes(self) - bytes;
    if (sink < 0) {
      throw new AssertionError();
    }
    return new long[] {nanos, bytes};
  }

  private void retained(Path root, InboxScanner scanner, List<String> fleet, List<String> big)
      throws InterruptedException {
    var all = new ArrayList<String>(fleet);
    all.addAll(big);
    long before = usedAfterGc();
    for (var agent : all) {
      scanner.scan(agent);
    }
    long afterScans = usedAfterGc();
    var caches = all.stream().map(ValidityCache::new).toList();
    for (int i = 0; i < all.size(); i++) {
      scanner.scan(all.get(i), caches.get(i));
    }
    long withCaches = usedAfterGc();
    long remembered = caches.stream().mapToLong(ValidityCache::size).sum();
    long tables = caches.stream().mapToLong(ValidityCache::tableBytes).sum();
    rows.add("");
    rows.add("| heap retained after scanning all 101 INBOXes (200,000 files) | bytes |");
    rows.add("|---|---:|");
    rows.add(String.format(Locale.ROOT, "| scans without cache | %,d |", afterScans - before));
    rows.add(
        String.format(
            Locale.ROOT,
            "| validity caches kept for all 101 agents (%,d files remembered; their tables"
                + " hold %,d bytes) | %,d |",
            remembered,
            tables,
            withCaches - afterScans));
    if (caches.size() != all.size()) { // keep the caches reachable until measured
      throw new AssertionError();
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private void row(String set, String what, long[] total, int scans, double baseMicros) {
    double micros = total[0] / 1e3 / scans;
    if (rows.isEmpty()) {
      rows.add(
          "| files | what | time per INBOX scan | heap allocated per scan | time vs baseline |");
      rows.add("|---|---|---:|---:|---:|");
    }
    rows.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %.2fx |",
            set,
            what,
            time(micros),
            bytes(total[1] / scans),
            micros / baseMicros));
  }

  private void report() throws IOException {
    var header =
        String.format(
            Locale.ROOT,
            "Inbox scan benchmark: %d cores, %s %s, %s, page cache warm.%n%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    var table = header + String.join("\n", rows) + "\n";
    System.out.println();
    System.out.println(table);
    var out = Path.of("target", "bench", "inbox.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println("written to " + out.toAbsolutePath());
  }

  private static String create(Path root, String agent, int files) throws IOException {
    var inbox = Files.createDirectories(root.resolve(agent).resolve(InboxScanner.INBOX));
    for (int i = 0; i < files; i++) {
      Files.writeString(
          inbox.resolve(String.format(Locale.ROOT, "task-%06d.json", i)),
          String.format(Locale.ROOT, TASK, i),
          StandardCharsets.UTF_8);
    }
    return agent;
  }

  private static void add(long[] total, long[] one) {
    total[0] += one[0];
    total[1] += one[1];
  }

  private static String time(double micros) {
    return micros >= 1000
        ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
        : String.format(Locale.ROOT, "%.0f µs", micros);
  }

  private static String bytes(long b) {
    return b >= 1 << 20
        ? String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0)
        : String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
