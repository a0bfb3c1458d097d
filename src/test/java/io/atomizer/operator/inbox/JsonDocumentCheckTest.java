package io.atomizer.operator.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.inbox.JsonDocumentCheck.Verdict;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming check reads no more than its limit, whatever the stream holds. */
class JsonDocumentCheckTest {

  static final long LIMIT = 64 * 1024;
  final JsonDocumentCheck check = new JsonDocumentCheck(LIMIT);

  @Test
  void fileThatKeepsGrowingWhileReadIsCutOffAtTheLimit() {
    var endless = new EndlessArray();

    assertEquals(Verdict.NOT_JSON, check.check(endless));
    assertTrue(
        endless.read <= LIMIT + 64 * 1024,
        "read " + endless.read + " bytes for a limit of " + LIMIT);
  }

  @Test
  void documentCutShortIsTruncatedNotInvalidSyntax() {
    assertEquals(Verdict.TRUNCATED, check.check(text("{\"task\": \"plan")));
    assertEquals(Verdict.TRUNCATED, check.check(text("{\"task\": [1, 2")));
    assertEquals(Verdict.NOT_JSON, check.check(text("{\"task\": ]")));
  }

  @Test
  void deeplyNestedDocumentIsRejectedNotOverflowed() {
    var deep = "[".repeat(5000) + "]".repeat(5000);
    assertEquals(Verdict.NOT_JSON, new JsonDocumentCheck(1 << 20).check(text(deep)));
  }

  static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code [0,0,0,...} forever. */
  static final class EndlessArray extends InputStream {
    long read;

    @Override
    public int read() {
      return read++ == 0 ? '[' : (read % 2 == 0 ? '0' : ',');
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        b[off + i] = (byte) read();
      }
      return len;
    }
  }
}
