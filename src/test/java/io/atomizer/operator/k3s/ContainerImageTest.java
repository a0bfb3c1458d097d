package io.atomizer.operator.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomizer.operator.e2e.E2ePrerequisites;
import io.atomizer.operator.packaging.ShippedClasses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's container image, target/jib-image.tar, which {@code mvn -Pimage} builds before the
 * tests (Jib on the base from k3s/build-base-image.sh). Without it, skipped loudly. The image is
 * unpacked layer by layer and run without Docker: chroot into it, as its user, with its own java,
 * glibc and environment.
 */
@Tag("image")
class ContainerImageTest {

  static final Path IMAGE = Path.of("target/jib-image.tar");

  @TempDir static Path tmp;
  static Path root;
  static JsonNode config;

  @BeforeAll
  static void unpack() throws IOException {
    // tag image: these tests run only with -Pimage, which builds the image before them
    assertTrue(
        Files.isRegularFile(IMAGE),
        "no "
            + IMAGE
            + ": run the image tests with mvn -B -Pimage verify (which builds it first), or build it"
            + " with k3s/build-image.sh --no-import");
    var archive = tmp.resolve("archive");
    root = tmp.resolve("rootfs");
    Files.createDirectories(archive);
    Files.createDirectories(root);
    tar("-xf", IMAGE.toAbsolutePath().toString(), "-C", archive.toString());
    var mapper = new ObjectMapper();
    var manifest = mapper.readTree(archive.resolve("manifest.json").toFile()).get(0);
    config = mapper.readTree(archive.resolve(manifest.get("Config").asText()).toFile());
    long compressed = Files.size(IMAGE);
    for (var layer : manifest.get("Layers")) {
      tar("-xf", archive.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    long uncompressed;
    try (Stream<Path> files = Files.walk(root)) {
      uncompressed = files.filter(Files::isRegularFile).mapToLong(ContainerImageTest::size).sum();
    }
    System.out.printf(
        "container image %s: tarball %.1f MB, unpacked %.1f MB in %d layers%n",
        IMAGE, compressed / 1e6, uncompressed / 1e6, manifest.get("Layers").size());
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void tar(String... args) {
    var command = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword"));
    command.addAll(Arrays.asList(args));
    var run = Scripts.exec(Map.of(), command);
    assertEquals(0, run.exitCode(), run::toString);
  }

  private static List<String> entrypoint() {
    var out = new ArrayList<String>();
    config.at("/config/Entrypoint").forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void runsTheOperatorAsNonRootWithJavaAsItsOwnEntrypoint() {
    assertEquals("65532:65532", config.at("/config/User").asText());
    var entrypoint = entrypoint();
    assertEquals("java", entrypoint.get(0), "java is exec'd directly, not through a shell script");
    assertEquals("io.atomizer.operator.AtomizerOperator", entrypoint.get(entrypoint.size() - 1));
    assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"), entrypoint::toString);
    assertTrue(config.at("/config/ExposedPorts").has("8080/tcp"));
    assertFalse(Files.exists(root.resolve("bin/sh")), "the image has a shell");
    assertTrue(Files.isExecutable(root.resolve("opt/java/bin/java")));
  }

  @Test
  void theImagesOwnJavaStartsTheOperatorWhichSaysInOneLineThatNoClusterIsReachable()
      throws IOException {
    var unshare = Scripts.onPath("unshare");
    var chroot = Scripts.onPath("chroot");
    var uid = new com.sun.security.auth.module.UnixSystem().getUid();
    if (uid != 0 || unshare == null || chroot == null) {
      throw E2ePrerequisites.missing(
          "the image's own java",
          "needs root, unshare and chroot to run it inside the image's root filesystem");
    }
    Files.createDirectories(root.resolve("proc"));
    var env = new java.util.HashMap<String, String>();
    config
        .at("/config/Env")
        .forEach(e -> env.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
    // No kubeconfig and no in-cluster service: the client's default https://kubernetes.default.svc
    // cannot be resolved. No retries, so the answer comes at once.
    env.put("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0");
    var inImage = new ArrayList<>(List.of("env", "-i"));
    env.forEach((k, v) -> inImage.add(k + "=" + v));
    inImage.addAll(
        List.of(
            unshare.toString(),
            "--mount",
            "--pid",
            "--fork",
            "--mount-proc=" + root.resolve("proc"),
            chroot.toString(),
            "--userspec=" + config.at("/config/User").asText(),
            root.toString()));

    var version = new ArrayList<>(inImage);
    version.addAll(List.of("/opt/java/bin/java", "-XshowSettings:properties", "-version"));
    var java = Scripts.exec(Map.of(), version);
    assertEquals(0, java.exitCode(), java::toString);
    assertTrue(java.output().contains("file.encoding = UTF-8"), java::toString);
    assertTrue(java.output().contains("user.name = nonroot"), java::toString);

    var operator = new ArrayList<>(inImage);
    operator.addAll(entrypoint());
    var run = Scripts.exec(Map.of(), operator);

    assertOneLineNoCluster(run);

    // JDK 24+: the AOT cache the image build trained must load (AOTMode=on: no cache, no start)
    if (Files.exists(root.resolve("app/aot/operator.aot"))) {
      var strict = new ArrayList<>(inImage);
      strict.add(entrypoint().get(0));
      strict.add("-XX:AOTMode=on");
      strict.addAll(entrypoint().subList(1, entrypoint().size()));
      assertOneLineNoCluster(Scripts.exec(Map.of(), strict));
    } else {
      assertTrue(
          Files.readString(root.resolve("opt/java/release")).contains("JAVA_VERSION=\"17"),
          "a runtime of JDK 24+ comes with /app/aot/operator.aot");
    }
  }

  private static void assertOneLineNoCluster(Scripts.Run run) {
    assertEquals(1, run.exitCode(), run::toString);
    var lines = run.output().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), run::toString);
    assertTrue(
        lines.get(0).startsWith("atomizer-operator: cannot reach the Kubernetes API server"),
        run::toString);
  }

  @Test
  void theImageHasTheOperatorButNeitherThePlaygroundNorTheMockApiServer() throws IOException {
    var app = root.resolve("app");
    assertTrue(
        Files.isRegularFile(app.resolve("classes/io/atomizer/operator/AtomizerOperator.class")),
        "the operator's classes are not in /app/classes");
    var names = new ArrayList<String>();
    try (Stream<Path> classes = Files.walk(app.resolve("classes"))) {
      classes.forEach(f -> names.add(app.resolve("classes").relativize(f) + "/"));
    }
    var jars = new ArrayList<String>();
    try (Stream<Path> libs = Files.list(app.resolve("libs"))) {
      for (var jar : libs.filter(j -> j.toString().endsWith(".jar")).toList()) {
        jars.add(jar.getFileName().toString());
        names.addAll(ShippedClasses.entries(jar));
      }
    }
    assertTrue(
        jars.stream().anyMatch(j -> j.startsWith("kubernetes-client-api-")),
        "the operator's libraries are not in /app/libs: " + jars);
    assertEquals(List.of(), ShippedClasses.forbidden(names.stream()));
    assertEquals(
        List.of(),
        jars.stream()
            .filter(j -> j.startsWith("kubernetes-server-mock") || j.startsWith("mockwebserver"))
            .toList());
  }

  @Test
  void theJreHasEveryModuleTheOperatorAndItsLibrariesUse() throws IOException {
    var release = Files.readString(root.resolve("opt/java/release"));
    var modules =
        Set.of(
            release
                .lines()
                .filter(l -> l.startsWith("MODULES="))
                .findFirst()
                .orElseThrow()
                .replaceAll("MODULES=|\"", "")
                .split(" "));
    var classes = flatten(root.resolve("app"), tmp.resolve("flat"));
    var run =
        Scripts.exec(
            Map.of(),
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                "--ignore-missing-deps",
                "--print-module-deps",
                classes.toString()));
    assertEquals(0, run.exitCode(), run::toString);
    var needed = new TreeSet<>(List.of(run.output().strip().split(",")));
    needed.removeAll(modules);
    assertEquals(
        Set.of(),
        needed,
        "add these modules to MODULES in k3s/build-base-image.sh (jdeps found them in /app)");
  }

  /**
   * The image's classes and library classes in one directory, as the JVM sees them on the class
   * path: module descriptors dropped, and Java 9-17 versions of multi-release classes applied.
   */
  private static Path flatten(Path app, Path out) throws IOException {
    var sources = new ArrayList<Path>();
    try (Stream<Path> jars = Files.list(app.resolve("libs"))) {
      sources.addAll(jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList());
    }
    for (var jar : sources) {
      try (var zip = new ZipFile(jar.toFile())) {
        var entries =
            zip.stream()
                .filter(e -> e.getName().endsWith(".class"))
                .filter(e -> !e.getName().endsWith("module-info.class"))
                .sorted((a, b) -> Integer.compare(version(a.getName()), version(b.getName())))
                .collect(Collectors.toList());
        for (var entry : entries) {
          if (version(entry.getName()) > 17) {
            continue;
          }
          var name = entry.getName().replaceFirst("^META-INF/versions/\\d+/", "");
          var target = out.resolve(name);
          Files.createDirectories(target.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
    try (Stream<Path> files = Files.walk(app.resolve("classes"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        var target = out.resolve(app.resolve("classes").relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return out;
  }

  private static int version(String entry) {
    var m = java.util.regex.Pattern.compile("^META-INF/versions/(\\d+)/").matcher(entry);
    return m.find() ? Integer.parseInt(m.group(1)) : 8;
  }
}
