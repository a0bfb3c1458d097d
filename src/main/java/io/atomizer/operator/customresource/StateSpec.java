package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The agent's private state (SQLite, logs, installed plugins): a PersistentVolumeClaim named
 * &lt;agent&gt;-state that survives restarts, upgrades and re-creation of the agent.
 */
@ValidationRule(
    value =
        "has(self.storageClassName) == has(oldSelf.storageClassName) &&"
            + " (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message =
        "state.storageClassName cannot change once the state claim exists; copy the data to a new"
            + " agent instead")
public class StateSpec {

  public static final String DEFAULT_SIZE = "1Gi";
  public static final String DEFAULT_MOUNT_PATH = "/home/node/.openclaw";

  /** Requested size of the state claim, for example 1Gi. Used when the claim is created. */
  @Default(DEFAULT_SIZE)
  @Size(max = 64)
  @Pattern(Patterns.QUANTITY)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "state.size must be a positive quantity such as 1Gi")
  @ValidationRule(
      value = "!isQuantity(self) || quantity(self).compareTo(quantity('64Ti')) <= 0",
      message = "state.size must be at most 64Ti")
  private String size = DEFAULT_SIZE;

  /** StorageClass of the state claim; the cluster's default class when unset. */
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String storageClassName;

  /**
   * Where the state volume is mounted; OPENCLAW_STATE_DIR points here. OpenClaw's own default is
   * ~/.openclaw of its user (UID 1000, home /home/node); the team's compose file used
   * /root/.openclaw.
   */
  @Default(DEFAULT_MOUNT_PATH)
  @Size(max = 1024)
  @Pattern(Patterns.ABSOLUTE_PATH)
  private String mountPath = DEFAULT_MOUNT_PATH;

  /**
   * Keep the state claim when the agent is deleted (the default). Only with false does the claim go
   * away together with the agent; re-creating an agent of the same name re-attaches a kept claim.
   */
  @Default("true")
  private Boolean retainOnDelete = Boolean.TRUE;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public Boolean getRetainOnDelete() {
    return retainOnDelete;
  }

  public void setRetainOnDelete(Boolean retainOnDelete) {
    this.retainOnDelete = retainOnDelete;
  }

  /** Whether the claim outlives the agent; anything but an explicit false keeps it. */
  public boolean retained() {
    return !Boolean.FALSE.equals(retainOnDelete);
  }
}
