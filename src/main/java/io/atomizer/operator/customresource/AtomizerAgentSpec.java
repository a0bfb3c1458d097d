package io.atomizer.operator.customresource;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The desired state of one agent. */
@ValidationRule(
    value = "!has(self.env) || !self.env.exists(e, e.name == self.token.envName)",
    message =
        "spec.env must not set the token variable named in spec.token.envName: the token comes only"
            + " from the Secret in spec.token")
@ValidationRule(
    value =
        "!has(self.envFrom) || !self.envFrom.exists(e, has(e.secretRef) && has(e.secretRef.name)"
            + " && e.secretRef.name == self.token.secretName)",
    message =
        "spec.envFrom must not import the token Secret named in spec.token.secretName: every"
            + " agent's token would be in this pod; read single keys with spec.env instead")
@ValidationRule(
    value = "self.state.mountPath != self.workspaces.mountPath",
    message = "spec.state.mountPath and spec.workspaces.mountPath must differ")
@ValidationRule(
    value =
        "!has(self.skills) || !(self.skills.mountPath in [self.workspaces.mountPath,"
            + " self.state.mountPath])",
    message = "spec.skills.mountPath must differ from the workspaces and state mount paths")
@ValidationRule(
    value =
        "!has(self.config) || !(self.config.mountPath in [self.workspaces.mountPath,"
            + " self.state.mountPath] || (has(self.skills) && self.config.mountPath =="
            + " self.skills.mountPath))",
    message = "spec.config.mountPath must differ from the other mount paths")
@ValidationRule(
    value =
        "!has(self.resources) || !has(self.resources.limits) || !('memory' in"
            + " self.resources.limits) || !isQuantity(string(self.resources.limits['memory'])) ||"
            + " quantity(string(self.resources.limits['memory'])).compareTo(quantity('"
            + AtomizerAgentSpec.MIN_MEMORY_LIMIT
            + "')) >= 0",
    message =
        "spec.resources.limits.memory must be at least "
            + AtomizerAgentSpec.MIN_MEMORY_LIMIT
            + ": OpenClaw's main process alone idles at 0.6 GB, a whole agent takes about 0.9 GB")
@ValidationRule(
    value =
        "!has(self.resources) || !has(self.resources.requests) || !('memory' in"
            + " self.resources.requests) || !isQuantity(string(self.resources.requests['memory'])) ||"
            + " quantity(string(self.resources.requests['memory'])).compareTo(quantity('"
            + AtomizerAgentSpec.MIN_MEMORY_REQUEST
            + "')) >= 0",
    message =
        "spec.resources.requests.memory must be at least "
            + AtomizerAgentSpec.MIN_MEMORY_REQUEST
            + ": a whole agent takes about 0.9 GB; a smaller request hides it from the scheduler")
public class AtomizerAgentSpec {

  /**
   * The smallest memory limit accepted. The real OpenClaw's main process idles at 0.60–0.75 GB RSS
   * (about 572 MiB at least) and a whole agent with its two workers takes 0.87–0.92 GB, so under
   * 512Mi the agent is OOM-killed before it is ready, whatever it does. Kept at 512Mi, below the
   * footprint, so that the floor only catches what cannot run (1Mi, 100m, 512Ki); a limit between
   * the floor and the footprint is answered by OOMKilled.
   */
  public static final String MIN_MEMORY_LIMIT = "512Mi";

  /**
   * The smallest memory request accepted: requests only reserve memory for scheduling, and teams
   * that pack eight agents on one small node under-state them on purpose, but under 256Mi (less
   * than half the main process's idle footprint) a request reserves nothing an agent could use and
   * is a typo (100m, 1Mi).
   */
  public static final String MIN_MEMORY_REQUEST = "256Mi";

  public static final String DEFAULT_IMAGE = "ghcr.io/openclaw/openclaw:2026.9.6";

  /** The agent's role in the team, for example manager, tech-lead or auditor. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Patterns.DNS1123_LABEL)
  private String role;

  /** Human-readable name, for example "Atomizer Tech Lead". */
  @Size(max = 128)
  @Pattern(Patterns.NO_CONTROL_CHARACTERS)
  private String displayName;

  /** The OpenClaw container image. Pin a version tag rather than latest. */
  @Default(DEFAULT_IMAGE)
  @Size(min = 1, max = 512)
  @Pattern("^[^\\s]+$")
  private String image = DEFAULT_IMAGE;

  /** When the kubelet pulls the image. */
  @Default("IfNotPresent")
  private PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

  /** The Secret key that holds this agent's Discord bot token. */
  @Required private TokenSpec token;

  /** The shared workspaces volume. */
  @Required private WorkspacesSpec workspaces;

  /** An optional shared skills volume. */
  private SkillsSpec skills;

  /** The agent's private state volume. */
  @Default("{}")
  private StateSpec state = new StateSpec();

  /** An optional ConfigMap with the agent's openclaw.json. */
  private ConfigSpec config;

  /** The gateway's port, command and probes. */
  @Default("{}")
  private GatewaySpec gateway = new GatewaySpec();

  /**
   * Compute resources of the agent container. Default: requests 100m CPU and 512Mi memory, limit
   * 2Gi memory. Memory must be at least 256Mi in requests and 512Mi in limits.
   * NODE_OPTIONS=--max-old-space-size is set to 75% of the memory limit, so Node stays inside its
   * cgroup instead of being OOM-killed, unless env sets NODE_OPTIONS itself.
   */
  @JsonDeserialize(using = LenientQuantities.Resources.class)
  private ResourceRequirements resources;

  /** Extra environment variables of the agent container. */
  @Size(max = 256)
  @JsonDeserialize(using = LenientQuantities.Env.class)
  private List<EnvVar> env;

  /**
   * Extra environment sources of the agent container. Do not import the token through here: the
   * operator could not keep one token in one pod.
   */
  @Size(max = 32)
  private List<EnvFromSource> envFrom;

  /** Stop the agent's pod and keep everything else. Resuming starts it on the same state. */
  @Default("false")
  private Boolean suspend = Boolean.FALSE;

  /** When the agent's INBOX counts as backlogged. */
  @Default("{}")
  private InboxSpec inbox = new InboxSpec();

  /** Pod-level settings: scheduling, security, service account. */
  private PodOverrides pod;

  /** Image pull policies. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public TokenSpec getToken() {
    return token;
  }

  public void setToken(TokenSpec token) {
    this.token = token;
  }

  public WorkspacesSpec getWorkspaces() {
    return workspaces;
  }

  public void setWorkspaces(WorkspacesSpec workspaces) {
    this.workspaces = workspaces;
  }

  public SkillsSpec getSkills() {
    return skills;
  }

  public void setSkills(SkillsSpec skills) {
    this.skills = skills;
  }

  public StateSpec getState() {
    return state;
  }

  public void setState(StateSpec state) {
    this.state = state;
  }

  public ConfigSpec getConfig() {
    return config;
  }

  public void setConfig(ConfigSpec config) {
    this.config = config;
  }

  public GatewaySpec getGateway() {
    return gateway;
  }

  public void setGateway(GatewaySpec gateway) {
    this.gateway = gateway;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public InboxSpec getInbox() {
    return inbox;
  }

  public void setInbox(InboxSpec inbox) {
    this.inbox = inbox;
  }

  public PodOverrides getPod() {
    return pod;
  }

  public void setPod(PodOverrides pod) {
    this.pod = pod;
  }
}
