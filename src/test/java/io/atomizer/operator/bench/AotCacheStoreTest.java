package io.atomizer.operator.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheStoreTest {

  @TempDir Path dir;

  @Test
  void anyChangeOfAnInputGivesAnotherKey() {
    var base = AotCacheStore.key(List.of(bytes("manifest"), bytes("config"), bytes("flags")));
    assertEquals(
        base, AotCacheStore.key(List.of(bytes("manifest"), bytes("config"), bytes("flags"))));
    assertNotEquals(
        base, AotCacheStore.key(List.of(bytes("manifest2"), bytes("config"), bytes("flags"))));
    assertNotEquals(
        base, AotCacheStore.key(List.of(bytes("manifest"), bytes("config"), bytes("flags -X"))));
    // parts are not simply concatenated
    assertNotEquals(
        AotCacheStore.key(List.of(bytes("ab"), bytes("c"))),
        AotCacheStore.key(List.of(bytes("a"), bytes("bc"))));
  }

  @Test
  void theTrainingCodeIsPartOfTheKey() throws Exception {
    var classes = AotCacheStore.trainingClasses();
    assertTrue(classes.size() > 5, "the bench package's classes: " + classes.size());
  }

  @Test
  void aStoredCacheIsFoundByItsKeyOnly() throws Exception {
    var store = new AotCacheStore(dir.resolve("store"));
    var cache = Files.write(dir.resolve("trained.aot"), bytes("trained"));
    assertFalse(store.find("k1").isPresent(), "nothing stored yet");

    store.store("k1", cache);

    assertArrayEquals(bytes("trained"), Files.readAllBytes(store.find("k1").orElseThrow()));
    assertFalse(store.find("k2").isPresent());
  }

  @Test
  void onlyTheNewestCachesAreKept() throws Exception {
    var root = dir.resolve("store");
    var store = new AotCacheStore(root);
    var cache = Files.write(dir.resolve("trained.aot"), bytes("trained"));
    for (int i = 1; i <= AotCacheStore.KEEP; i++) {
      store.store("k" + i, cache);
      // one second apart, whatever the file system's time resolution
      Files.setLastModifiedTime(root.resolve("k" + i), FileTime.fromMillis(i * 1000L));
    }
    for (int i = 1; i <= AotCacheStore.KEEP; i++) {
      assertTrue(Files.exists(root.resolve("k" + i)), "k" + i + " is within the limit");
    }
    // the oldest is used again: it stays, and the least recently used one goes
    store.find("k1");

    store.store("k9", cache);

    for (var kept : List.of("k9", "k1", "k3")) {
      assertTrue(store.find(kept).isPresent(), kept);
    }
    assertFalse(Files.exists(root.resolve("k2")), "k2, the least recently used");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
