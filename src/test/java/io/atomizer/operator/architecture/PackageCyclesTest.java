package io.atomizer.operator.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.AtomizerOperator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the operator use each other, directly or through others: the packages form a
 * hierarchy (customresource at the bottom, the main class at the top), so each can be read, tested
 * and moved without the ones above it. Read from the compiled classes of src/main (target/classes),
 * so that every reference counts, not only import lines.
 */
class PackageCyclesTest {

  @Test
  void theOperatorsPackagesHaveNoCycle() throws Exception {
    var classes =
        Path.of(AtomizerOperator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    var graph = PackageGraph.of(classes);

    assertTrue(
        graph.packages().contains("io.atomizer.operator.reconciler"),
        "read the operator's classes from " + classes);
    assertEquals(List.of(), graph.cycles(), String.join("\n", graph.cycles()));
  }

  @Test
  void aCycleIsFoundAndNamesTheClassesThatTieIt() {
    var graph = new PackageGraph();
    graph.add("io/atomizer/operator/a/A", "io/atomizer/operator/b/B");
    graph.add("io/atomizer/operator/b/B", "io/atomizer/operator/c/C");
    graph.add("io/atomizer/operator/c/C$Inner", "io/atomizer/operator/a/A2");
    graph.add("io/atomizer/operator/c/C", "io/atomizer/operator/d/D");

    assertEquals(
        List.of(
            "cycle between [io.atomizer.operator.a, io.atomizer.operator.b, io.atomizer.operator.c]:"
                + "\n  io.atomizer.operator.a -> io.atomizer.operator.b: [A -> B]"
                + "\n  io.atomizer.operator.b -> io.atomizer.operator.c: [B -> C]"
                + "\n  io.atomizer.operator.c -> io.atomizer.operator.a: [C$Inner -> A2]"),
        graph.cycles());
  }

  @Test
  void aHierarchyHasNoCycle() {
    var graph = new PackageGraph();
    graph.add("io/atomizer/operator/a/A", "io/atomizer/operator/b/B");
    graph.add("io/atomizer/operator/a/A", "io/atomizer/operator/c/C");
    graph.add("io/atomizer/operator/b/B", "io/atomizer/operator/c/C");

    assertEquals(List.of(), graph.cycles());
  }
}
