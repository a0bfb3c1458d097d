package io.atomizer.operator.plan;

import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The memory floor of {@link AtomizerAgentSpec#MIN_MEMORY_LIMIT} and {@link
 * AtomizerAgentSpec#MIN_MEMORY_REQUEST}. The CRD's CEL rules reject smaller values at apply time;
 * this answers where they do not run (API servers without CEL's quantity library, the mock server)
 * with InvalidSpec naming the field.
 */
final class MemoryFloor {

  private static final BigDecimal LIMIT_FLOOR =
      Quantity.getAmountInBytes(new Quantity(AtomizerAgentSpec.MIN_MEMORY_LIMIT));
  private static final BigDecimal REQUEST_FLOOR =
      Quantity.getAmountInBytes(new Quantity(AtomizerAgentSpec.MIN_MEMORY_REQUEST));

  private MemoryFloor() {}

  static void check(List<String> problems, ResourceRequirements resources) {
    check(
        problems,
        "spec.resources.limits.memory",
        resources.getLimits(),
        AtomizerAgentSpec.MIN_MEMORY_LIMIT,
        LIMIT_FLOOR,
        "1536Mi",
        "OpenClaw's main process alone idles at 0.6 GB and a whole agent takes about 0.9 GB, so"
            + " a smaller limit kills it before it is ready");
    check(
        problems,
        "spec.resources.requests.memory",
        resources.getRequests(),
        AtomizerAgentSpec.MIN_MEMORY_REQUEST,
        REQUEST_FLOOR,
        "1Gi",
        "a whole agent takes about 0.9 GB, and a smaller request hides it from the scheduler");
  }

  private static void check(
      List<String> problems,
      String field,
      Map<String, Quantity> map,
      String floor,
      BigDecimal floorBytes,
      String example,
      String why) {
    var quantity = map == null ? null : map.get("memory");
    if (quantity == null) {
      return;
    }
    BigDecimal bytes;
    try {
      bytes = Quantity.getAmountInBytes(quantity);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return; // not a quantity: SpecChecks names the field already
    }
    if (bytes.signum() >= 0 && bytes.compareTo(floorBytes) < 0) {
      problems.add(
          field
              + " must be at least "
              + floor
              + " ("
              + why
              + "); use for example "
              + example
              + ".");
    }
  }
}
