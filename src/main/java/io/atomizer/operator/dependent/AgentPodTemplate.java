package io.atomizer.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentSpec;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.customresource.ProbeSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the agent's pod from its spec: one container, one token, the three volumes. */
public final class AgentPodTemplate {

  public static final String CONTAINER = "agent";
  public static final String INIT_CONTAINER = "prepare-workspace";
  public static final long OPENCLAW_UID = 1000L;
  public static final ProbeSpec LIVENESS = new ProbeSpec("/healthz", 0, 30, 5, 3);
  public static final ProbeSpec READINESS = new ProbeSpec("/readyz", 0, 10, 5, 3);
  public static final ProbeSpec STARTUP = new ProbeSpec("/startupz", 0, 10, 5, 30);

  /**
   * From the measured footprint of OpenClaw 2026.9.6: 0.87-0.92 GB RSS per idle agent (the gateway
   * plus its spawn-broker and sqlite workers), peak 0.86 GB for the main process alone.
   */
  public static final ResourceRequirements DEFAULT_RESOURCES =
      new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity("100m"))
          .addToRequests("memory", new Quantity("1Gi"))
          .addToLimits("memory", new Quantity("1536Mi"))
          .build();

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private AgentPodTemplate() {}

  /** The desired pod for {@code agent} carrying the token with {@code fingerprint}. */
  public static Pod build(AtomizerAgent agent, String fingerprint) {
    var spec = agent.getSpec();
    var meta = agent.getMetadata();
    var overrides = Optional.ofNullable(spec.getPod());
    var labels = new LinkedHashMap<String, String>();
    overrides.map(o -> o.getLabels()).ifPresent(labels::putAll);
    labels.putAll(Labels.of(agent, "agent"));
    var annotations = new LinkedHashMap<String, String>();
    overrides.map(o -> o.getAnnotations()).ifPresent(annotations::putAll);
    annotations.put(Labels.TOKEN_FINGERPRINT, fingerprint);

    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Always")
            .withTerminationGracePeriodSeconds(OpenClawLayout.TERMINATION_GRACE_SECONDS)
            .withEnableServiceLinks(false)
            .withAutomountServiceAccountToken(
                overrides.map(o -> o.getAutomountServiceAccountToken()).orElse(false))
            .withServiceAccountName(overrides.map(o -> o.getServiceAccountName()).orElse(null))
            .withSecurityContext(
                overrides.map(o -> o.getSecurityContext()).orElseGet(AgentPodTemplate::podSecurity))
            .withNodeSelector(overrides.map(o -> o.getNodeSelector()).orElse(null))
            .withTolerations(overrides.map(o -> o.getTolerations()).orElse(null))
            .withAffinity(overrides.map(o -> o.getAffinity()).orElse(null))
            .withImagePullSecrets(overrides.map(o -> o.getImagePullSecrets()).orElse(null))
            .withPriorityClassName(overrides.map(o -> o.getPriorityClassName()).orElse(null))
            .withInitContainers(prepareWorkspace(agent))
            .withContainers(agentContainer(agent))
            .withVolumes(AgentVolumes.volumes(agent))
            .endSpec()
            .build();
    pod.getMetadata().getAnnotations().put(Labels.SPEC_HASH, hash(pod));
    return pod;
  }

  private static Container agentContainer(AtomizerAgent agent) {
    var spec = agent.getSpec();
    var gateway = spec.getGateway();
    var port = gateway.getPort();
    var resources = Optional.ofNullable(spec.getResources()).orElse(DEFAULT_RESOURCES);
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(spec.getImage())
        .withImagePullPolicy(spec.getImagePullPolicy().name())
        .withCommand(gateway.getCommand())
        .withArgs(
            Optional.ofNullable(gateway.getArgs())
                .orElse(
                    List.of(
                        "node",
                        "/app/openclaw.mjs",
                        "gateway",
                        "--bind",
                        "lan",
                        "--port",
                        String.valueOf(port))))
        .addNewPort()
        .withName("gateway")
        .withContainerPort(port)
        .endPort()
        .withEnv(env(agent, resources))
        .withEnvFrom(spec.getEnvFrom())
        .withResources(resources)
        .withVolumeMounts(AgentVolumes.mounts(agent))
        .withLivenessProbe(probe(gateway.getLiveness(), LIVENESS, port))
        .withReadinessProbe(probe(gateway.getReadiness(), READINESS, port))
        .withStartupProbe(probe(gateway.getStartup(), STARTUP, port))
        .withSecurityContext(containerSecurity(spec))
        .build();
  }

  /**
   * Creates workspaces/&lt;agentDir&gt;/INBOX, shared_context and OpenClaw's cache folder, and
   * without spec.config writes the default config unless the state already holds one. It changes no
   * existing file.
   */
  private static Container prepareWorkspace(AtomizerAgent agent) {
    var spec = agent.getSpec();
    return new ContainerBuilder()
        .withName(INIT_CONTAINER)
        .withImage(spec.getImage())
        .withImagePullPolicy(spec.getImagePullPolicy().name())
        .withCommand(OpenClawLayout.prepareCommand(agent))
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("64Mi"))
                .addToLimits("memory", new Quantity("128Mi"))
                .build())
        .withVolumeMounts(AgentVolumes.stateMount(agent), AgentVolumes.workspacesMount(agent))
        .withSecurityContext(containerSecurity(spec))
        .build();
  }

  private static List<EnvVar> env(AtomizerAgent agent, ResourceRequirements resources) {
    var spec = agent.getSpec();
    var token = spec.getToken();
    var env = new ArrayList<EnvVar>();
    env.add(
        new EnvVarBuilder()
            .withName(token.getEnvName())
            .withNewValueFrom()
            .withNewSecretKeyRef(token.getKey(), token.getSecretName(), false)
            .endValueFrom()
            .build());
    env.add(new EnvVar("OPENCLAW_STATE_DIR", spec.getState().getMountPath(), null));
    env.add(new EnvVar("OPENCLAW_CONFIG_PATH", OpenClawLayout.configPath(agent), null));
    env.add(new EnvVar("OPENCLAW_WORKSPACE_DIR", OpenClawLayout.workspaceDir(agent), null));
    env.add(new EnvVar("XDG_CACHE_HOME", OpenClawLayout.cacheDir(agent), null));
    // Not read by OpenClaw: for the agent's prompts and skills, which name their own inbox.
    env.add(new EnvVar("ATOMIZER_AGENT_ID", AgentDir.of(agent), null));
    env.add(new EnvVar("ATOMIZER_INBOX", OpenClawLayout.workspaceDir(agent) + "/INBOX", null));
    var userEnv = Optional.ofNullable(spec.getEnv()).orElse(List.of());
    boolean userSetsNodeOptions =
        userEnv.stream().anyMatch(e -> "NODE_OPTIONS".equals(e.getName()));
    heapLimitMiB(resources)
        .filter(mib -> !userSetsNodeOptions)
        .ifPresent(mib -> env.add(new EnvVar("NODE_OPTIONS", "--max-old-space-size=" + mib, null)));
    env.addAll(userEnv);
    return env;
  }

  /** 75% of the container's memory limit in MiB, the heap Node may use without being OOM-killed. */
  static Optional<Long> heapLimitMiB(ResourceRequirements resources) {
    return Optional.ofNullable(resources.getLimits())
        .map(l -> l.get("memory"))
        .map(Quantity::getAmountInBytes)
        .map(bytes -> bytes.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4L << 20)))
        .map(BigDecimal::longValue)
        .filter(mib -> mib > 0);
  }

  private static Probe probe(ProbeSpec override, ProbeSpec defaults, int port) {
    var p = override == null ? defaults : override.withDefaults(defaults);
    if (Boolean.FALSE.equals(p.getEnabled())) {
      return null;
    }
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(p.getPath())
        .withNewPort(port)
        .endHttpGet()
        .withInitialDelaySeconds(p.getInitialDelaySeconds())
        .withPeriodSeconds(p.getPeriodSeconds())
        .withTimeoutSeconds(p.getTimeoutSeconds())
        .withFailureThreshold(p.getFailureThreshold())
        .build();
  }

  private static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(OPENCLAW_UID)
        .withRunAsGroup(OPENCLAW_UID)
        .withFsGroup(OPENCLAW_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static SecurityContext containerSecurity(AtomizerAgentSpec spec) {
    var custom = spec.getPod() == null ? null : spec.getPod().getContainerSecurityContext();
    if (custom != null) {
      return custom;
    }
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** A stable hash of the pod as built, independent of map order in the user's manifest. */
  static String hash(Pod pod) {
    try {
      var json =
          CANONICAL.writeValueAsBytes(Map.of("metadata", pod.getMetadata(), "spec", pod.getSpec()));
      var digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the pod of " + pod.getMetadata().getName(), e);
    }
  }
}
