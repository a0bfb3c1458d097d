package io.atomizer.operator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * What the operator's jar and image must not ship: the playground and the mock API server it runs
 * (with the mock tier's tests, they live in target/atomizer-operator-playground.jar only).
 */
public final class ShippedClasses {

  /** Class-file prefixes of the playground and of fabric8's mock API server. */
  public static final List<String> FORBIDDEN =
      List.of(
          "io/atomizer/operator/playground/",
          "io/fabric8/kubernetes/client/server/mock/",
          "io/fabric8/mockwebserver/");

  private ShippedClasses() {}

  /** The entry names (paths with '/') among {@code names} that start with a forbidden prefix. */
  public static List<String> forbidden(Stream<String> names) {
    return names.filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith)).sorted().toList();
  }

  /** The entry names of a jar. */
  public static List<String> entries(Path jar) {
    try (var zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(e -> e.getName()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }
}
