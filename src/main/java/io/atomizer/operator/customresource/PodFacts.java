package io.atomizer.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** What the operator last saw of the agent's pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodFacts {

  /** Name of the pod. */
  private String name;

  /** Restarts of the agent container in the current pod. */
  private Integer restartCount;

  /** Why the agent container last terminated, for example OOMKilled or Error. */
  private String lastTerminationReason;

  /** When the agent container last terminated (RFC 3339). */
  private String lastTerminationTime;

  /** Exit code of the last termination. */
  private Integer lastExitCode;

  public PodFacts() {}

  public PodFacts(
      String name,
      Integer restartCount,
      String lastTerminationReason,
      String lastTerminationTime,
      Integer lastExitCode) {
    this.name = name;
    this.restartCount = restartCount;
    this.lastTerminationReason = lastTerminationReason;
    this.lastTerminationTime = lastTerminationTime;
    this.lastExitCode = lastExitCode;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getRestartCount() {
    return restartCount;
  }

  public void setRestartCount(Integer restartCount) {
    this.restartCount = restartCount;
  }

  public String getLastTerminationReason() {
    return lastTerminationReason;
  }

  public void setLastTerminationReason(String lastTerminationReason) {
    this.lastTerminationReason = lastTerminationReason;
  }

  public String getLastTerminationTime() {
    return lastTerminationTime;
  }

  public void setLastTerminationTime(String lastTerminationTime) {
    this.lastTerminationTime = lastTerminationTime;
  }

  public Integer getLastExitCode() {
    return lastExitCode;
  }

  public void setLastExitCode(Integer lastExitCode) {
    this.lastExitCode = lastExitCode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodFacts p
        && Objects.equals(name, p.name)
        && Objects.equals(restartCount, p.restartCount)
        && Objects.equals(lastTerminationReason, p.lastTerminationReason)
        && Objects.equals(lastTerminationTime, p.lastTerminationTime)
        && Objects.equals(lastExitCode, p.lastExitCode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, restartCount, lastTerminationReason, lastTerminationTime, lastExitCode);
  }
}
