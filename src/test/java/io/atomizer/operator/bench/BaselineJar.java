package io.atomizer.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The baseline programs (this package's classes) as a jar beside the operator's: an AOT cache
 * archives classes from jars only, and the baseline on JDK 25 gets its own cache like the operator.
 */
final class BaselineJar {

  private BaselineJar() {}

  /**
   * Writes {@code out/baseline.jar} once per benchmark JVM and returns the baseline's classpath.
   */
  static synchronized String classpath(Path operatorJar, Path out) {
    var jar = out.resolve("baseline.jar");
    if (!written) {
      write(jar);
      written = true;
    }
    return operatorJar + java.io.File.pathSeparator + jar;
  }

  private static boolean written;

  private static void write(Path jar) {
    try {
      var classes = StartupRace.testClasses();
      var dir = classes.resolve(BaselineJar.class.getPackageName().replace('.', '/'));
      Files.createDirectories(jar.getParent());
      try (var out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.list(dir)) {
        for (var file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(file));
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
