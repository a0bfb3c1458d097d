package io.atomizer.operator.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads an HPROF heap dump (as written by {@code jcmd GC.heap_dump}) just enough to say which
 * objects hold a given text: every byte array that contains it, and the classes of the objects that
 * reference such an array (a {@code java.lang.String} for a string, a {@code StringBuilder} or a
 * {@code HeapByteBuffer} for a network buffer).
 */
final class HeapDump {

  private final ByteBuffer dump;
  private final String text;
  private int idSize;
  private final Map<Long, String> strings = new HashMap<>();
  private final Map<Long, Long> classNames = new HashMap<>();
  private final List<int[]> heapSegments = new ArrayList<>();

  private HeapDump(ByteBuffer dump) {
    this.dump = dump;
    var bytes = new byte[dump.capacity()];
    dump.get(0, bytes);
    // compact strings: an ASCII text is stored as its bytes, found as Latin-1
    this.text = new String(bytes, StandardCharsets.ISO_8859_1);
    readTopLevel();
  }

  static HeapDump read(Path file) throws IOException {
    try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new HeapDump(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
    }
  }

  /** Whether {@code needle} occurs anywhere in the dump. */
  boolean contains(String needle) {
    return text.contains(needle);
  }

  /**
   * For each needle found in a byte array, the classes of the objects referencing such an array
   * ("none" when nothing does), by needle.
   */
  Map<String, Set<String>> holders(List<String> needles) {
    var offsets = new TreeMap<Integer, String>();
    for (var needle : needles) {
      for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
        offsets.put(i, needle);
      }
    }
    var arrays = new HashMap<Long, Set<String>>();
    walk(
        (kind, id, start, end) -> {
          if (kind == 0x23) {
            var inside = offsets.subMap(start, end);
            if (!inside.isEmpty()) {
              arrays.put(id, new HashSet<>(inside.values()));
            }
          }
        });
    var result = new TreeMap<String, Set<String>>();
    arrays.values().forEach(found -> found.forEach(n -> result.put(n, new TreeSet<>())));
    walk(
        (kind, id, start, end) -> {
          if (kind == 0x21 || kind == 0x22) {
            for (int i = start; i + idSize <= end; i++) {
              var found = arrays.get(readId(i));
              if (found != null) {
                var holder = kind == 0x22 ? "Object[]" : className(classOf(start));
                found.forEach(n -> result.get(n).add(holder));
              }
            }
          }
        });
    return result;
  }

  private interface Visitor {
    /** One object: its record kind (0x21 instance, 0x22 object array, 0x23 primitive array). */
    void visit(int kind, long id, int start, int end);
  }

  private void readTopLevel() {
    int pos = text.indexOf('\0') + 1;
    idSize = dump.getInt(pos);
    pos += 4 + 8;
    while (pos < dump.capacity()) {
      int tag = dump.get(pos) & 0xff;
      int length = dump.getInt(pos + 5);
      int body = pos + 9;
      if (tag == 0x01) {
        var bytes = new byte[length - idSize];
        dump.get(body + idSize, bytes);
        strings.put(readId(body), new String(bytes, StandardCharsets.UTF_8));
      } else if (tag == 0x02) {
        classNames.put(readId(body + 4), readId(body + 4 + idSize + 4));
      } else if (tag == 0x0c || tag == 0x1c) {
        heapSegments.add(new int[] {body, body + length});
      }
      pos = body + length;
    }
  }

  private void walk(Visitor visitor) {
    for (var segment : heapSegments) {
      int p = segment[0];
      while (p < segment[1]) {
        int tag = dump.get(p++) & 0xff;
        switch (tag) {
          case 0xff, 0x05, 0x07 -> p += idSize;
          case 0x01 -> p += 2 * idSize;
          case 0x02, 0x03, 0x08 -> p += idSize + 8;
          case 0x04, 0x06 -> p += idSize + 4;
          case 0x20 -> p = skipClassDump(p);
          case 0x21 -> {
            int n = dump.getInt(p + idSize + 4 + idSize);
            int start = p + 2 * idSize + 8;
            visitor.visit(tag, readId(p), start, start + n);
            p = start + n;
          }
          case 0x22 -> {
            int n = dump.getInt(p + idSize + 4);
            int start = p + 2 * idSize + 8;
            visitor.visit(tag, readId(p), start, start + n * idSize);
            p = start + n * idSize;
          }
          case 0x23 -> {
            int n = dump.getInt(p + idSize + 4);
            int type = dump.get(p + idSize + 8);
            int start = p + idSize + 9;
            visitor.visit(tag, readId(p), start, start + n * size(type));
            p = start + n * size(type);
          }
          default -> throw new IllegalStateException("unknown heap record " + tag + " at " + p);
        }
      }
    }
  }

  private int skipClassDump(int p) {
    p += idSize + 4 + 6 * idSize + 4;
    int constants = dump.getShort(p) & 0xffff;
    p += 2;
    for (int i = 0; i < constants; i++) {
      p += 3 + size(dump.get(p + 2));
    }
    int statics = dump.getShort(p) & 0xffff;
    p += 2;
    for (int i = 0; i < statics; i++) {
      p += idSize + 1 + size(dump.get(p + idSize));
    }
    int fields = dump.getShort(p) & 0xffff;
    return p + 2 + fields * (idSize + 1);
  }

  /** The class id of the instance whose field bytes start at {@code start}. */
  private long classOf(int start) {
    return readId(start - 4 - idSize);
  }

  private String className(long classId) {
    var name = strings.get(classNames.get(classId));
    return name == null ? "?" : name.replace('/', '.');
  }

  private int size(int type) {
    return switch (type) {
      case 2 -> idSize;
      case 4, 8 -> 1;
      case 5, 9 -> 2;
      case 6, 10 -> 4;
      case 7, 11 -> 8;
      default -> throw new IllegalStateException("unknown type " + type);
    };
  }

  private long readId(int at) {
    return idSize == 8 ? dump.getLong(at) : dump.getInt(at) & 0xffffffffL;
  }
}
