package io.atomizer.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** The agent's INBOX on the shared workspaces volume, as of the last scan that changed it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InboxStatus {

  /** Task files waiting: *.json files directly in INBOX/. */
  private Integer pending;

  /**
   * Age in seconds of the oldest waiting task at lastScanTime, from its modification time. Derive
   * the current age as now - oldestPendingTime.
   */
  private Long oldestPendingSeconds;

  /** Modification time of the oldest waiting task (RFC 3339). */
  private String oldestPendingTime;

  /** Files that are unreadable, not JSON, or still being written. */
  private Integer invalid;

  /** When the scan that produced these figures ran (RFC 3339). */
  private String lastScanTime;

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Long getOldestPendingSeconds() {
    return oldestPendingSeconds;
  }

  public void setOldestPendingSeconds(Long oldestPendingSeconds) {
    this.oldestPendingSeconds = oldestPendingSeconds;
  }

  public String getOldestPendingTime() {
    return oldestPendingTime;
  }

  public void setOldestPendingTime(String oldestPendingTime) {
    this.oldestPendingTime = oldestPendingTime;
  }

  public Integer getInvalid() {
    return invalid;
  }

  public void setInvalid(Integer invalid) {
    this.invalid = invalid;
  }

  public String getLastScanTime() {
    return lastScanTime;
  }

  public void setLastScanTime(String lastScanTime) {
    this.lastScanTime = lastScanTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboxStatus i
        && Objects.equals(pending, i.pending)
        && Objects.equals(oldestPendingSeconds, i.oldestPendingSeconds)
        && Objects.equals(oldestPendingTime, i.oldestPendingTime)
        && Objects.equals(invalid, i.invalid)
        && Objects.equals(lastScanTime, i.lastScanTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pending, oldestPendingSeconds, oldestPendingTime, invalid, lastScanTime);
  }
}
