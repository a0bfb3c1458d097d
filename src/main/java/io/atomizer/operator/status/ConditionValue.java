package io.atomizer.operator.status;

import io.atomizer.operator.customresource.Conditions;

/**
 * The status, reason and message a condition class (Ready, TokenReady, ...) decides.
 *
 * @param status True, False or Unknown
 * @param reason a CamelCase constant from {@link Conditions}
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
    return unknown(Conditions.INVALID_SPEC, "Not decided while the spec is invalid; see Ready.");
  }

  public boolean holds() {
    return "True".equals(status);
  }

  public boolean fails() {
    return "False".equals(status);
  }
}
