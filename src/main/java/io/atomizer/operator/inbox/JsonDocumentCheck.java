package io.atomizer.operator.inbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decides whether a stream holds exactly one complete JSON document, with Jackson's streaming
 * parser: values are skipped, never materialised, and reading stops at the first error or after
 * {@code maxBytes}. Thread-safe.
 */
final class JsonDocumentCheck {

  /** What a task file turned out to be. */
  enum Verdict {
    VALID,
    /** No bytes, or only whitespace. */
    EMPTY,
    /** A syntax error, a second document after the first, or more than the size limit. */
    NOT_JSON,
    /** The document stops in the middle: partly written (or cut short). */
    TRUNCATED,
    /** The file could not be opened or read. */
    UNREADABLE
  }

  private final JsonFactory factory;

  JsonDocumentCheck(long maxBytes) {
    factory =
        JsonFactory.builder()
            // Field names stay canonicalised: Jackson's symbol table is bounded (it starts over
            // past 6,000 names), and without it Jackson allocates a fresh 8 KB input buffer per
            // file. They are not String.intern()ed, which would fill the JVM's string table.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(
                StreamReadConstraints.builder().maxDocumentLength(maxBytes).build())
            .build();
  }

  Verdict check(InputStream in) {
    try (var parser = factory.createParser(in)) {
      if (parser.nextToken() == null) {
        return Verdict.EMPTY;
      }
      parser.skipChildren();
      return parser.nextToken() == null ? Verdict.VALID : Verdict.NOT_JSON;
    } catch (JsonEOFException e) {
      return Verdict.TRUNCATED;
    } catch (JsonProcessingException e) {
      // syntax errors, and the size limit (StreamConstraintsException)
      return Verdict.NOT_JSON;
    } catch (IOException | RuntimeException e) {
      return Verdict.UNREADABLE;
    }
  }
}
