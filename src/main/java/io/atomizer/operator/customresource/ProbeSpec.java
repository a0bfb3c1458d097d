package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * One HTTP probe against the OpenClaw gateway. Unset fields take the defaults of the probe kind
 * (see the probes field); enabled=false removes the probe.
 */
public class ProbeSpec {

  /** Set to false to run the container without this probe. */
  private Boolean enabled;

  /** HTTP path on the gateway port, for example /readyz. */
  @Size(min = 1, max = 256)
  @Pattern(Patterns.PROBE_PATH)
  private String path;

  /** Seconds after the container starts before the first probe. */
  @Min(0)
  @Max(3600)
  private Integer initialDelaySeconds;

  /** Seconds between probes. */
  @Min(1)
  @Max(3600)
  private Integer periodSeconds;

  /** Seconds after which one probe counts as failed. */
  @Min(1)
  @Max(600)
  private Integer timeoutSeconds;

  /** Consecutive failures before the probe gives up. */
  @Min(1)
  @Max(1000)
  private Integer failureThreshold;

  public ProbeSpec() {}

  public ProbeSpec(
      String path, int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int failures) {
    this.enabled = Boolean.TRUE;
    this.path = path;
    this.initialDelaySeconds = initialDelaySeconds;
    this.periodSeconds = periodSeconds;
    this.timeoutSeconds = timeoutSeconds;
    this.failureThreshold = failures;
  }

  /** This probe with every unset field taken from {@code defaults}. */
  public ProbeSpec withDefaults(ProbeSpec defaults) {
    var merged = new ProbeSpec();
    merged.enabled = enabled != null ? enabled : defaults.enabled;
    merged.path = path != null ? path : defaults.path;
    merged.initialDelaySeconds =
        initialDelaySeconds != null ? initialDelaySeconds : defaults.initialDelaySeconds;
    merged.periodSeconds = periodSeconds != null ? periodSeconds : defaults.periodSeconds;
    merged.timeoutSeconds = timeoutSeconds != null ? timeoutSeconds : defaults.timeoutSeconds;
    merged.failureThreshold =
        failureThreshold != null ? failureThreshold : defaults.failureThreshold;
    return merged;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Integer getInitialDelaySeconds() {
    return initialDelaySeconds;
  }

  public void setInitialDelaySeconds(Integer initialDelaySeconds) {
    this.initialDelaySeconds = initialDelaySeconds;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }
}
