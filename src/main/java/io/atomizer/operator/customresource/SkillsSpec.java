package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An optional volume of skills shared by the agents. */
public class SkillsSpec {

  public static final String DEFAULT_MOUNT_PATH = "/app/skills";

  /** Name of an existing PersistentVolumeClaim, in the agent's namespace, holding the skills. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String claimName;

  /** Where the skills volume is mounted in the agent container. */
  @Default(DEFAULT_MOUNT_PATH)
  @Size(max = 1024)
  @Pattern(Patterns.ABSOLUTE_PATH)
  private String mountPath = DEFAULT_MOUNT_PATH;

  /** Mount the skills read-only, so that one agent cannot change another's tools. */
  @Default("true")
  private Boolean readOnly = Boolean.TRUE;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }
}
