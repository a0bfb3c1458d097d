package io.atomizer.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The observed state of one agent, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AtomizerAgentStatus {

  /**
   * The metadata.generation of the spec this status describes; 0 until the operator has observed
   * the agent (a schema default, so that kstatus reads a new agent as InProgress, not Current).
   */
  private Long observedGeneration;

  /** A one-word summary for people; automation should read the conditions instead. */
  private Phase phase;

  /**
   * Ready, Reconciling and Stalled (kstatus), PodHealthy, StorageReady, TokenReady, TokenVerified,
   * InboxHealthy and DiscordConnected, following the Kubernetes API conventions; every one is
   * always present. Reasons: Ready: Running, InvalidSpec, Suspended, TokenInEnv, Progressing,
   * ReplacingPod, WaitingForTokenRelease, or the reason of the condition in the way. Reconciling:
   * Ready's reason while True; Reconciled, Blocked. Stalled: Ready's reason while True; NotStalled.
   * PodHealthy: Running, NotReady, PodPending, Unschedulable, Terminating, PodFailed,
   * ImagePullBackOff, CreateContainerConfigError, CrashLoopBackOff, OOMKilled, NoPod, Suspended.
   * StorageReady: Bound, ClaimNotCreated, ClaimPending, ClaimBeingDeleted, ClaimLost,
   * WorkspaceClaimNotFound, SkillsClaimNotFound, DuplicateAgentDir. TokenReady: TokenResolved,
   * SecretNotFound, KeyNotFound, MalformedToken, DuplicateToken, InvalidToken. TokenVerified:
   * Verified, InvalidToken, VerificationUnavailable, VerificationDisabled, VerificationPending.
   * InboxHealthy: WithinLimits, Backlogged, WorkspaceUnavailable, InboxUnreadable, NotScanned.
   * DiscordConnected: Connected, Connecting, Disconnected, InvalidToken, PluginNotInstalled,
   * PluginNotLoaded, DiscordNotConfigured, StatusUnreadable, StatusNotRead. While the spec is
   * invalid, StorageReady, TokenReady, TokenVerified, InboxHealthy and DiscordConnected are Unknown
   * with reason InvalidSpec.
   */
  private List<Condition> conditions = new ArrayList<>();

  /** Facts about the agent's pod. */
  private PodFacts pod;

  /** Name of the agent's state PersistentVolumeClaim. */
  private String stateClaimName;

  /**
   * First 12 hex digits of the SHA-256 of the Discord token, to tell tokens apart without showing
   * them.
   */
  private String tokenFingerprint;

  /** The Discord bot this agent's token logs in as, once verified. */
  private DiscordIdentity discord;

  /** The agent's INBOX backlog on the shared workspaces volume. */
  private InboxStatus inbox;

  /** Summary phases of an agent. */
  public enum Phase {
    Pending,
    Running,
    Degraded,
    Suspended,
    Failed
  }

  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public PodFacts getPod() {
    return pod;
  }

  public void setPod(PodFacts pod) {
    this.pod = pod;
  }

  public String getStateClaimName() {
    return stateClaimName;
  }

  public void setStateClaimName(String stateClaimName) {
    this.stateClaimName = stateClaimName;
  }

  public String getTokenFingerprint() {
    return tokenFingerprint;
  }

  public void setTokenFingerprint(String tokenFingerprint) {
    this.tokenFingerprint = tokenFingerprint;
  }

  public DiscordIdentity getDiscord() {
    return discord;
  }

  public void setDiscord(DiscordIdentity discord) {
    this.discord = discord;
  }

  public InboxStatus getInbox() {
    return inbox;
  }

  public void setInbox(InboxStatus inbox) {
    this.inbox = inbox;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AtomizerAgentStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && phase == s.phase
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(pod, s.pod)
        && Objects.equals(stateClaimName, s.stateClaimName)
        && Objects.equals(tokenFingerprint, s.tokenFingerprint)
        && Objects.equals(discord, s.discord)
        && Objects.equals(inbox, s.inbox);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        phase,
        conditions,
        pod,
        stateClaimName,
        tokenFingerprint,
        discord,
        inbox);
  }
}
