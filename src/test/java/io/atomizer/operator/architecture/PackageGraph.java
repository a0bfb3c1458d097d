package io.atomizer.operator.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of the operator uses which, read from compiled classes: every class a class file
 * names in its constant pool (superclasses, fields, calls, signatures, annotations), so that a
 * dependency through a fully qualified name or a method reference counts as much as an import.
 */
final class PackageGraph {

  private static final Pattern NAME = Pattern.compile("io/atomizer/operator/[A-Za-z0-9_/$]+");

  /** package -> package -> the class pairs that tie them, "from.Class -> to.Class". */
  private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

  void add(String fromClass, String toClass) {
    var from = packageOf(fromClass);
    var to = packageOf(toClass);
    if (!from.equals(to)) {
      edges
          .computeIfAbsent(from, k -> new TreeMap<>())
          .computeIfAbsent(to, k -> new TreeSet<>())
          .add(simple(fromClass) + " -> " + simple(toClass));
    }
    edges.computeIfAbsent(to, k -> new TreeMap<>());
  }

  /** The graph of every class file under {@code root}. */
  static PackageGraph of(Path root) throws IOException {
    var graph = new PackageGraph();
    try (Stream<Path> files = Files.walk(root)) {
      for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        var name = root.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
        try (var in = Files.newInputStream(file)) {
          for (var used : referencedClasses(in)) {
            graph.add(name, used);
          }
        }
      }
    }
    return graph;
  }

  /** The operator's classes a class file names in its constant pool. */
  static Set<String> referencedClasses(InputStream classFile) throws IOException {
    var in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    var names = new TreeSet<String>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> {
          var m = NAME.matcher(in.readUTF());
          while (m.find()) {
            names.add(m.group());
          }
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // a long or double takes two entries
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return names;
  }

  /**
   * Every cycle between packages, as its strongly connected component: the packages and, for each
   * edge inside it, the classes that tie them. Empty when the packages form a hierarchy.
   */
  List<String> cycles() {
    var found = new ArrayList<String>();
    for (var component : stronglyConnected()) {
      if (component.size() < 2) {
        continue;
      }
      var text = new StringBuilder("cycle between " + component + ":");
      for (var from : component) {
        edges
            .get(from)
            .forEach(
                (to, ties) -> {
                  if (component.contains(to)) {
                    text.append("\n  ")
                        .append(from)
                        .append(" -> ")
                        .append(to)
                        .append(": ")
                        .append(ties);
                  }
                });
      }
      found.add(text.toString());
    }
    return found;
  }

  Set<String> packages() {
    return edges.keySet();
  }

  /** Tarjan's algorithm, iterative enough for a few dozen packages. */
  private List<Set<String>> stronglyConnected() {
    var index = new HashMap<String, Integer>();
    var low = new HashMap<String, Integer>();
    var stack = new ArrayDeque<String>();
    var result = new ArrayList<Set<String>>();
    for (var node : edges.keySet()) {
      if (!index.containsKey(node)) {
        visit(node, index, low, stack, result);
      }
    }
    return result;
  }

  private void visit(
      String node,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      List<Set<String>> result) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (var next : edges.get(node).keySet()) {
      if (!index.containsKey(next)) {
        visit(next, index, low, stack, result);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      var component = new TreeSet<String>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      result.add(component);
    }
  }

  private static String packageOf(String className) {
    var slash = className.lastIndexOf('/');
    return className.substring(0, slash).replace('/', '.');
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('/') + 1);
  }
}
