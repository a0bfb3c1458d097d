package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Pod-level settings passed through to the agent's pod. */
public class PodOverrides {

  /** Node labels the pod must run on. */
  @Size(max = 64)
  private Map<String, String> nodeSelector;

  /** Tolerations of the pod. */
  @Size(max = 64)
  private List<Toleration> tolerations;

  /** Scheduling affinity of the pod. */
  private Affinity affinity;

  /**
   * Pod security context. Replaces the default: runAsNonRoot with UID/GID 1000 (OpenClaw's node
   * user), fsGroup 1000 and the RuntimeDefault seccomp profile.
   */
  private PodSecurityContext securityContext;

  /**
   * Security context of the agent container. Replaces the default: no privilege escalation, all
   * capabilities dropped, read-only root filesystem.
   */
  private SecurityContext containerSecurityContext;

  /** Secrets used to pull the image. */
  @Size(max = 16)
  private List<LocalObjectReference> imagePullSecrets;

  /** ServiceAccount the pod runs as; the namespace's default account when unset. */
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS1123_SUBDOMAIN)
  private String serviceAccountName;

  /** Mount a ServiceAccount token into the pod. Off by default: agents do not call the API. */
  private Boolean automountServiceAccountToken;

  /** PriorityClass of the pod. */
  @Size(min = 1, max = 253)
  private String priorityClassName;

  /** Extra labels for the pod. The operator's own labels win over these. */
  @Size(max = 64)
  private Map<String, String> labels;

  /** Extra annotations for the pod. The operator's own annotations win over these. */
  @Size(max = 64)
  private Map<String, String> annotations;

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public PodSecurityContext getSecurityContext() {
    return securityContext;
  }

  public void setSecurityContext(PodSecurityContext securityContext) {
    this.securityContext = securityContext;
  }

  public SecurityContext getContainerSecurityContext() {
    return containerSecurityContext;
  }

  public void setContainerSecurityContext(SecurityContext containerSecurityContext) {
    this.containerSecurityContext = containerSecurityContext;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public Boolean getAutomountServiceAccountToken() {
    return automountServiceAccountToken;
  }

  public void setAutomountServiceAccountToken(Boolean automountServiceAccountToken) {
    this.automountServiceAccountToken = automountServiceAccountToken;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
