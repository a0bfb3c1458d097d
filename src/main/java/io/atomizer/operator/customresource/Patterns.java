package io.atomizer.operator.customresource;

/** Regular expressions shared by the schema annotations and the operator's own checks. */
public final class Patterns {

  /** A DNS-1123 subdomain, the form of most Kubernetes object names. */
  public static final String DNS1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric. */
  public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /**
   * An absolute path whose segments are neither empty, {@code .} nor {@code ..}. Hidden segments
   * such as {@code .openclaw} are allowed.
   */
  public static final String ABSOLUTE_PATH = "^(/\\.?\\.?[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)+$";

  /** One directory name: no separators, not {@code .} or {@code ..}, no leading dot. */
  public static final String PATH_SEGMENT = "^[A-Za-z0-9_][A-Za-z0-9._-]*$";

  /**
   * A key of a Secret or ConfigMap: letters, digits, '-', '_' and '.', but not '.', '..' or a name
   * starting with '..', which Kubernetes refuses too (a config key is joined to a path).
   */
  public static final String DATA_KEY = "^\\.?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";

  /** An HTTP path of a probe: absolute, without '.' or '..' segments. */
  public static final String PROBE_PATH = "^(/(\\.{0,2}[A-Za-z0-9_~-][A-Za-z0-9._~-]*)?)+$";

  /**
   * A Kubernetes resource quantity, as the API server parses it in a pod: a signed decimal with an
   * optional binary or decimal suffix or exponent (never both, so not 1e100Gi).
   */
  public static final String SIGNED_QUANTITY =
      "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$";

  /** A POSIX-style environment variable name. */
  public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

  /** A resource quantity such as {@code 512Mi}, {@code 2Gi} or {@code 500m}. */
  public static final String QUANTITY =
      "^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$";

  /** A duration such as {@code 90s}, {@code 30m} or {@code 1h30m}. */
  public static final String DURATION = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

  /** Text without control characters. */
  public static final String NO_CONTROL_CHARACTERS = "^[^\\p{Cc}]*$";

  private Patterns() {}
}
