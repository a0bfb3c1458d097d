package io.atomizer.operator.status;

/**
 * The status, reason and message one {@code compute...} rule decides for a condition.
 *
 * @param status True, False or Unknown
 * @param reason a CamelCase constant from {@link io.atomizer.operator.customresource.Conditions}
 * @param message one sentence for people, saying what to do where something is wrong
 */
public record ConditionValue(String status, String reason, String message) {

  public static ConditionValue isTrue(String reason, String message) {
    return new ConditionValue("True", reason, message);
  }

  public static ConditionValue isFalse(String reason, String message) {
    return new ConditionValue("False", reason, message);
  }

  public static ConditionValue unknown(String reason, String message) {
    return new ConditionValue("Unknown", reason, message);
  }

  /**
   * Unknown with reason InvalidSpec: a condition that cannot be decided while the spec is invalid
   * (Ready names the problems).
   */
  public static ConditionValue undecided() {
    return unknown(
        io.atomizer.operator.customresource.Conditions.INVALID_SPEC,
        "Not decided while the spec is invalid; see Ready.");
  }

  public boolean holds() {
    return "True".equals(status);
  }

  public boolean fails() {
    return "False".equals(status);
  }
}
