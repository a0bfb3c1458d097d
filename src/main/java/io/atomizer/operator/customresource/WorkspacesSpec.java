package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The team's shared workspaces volume ("the shared brain"), mounted into every agent. */
public class WorkspacesSpec {

  public static final String DEFAULT_MOUNT_PATH = "/app/workspaces";

  /** Name of an existing PersistentVolumeClaim, in the agent's namespace, holding workspaces/. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String claimName;

  /** Where the workspaces volume is mounted in the agent container. */
  @Default(DEFAULT_MOUNT_PATH)
  @Size(max = 1024)
  @Pattern(Patterns.ABSOLUTE_PATH)
  private String mountPath = DEFAULT_MOUNT_PATH;

  /**
   * This agent's directory inside the workspaces volume: its SOUL.md, MEMORY.md and INBOX/ live in
   * workspaces/&lt;agentDir&gt;/. A single directory name; defaults to the agent's name.
   */
  @Size(min = 1, max = 253)
  @Pattern(Patterns.PATH_SEGMENT)
  private String agentDir;

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

  public String getAgentDir() {
    return agentDir;
  }

  public void setAgentDir(String agentDir) {
    this.agentDir = agentDir;
  }
}
