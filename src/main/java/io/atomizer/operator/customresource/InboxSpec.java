package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** When the agent's INBOX counts as backlogged. */
public class InboxSpec {

  public static final int DEFAULT_MAX_PENDING = 20;
  public static final String DEFAULT_MAX_AGE = "30m";

  /** InboxHealthy turns False (Backlogged) when more task files than this are waiting. */
  @Default("20")
  @Min(0)
  @Max(1000000)
  private Integer maxPending = DEFAULT_MAX_PENDING;

  /**
   * InboxHealthy turns False (Backlogged) when the oldest waiting task is older than this, for
   * example 30m or 1h30m.
   */
  @Default(DEFAULT_MAX_AGE)
  @Size(min = 2, max = 32)
  @Pattern(Patterns.DURATION)
  private String maxAge = DEFAULT_MAX_AGE;

  public Integer getMaxPending() {
    return maxPending;
  }

  public void setMaxPending(Integer maxPending) {
    this.maxPending = maxPending;
  }

  public String getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(String maxAge) {
    this.maxAge = maxAge;
  }
}
