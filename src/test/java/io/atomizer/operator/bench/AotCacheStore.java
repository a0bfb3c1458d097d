package io.atomizer.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The image build's trained AOT caches, kept outside the repository ({@code
 * ~/.cache/atomizer/aot-training}) under a key made of everything the cache depends on: the
 * untrained image (its manifest and config name every layer by content digest, so the JDK, the
 * libraries and the operator's classes are all in it), the training's JVM options and fleet size,
 * and the training code's classes. A build whose image is byte for byte the same as an earlier one
 * (Jib's layers are reproducible) reuses that build's cache instead of training again; the caller
 * still checks the reused cache with {@code -XX:AOTMode=on} before taking it.
 */
final class AotCacheStore {

  /** How many trained caches are kept (about 60 MiB each); the least recently used go first. */
  static final int KEEP = 3;

  static final String CACHE = "operator.aot";

  private final Path root;

  AotCacheStore(Path root) {
    this.root = root;
  }

  /** {@code ~/.cache/atomizer/aot-training}. */
  static AotCacheStore inUserCache() {
    return new AotCacheStore(
        Path.of(System.getProperty("user.home"), ".cache", "atomizer", "aot-training"));
  }

  /** A hex SHA-256 of the parts, each length-prefixed so that no two lists give the same key. */
  static String key(List<byte[]> parts) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      for (var part : parts) {
        digest.update((part.length + ":").getBytes(StandardCharsets.UTF_8));
        digest.update(part);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes of every class file of this package (the training code), in name order. */
  static List<byte[]> trainingClasses() throws IOException {
    var location = AotCacheStore.class.getProtectionDomain().getCodeSource().getLocation();
    var dir = Path.of(java.net.URI.create(location.toString()));
    var pkg = dir.resolve(AotCacheStore.class.getPackageName().replace('.', '/'));
    if (!Files.isDirectory(pkg)) {
      return List.of(location.toString().getBytes(StandardCharsets.UTF_8));
    }
    try (Stream<Path> files = Files.list(pkg)) {
      return files
          .filter(f -> f.toString().endsWith(".class"))
          .sorted()
          .map(AotCacheStore::read)
          .toList();
    }
  }

  /** The stored cache of this key, if there is one; marks it as just used. */
  Optional<Path> find(String key) throws IOException {
    var cache = root.resolve(key).resolve(CACHE);
    if (!Files.isRegularFile(cache)) {
      return Optional.empty();
    }
    Files.setLastModifiedTime(root.resolve(key), FileTime.from(Instant.now()));
    return Optional.of(cache);
  }

  /**
   * Keeps a copy of {@code cache} under {@code key}, then drops all but the {@link #KEEP} newest.
   */
  void store(String key, Path cache) throws IOException {
    var dir = root.resolve(key);
    Files.createDirectories(dir);
    var partial = dir.resolve(CACHE + ".partial");
    Files.copy(cache, partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partial, dir.resolve(CACHE), StandardCopyOption.ATOMIC_MOVE);
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
    evict(key);
  }

  private void evict(String kept) throws IOException {
    List<Path> entries;
    try (Stream<Path> dirs = Files.list(root)) {
      entries =
          dirs.filter(Files::isDirectory)
              .sorted(Comparator.comparing(AotCacheStore::modified).reversed())
              .toList();
    }
    int others = 0;
    for (var dir : entries) {
      if (dir.getFileName().toString().equals(kept) || ++others < KEEP) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (var f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
