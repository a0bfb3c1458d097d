package io.atomizer.operator.customresource;

/**
 * Every condition type and reason the operator writes. Ready, Reconciling and Stalled follow the
 * kstatus rules, so that {@code kubectl wait --for=condition=Ready}, Flux ({@code wait: true}) and
 * Argo CD read an agent's health without custom code.
 */
public final class Conditions {

  // ---- types ----

  /** True only when the agent's pod runs the current spec and passes its readiness probe. */
  public static final String READY = "Ready";

  /**
   * True while the operator is still converging: creating or replacing the pod, waiting for the pod
   * to start, for storage to bind, or for another pod holding the token to terminate.
   */
  public static final String RECONCILING = "Reconciling";

  /** True when the agent cannot make progress until a human changes something. */
  public static final String STALLED = "Stalled";

  /** The health of the agent's pod and container, as reported by the kubelet. */
  public static final String POD_HEALTHY = "PodHealthy";

  /** Whether the state claim is bound and the shared claims the pod mounts exist. */
  public static final String STORAGE_READY = "StorageReady";

  /** Whether the token Secret key resolves to a token that this agent may use. */
  public static final String TOKEN_READY = "TokenReady";

  /** Whether Discord accepted the token when the operator logged in with it. */
  public static final String TOKEN_VERIFIED = "TokenVerified";

  /** Whether the agent keeps up with the task files in its INBOX. */
  public static final String INBOX_HEALTHY = "InboxHealthy";

  /**
   * Whether the agent's own Discord connection is up, as the agent's gateway reports it ({@code
   * channels.status}: running and connected). Ready=True requires it to be True once it can be
   * read; it is never True when it cannot be read.
   */
  public static final String DISCORD_CONNECTED = "DiscordConnected";

  // ---- Ready ----

  /** Ready=True: the pod runs the current spec and is ready. */
  public static final String RUNNING = "Running";

  /** Ready=False, PodHealthy=Unknown: spec.suspend is true; the pod is removed, state is kept. */
  public static final String SUSPENDED = "Suspended";

  /**
   * Ready=False, Stalled=True: the spec is valid for the API server but not for the operator (the
   * message names the field). Also StorageReady, TokenReady, TokenVerified, InboxHealthy and
   * DiscordConnected=Unknown meanwhile: they cannot be decided from an invalid spec.
   */
  public static final String INVALID_SPEC = "InvalidSpec";

  // ---- Reconciling ----

  /** Reconciling=True: objects are being created or the pod is starting. */
  public static final String PROGRESSING = "Progressing";

  /** Reconciling=True: the spec or the token changed; the old pod is being removed first. */
  public static final String REPLACING_POD = "ReplacingPod";

  /**
   * Reconciling=True: a pod that still holds this agent's token (its own old pod or another
   * agent's) is terminating; the new pod is created only once it is gone.
   */
  public static final String WAITING_FOR_TOKEN_RELEASE = "WaitingForTokenRelease";

  /** Reconciling=False: the agent is converged (or suspended). */
  public static final String RECONCILED = "Reconciled";

  /** Reconciling=False: progress needs a human; see Stalled. */
  public static final String BLOCKED = "Blocked";

  /** Stalled=False: nothing needs a human. */
  public static final String NOT_STALLED = "NotStalled";

  // ---- PodHealthy ----

  /** PodHealthy=Unknown: there is no pod (not created yet, or deliberately removed). */
  public static final String NO_POD = "NoPod";

  /** PodHealthy=False: the pod is scheduled and its container is being created. */
  public static final String POD_PENDING = "PodPending";

  /** PodHealthy=False: the scheduler cannot place the pod on any node. */
  public static final String UNSCHEDULABLE = "Unschedulable";

  /**
   * PodHealthy=False, Stalled=True: the image cannot be pulled (ImagePullBackOff, ErrImagePull,
   * InvalidImageName) or, with imagePullPolicy Never, is not on the node (ErrImageNeverPull).
   */
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";

  /**
   * PodHealthy=False, Stalled=True: the kubelet cannot build the container's configuration, for
   * example a missing Secret key or ConfigMap.
   */
  public static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";

  /** PodHealthy=False, Stalled=True: the container keeps crashing. */
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";

  /**
   * PodHealthy=False, Stalled=True: the container was killed for exceeding its memory limit and is
   * not running.
   */
  public static final String OOM_KILLED = "OOMKilled";

  /** PodHealthy=False: the container runs but its readiness probe fails. */
  public static final String NOT_READY = "NotReady";

  /** PodHealthy=False: the pod is being deleted. */
  public static final String TERMINATING = "Terminating";

  /** PodHealthy=False: the pod failed or was evicted; it is replaced. */
  public static final String POD_FAILED = "PodFailed";

  // ---- StorageReady ----

  /** StorageReady=True: the state claim is bound and the shared claims exist. */
  public static final String BOUND = "Bound";

  /** StorageReady=False: the state claim has not been created yet. */
  public static final String CLAIM_NOT_CREATED = "ClaimNotCreated";

  /**
   * StorageReady=False: the state claim waits for a volume (with WaitForFirstConsumer storage
   * classes, until the pod is scheduled).
   */
  public static final String CLAIM_PENDING = "ClaimPending";

  /**
   * StorageReady=False: the state claim is being deleted, or belongs to an earlier agent of the
   * same name that was deleted with state.retainOnDelete=false; no pod is started on it, and a new
   * claim is created once it is gone.
   */
  public static final String CLAIM_BEING_DELETED = "ClaimBeingDeleted";

  /** StorageReady=False, Stalled=True: the state claim lost its volume. */
  public static final String CLAIM_LOST = "ClaimLost";

  /** StorageReady=False, Stalled=True: spec.workspaces.claimName names no claim. */
  public static final String WORKSPACE_CLAIM_NOT_FOUND = "WorkspaceClaimNotFound";

  /** StorageReady=False, Stalled=True: spec.skills.claimName names no claim. */
  public static final String SKILLS_CLAIM_NOT_FOUND = "SkillsClaimNotFound";

  /**
   * StorageReady=False, Stalled=True: an older agent of the same namespace mounts the same
   * workspaces claim with the same agentDir (spec.workspaces.agentDir, by default the agent's
   * name), so both would take the same INBOX's tasks. The older one (creation time, then
   * namespace/name) keeps the directory; this one has no pod until either agent changes its
   * directory or claim, is suspended or deleted.
   */
  public static final String DUPLICATE_AGENT_DIR = "DuplicateAgentDir";

  // ---- TokenReady ----

  /** TokenReady=True: the Secret key holds a token that no older agent uses. */
  public static final String TOKEN_RESOLVED = "TokenResolved";

  /** TokenReady=False, Stalled=True: the Secret in spec.token does not exist. */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";

  /** TokenReady=False, Stalled=True: the Secret exists but the key is missing or empty. */
  public static final String KEY_NOT_FOUND = "KeyNotFound";

  /**
   * TokenReady=False, Stalled=True: the Secret key holds something that cannot be a Discord bot
   * token, such as a certificate, a whole .env file or a value with a "Bot " prefix.
   */
  public static final String MALFORMED_TOKEN = "MalformedToken";

  /**
   * TokenReady=False, Stalled=True: an older agent uses the same token value; this agent has no pod
   * until that is resolved.
   */
  public static final String DUPLICATE_TOKEN = "DuplicateToken";

  /**
   * Ready=False, Stalled=True: a spec.env variable reads a Secret key that holds some agent's
   * Discord token (another agent's, or this one's a second time); the pod is removed or not created
   * until the variable is gone or the key no longer holds a token.
   */
  public static final String TOKEN_IN_ENV = "TokenInEnv";

  /**
   * TokenReady=False and TokenVerified=False, Stalled=True: Discord rejected the token (401) when
   * the operator verified it. Also DiscordConnected=False (and so Ready=False, Stalled=True): the
   * agent's own login was rejected (401, or the gateway closed with 4004).
   */
  public static final String INVALID_TOKEN = "InvalidToken";

  // ---- TokenVerified ----

  /** TokenVerified=True: Discord accepted the token; status.discord names the bot. */
  public static final String VERIFIED = "Verified";

  /** TokenVerified=Unknown: Discord could not be reached; the agent runs and it is retried. */
  public static final String VERIFICATION_UNAVAILABLE = "VerificationUnavailable";

  /** TokenVerified=Unknown: verification is turned off in the operator's configuration. */
  public static final String VERIFICATION_DISABLED = "VerificationDisabled";

  /** TokenVerified=Unknown: the token has not been checked yet. */
  public static final String VERIFICATION_PENDING = "VerificationPending";

  // ---- InboxHealthy ----

  /** InboxHealthy=True: pending tasks and the oldest task's age are within spec.inbox. */
  public static final String WITHIN_LIMITS = "WithinLimits";

  /** InboxHealthy=False: more tasks than spec.inbox.maxPending, or one older than maxAge. */
  public static final String BACKLOGGED = "Backlogged";

  /** InboxHealthy=Unknown: the operator has no workspaces volume mounted to scan. */
  public static final String WORKSPACE_UNAVAILABLE = "WorkspaceUnavailable";

  /** InboxHealthy=Unknown: the INBOX directory exists but cannot be read. */
  public static final String INBOX_UNREADABLE = "InboxUnreadable";

  /** InboxHealthy=Unknown: the INBOX has not been scanned yet. */
  public static final String INBOX_NOT_SCANNED = "NotScanned";

  // ---- DiscordConnected ----

  /** DiscordConnected=True: the agent's Discord channel runs and its gateway session is up. */
  public static final String CONNECTED = "Connected";

  /**
   * DiscordConnected=False: the agent's gateway knows no Discord channel: the image does not
   * contain OpenClaw's Discord plugin ({@code @openclaw/discord}).
   */
  public static final String PLUGIN_NOT_INSTALLED = "PluginNotInstalled";

  /**
   * DiscordConnected=False: the Discord plugin is there but did not load or is not enabled (for
   * example {@code plugins.entries.discord.enabled} is not true, or OpenClaw refused to trust it);
   * the message carries the agent's own error.
   */
  public static final String PLUGIN_NOT_LOADED = "PluginNotLoaded";

  /** DiscordConnected=False: the agent's config has no Discord account configured or enabled. */
  public static final String DISCORD_NOT_CONFIGURED = "DiscordNotConfigured";

  /** DiscordConnected=False: the Discord channel is starting and has reported no error yet. */
  public static final String CONNECTING = "Connecting";

  /**
   * DiscordConnected=False: the Discord channel is not connected and reports an error other than a
   * rejected token (the gateway closed the session, Discord is unreachable); the agent retries with
   * backoff by itself.
   */
  public static final String DISCONNECTED = "Disconnected";

  /**
   * DiscordConnected=Unknown: the operator could not read the agent's Discord status (no gateway
   * token, the status route not enabled, the gateway not answering); the message says why.
   */
  public static final String STATUS_UNREADABLE = "StatusUnreadable";

  /**
   * DiscordConnected=Unknown: the agent's Discord status has not been read yet, or the agent has no
   * ready pod to ask (also when reading it is turned off: ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS
   * is 0).
   */
  public static final String STATUS_NOT_READ = "StatusNotRead";

  private Conditions() {}

  /** A message from elsewhere (kubelet, scheduler, API server) on one line, at most 300 chars. */
  public static String brief(String message) {
    if (message == null || message.isBlank()) {
      return "no details";
    }
    var oneLine = message.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
  }
}
