package io.atomizer.operator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hostile-input corpus: AtomizerAgent manifests (with the Secrets and ConfigMaps they need)
 * that attack or confuse the operator, each with the outcome it must get in a header:
 *
 * <pre>
 * # expect: rejected &lt;text the API server's error names&gt;
 * # expect: stalled &lt;Stalled reason&gt;      (the schema lets it through; the operator answers)
 * # expect: ready                         (harmless after all: the agent runs)
 * # message: &lt;text the Stalled message must contain&gt;   (any number)
 * # why: &lt;what the manifest tries&gt;
 * </pre>
 *
 * The files live in src/test/resources/hostile-agents; manifests too large to keep in git (several
 * MiB of ConfigMap, hundreds of env entries, huge annotations) are generated into target/ when the
 * corpus is listed. The last AtomizerAgent of a file is the one the expectation is about.
 */
public final class HostileCorpus {

  public static final Path FILES = Path.of("src/test/resources/hostile-agents");
  public static final Path GENERATED = Path.of("target/hostile-agents-generated");

  /** What must happen to a manifest. */
  public enum Outcome {
    REJECTED,
    STALLED,
    READY
  }

  /**
   * One manifest and its expectation.
   *
   * @param detail the text the rejection names, or the Stalled reason
   * @param mentions texts the Stalled message must contain
   */
  public record Case(
      String name, Path file, Outcome outcome, String detail, List<String> mentions) {
    @Override
    public String toString() {
      return name + " (" + outcome.name().toLowerCase() + ")";
    }

    public String yaml() {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private HostileCorpus() {}

  /** Every case: the checked-in files and the generated ones, by name. */
  public static List<Case> all() {
    generate();
    try (Stream<Path> files = Files.list(FILES);
        Stream<Path> generated = Files.list(GENERATED)) {
      return Stream.concat(files, generated)
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(HostileCorpus::read)
          .sorted(java.util.Comparator.comparing(Case::name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases the schema lets through, which the operator must answer. */
  public static List<Case> forTheOperator() {
    return all().stream().filter(c -> c.outcome() != Outcome.REJECTED).toList();
  }

  static Case read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var expect = lines.get(0);
    if (!expect.startsWith("# expect: ")) {
      throw new IllegalArgumentException(file + " must start with '# expect: '");
    }
    var words = expect.substring("# expect: ".length()).strip().split(" ", 2);
    var outcome = Outcome.valueOf(words[0].toUpperCase());
    var detail = words.length > 1 ? words[1].strip() : "";
    if (outcome != Outcome.READY && detail.isEmpty()) {
      throw new IllegalArgumentException(file + ": '" + words[0] + "' needs a text or reason");
    }
    var mentions = new ArrayList<String>();
    for (var line : lines) {
      if (line.startsWith("# message: ")) {
        mentions.add(line.substring("# message: ".length()));
      }
    }
    var name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    return new Case(name, file, outcome, detail, List.copyOf(mentions));
  }

  private static final String AGENT =
      """
      apiVersion: atomizer.io/v1alpha1
      kind: AtomizerAgent
      metadata:
        name: %s
      %sspec:
        role: manager
        token:
          secretName: atomizer-discord-tokens
          key: MANAGER_TOKEN
        workspaces:
          claimName: atomizer-workspaces
      %s""";

  /** Writes the generated manifests, each a few lines of code instead of megabytes in git. */
  static void generate() {
    try {
      Files.createDirectories(GENERATED);
      var env = new StringBuilder("  env:\n");
      for (int i = 0; i < 300; i++) {
        env.append("  - name: VAR_").append(i).append("\n    value: \"").append(i).append("\"\n");
      }
      write(
          "generated-env-300-entries",
          "rejected spec.env: Too many",
          "300 environment variables: more than the schema's 256",
          AGENT.formatted("many-env", "", env));
      var env256 = new StringBuilder("  env:\n");
      for (int i = 0; i < 256; i++) {
        env256
            .append("  - name: VAR_")
            .append(i)
            .append("\n    value: \"")
            .append("x".repeat(512))
            .append("\"\n");
      }
      write(
          "generated-env-256-entries",
          "ready",
          "256 environment variables of 512 bytes each: the most the schema allows runs",
          AGENT.formatted("max-env", "", env256));
      write(
          "generated-annotations-300KiB",
          "rejected metadata.annotations: Too long",
          "300 KiB of annotations: the API server caps them at 256 KiB",
          AGENT.formatted(
              "huge-annotations",
              "  annotations:\n    atomizer.io/padding: \"" + "a".repeat(300 * 1024) + "\"\n",
              ""));
      var config = new StringBuilder();
      config.append(
          """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: huge-config
          data:
            openclaw.json: "
          """
              .stripTrailing());
      config.append("x".repeat(2 * 1024 * 1024)).append("\"\n---\n");
      config.append(
          AGENT.formatted("huge-config", "", "  config:\n    configMapName: huge-config\n"));
      write(
          "generated-configmap-2MiB",
          "rejected ConfigMap \"huge-config\" is invalid: []: Too long: may not be more than 1048576 bytes",
          "a 2 MiB openclaw.json: the API server caps a ConfigMap at 1 MiB",
          config.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String name, String expect, String why, String yaml)
      throws IOException {
    Files.writeString(
        GENERATED.resolve(name + ".yaml"), "# expect: " + expect + "\n# why: " + why + "\n" + yaml);
  }
}
