package io.atomizer.operator.customresource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.atomizer.operator.reconciler.EventReason;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every condition type and reason the code can set, and every event reason, is documented where
 * users read it: the README, and the CRD (from the status Javadoc), so that kubectl explain shows
 * it.
 */
class ConditionsDocumentedTest {

  @Test
  void readmeAndCrdNameEveryConditionTypeAndReason() throws Exception {
    var readme = Files.readString(Path.of("README.md"));
    var crd = Files.readString(Path.of("crds/atomizeragents.atomizer.io-v1.yml"));

    var values = constants();

    assertEquals(List.of(), values.stream().filter(v -> !readme.contains("`" + v + "`")).toList());
    assertEquals(List.of(), values.stream().filter(v -> !crd.contains(v)).toList());
  }

  @Test
  void readmeNamesEveryEventReason() throws Exception {
    var readme = Files.readString(Path.of("README.md"));

    assertEquals(
        List.of(),
        Arrays.stream(EventReason.values())
            .map(EventReason::reason)
            .filter(r -> !readme.contains("`" + r + "`"))
            .toList());
  }

  private static List<String> constants() {
    return Arrays.stream(Conditions.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(
            f -> {
              try {
                return (String) f.get(null);
              } catch (IllegalAccessException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }
}
