package io.atomizer.operator.status;

/**
 * The status, reason and message one {@code compute...} rule decides for a condition.
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

  /** A message from elsewhere (kubelet, scheduler, API server) on one line, at most 300 chars. */
  public static String brief(String message) {
    if (message == null || message.isBlank()) {
      return "no details";
    }
    var oneLine = message.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
  }

  public boolean holds() {
    return "True".equals(status);
  }

  public boolean fails() {
    return "False".equals(status);
  }
}
