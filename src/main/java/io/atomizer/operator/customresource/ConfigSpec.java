package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An optional ConfigMap holding the agent's openclaw.json. It is mounted read-only and exposed to
 * the container as OPENCLAW_CONFIG_PATH and AGENT_CONFIG_PATH.
 */
public class ConfigSpec {

  public static final String DEFAULT_KEY = "openclaw.json";
  public static final String DEFAULT_MOUNT_PATH = "/etc/openclaw";

  /** Name of the ConfigMap in the agent's namespace. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String configMapName;

  /** Key of the ConfigMap that holds the configuration file. */
  @Default(DEFAULT_KEY)
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DATA_KEY)
  private String key = DEFAULT_KEY;

  /** Directory the ConfigMap is mounted at; the file is &lt;mountPath&gt;/&lt;key&gt;. */
  @Default(DEFAULT_MOUNT_PATH)
  @Size(max = 1024)
  @Pattern(Patterns.ABSOLUTE_PATH)
  private String mountPath = DEFAULT_MOUNT_PATH;

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }
}
