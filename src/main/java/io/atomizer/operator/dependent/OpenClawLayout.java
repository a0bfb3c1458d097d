package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AgentDir;
import io.atomizer.operator.customresource.AtomizerAgent;
import java.util.ArrayList;
import java.util.List;

/**
 * Where OpenClaw (tested: 2026.9.6) reads and writes inside the agent's pod, and what the pod
 * prepares for it before it starts. Facts behind each choice: OpenClaw creates {@code
 * $XDG_CACHE_HOME} (else {@code ~/.cache}, on the read-only root: exit 78); it refuses to start
 * without a config file (exit 78); it seeds and uses {@code $OPENCLAW_WORKSPACE_DIR} (else {@code
 * <state>/workspace}); an installed channel plugin starts only when the config enables it.
 */
public final class OpenClawLayout {

  /**
   * The gateway's stop policy in OpenClaw 2026.9.6: a 315 s drain of active work, a 10 s reserve, a
   * 5 s supervisor margin. The pod's grace period matches it so that SIGKILL never cuts a drain
   * short; an idle gateway exits within seconds.
   */
  public static final long TERMINATION_GRACE_SECONDS = 330;

  /** The cache OpenClaw creates at start-up (about 54 MB), kept with the state across restarts. */
  static final String CACHE_DIR = ".cache";

  /** The file the pod writes when spec.config is absent, unless the state already holds one. */
  static final String DEFAULT_CONFIG_FILE = "openclaw.json";

  /**
   * Creates the given folders, then writes argv[2] to argv[1] unless that file exists (or argv[1]
   * is empty). Node is in every OpenClaw image; a shell or coreutils need not be.
   */
  static final String PREPARE_SCRIPT =
      "const fs=require('fs');const [config,body,...dirs]=process.argv.slice(1);"
          + "for(const d of dirs)fs.mkdirSync(d,{recursive:true});"
          + "if(config&&!fs.existsSync(config))fs.writeFileSync(config,body,{flag:'wx',mode:0o600});";

  private OpenClawLayout() {}

  /** The agent's OpenClaw workspace: its own folder in the shared workspaces volume. */
  static String workspaceDir(AtomizerAgent agent) {
    return agent.getSpec().getWorkspaces().getMountPath() + "/" + AgentDir.of(agent);
  }

  static String cacheDir(AtomizerAgent agent) {
    return agent.getSpec().getState().getMountPath() + "/" + CACHE_DIR;
  }

  /** The config file OpenClaw reads: the ConfigMap's key, else the default in the state dir. */
  static String configPath(AtomizerAgent agent) {
    var config = agent.getSpec().getConfig();
    return config == null
        ? agent.getSpec().getState().getMountPath() + "/" + DEFAULT_CONFIG_FILE
        : config.getMountPath() + "/" + config.getKey();
  }

  /**
   * The config an agent without spec.config starts with: the gateway in local mode bound beyond
   * loopback for the probes, token auth from {@code OPENCLAW_GATEWAY_TOKEN} (when that variable is
   * unset, OpenClaw generates a token for the run), Discord with the agent's own token, the Discord
   * plugin enabled, and OpenClaw's bundled {@code admin-http-rpc} plugin enabled: its {@code POST
   * /api/v1/admin/rpc} route ({@code channels.status}) is how the operator reads DiscordConnected.
   * That route answers only callers holding the gateway token, and its method list is fixed by
   * OpenClaw (the plugin has no settings to narrow it). Written once; edits OpenClaw or the user
   * make later are kept.
   */
  static String defaultConfig(AtomizerAgent agent) {
    var tokenEnv = agent.getSpec().getToken().getEnvName();
    return "{\n"
        + "  \"gateway\": {\"mode\": \"local\", \"bind\": \"lan\",\n"
        + "    \"auth\": {\"mode\": \"token\", \"token\": \"${OPENCLAW_GATEWAY_TOKEN}\"}},\n"
        + "  \"channels\": {\"discord\": {\"enabled\": true, \"token\": \"${"
        + tokenEnv
        + "}\"}},\n"
        + "  \"plugins\": {\"entries\": {\"discord\": {\"enabled\": true},\n"
        + "    \"admin-http-rpc\": {\"enabled\": true}}}\n"
        + "}\n";
  }

  /** The init container's command: node running {@link #PREPARE_SCRIPT}. */
  static List<String> prepareCommand(AtomizerAgent agent) {
    var spec = agent.getSpec();
    var root = spec.getWorkspaces().getMountPath();
    var command = new ArrayList<String>(List.of("node", "-e", PREPARE_SCRIPT));
    if (spec.getConfig() == null) {
      command.add(configPath(agent));
      command.add(defaultConfig(agent));
    } else {
      command.add("");
      command.add("");
    }
    command.add(workspaceDir(agent) + "/INBOX");
    command.add(root + "/shared_context");
    command.add(cacheDir(agent));
    return command;
  }
}
