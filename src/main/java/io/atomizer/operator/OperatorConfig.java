package io.atomizer.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every knob of the operator, read from environment variables and overridden by command-line flags
 * of the same name ({@code WATCH_NAMESPACES} is {@code --watch-namespaces=...}). The defaults live
 * here and nowhere else.
 *
 * @param watchNamespaces namespaces to watch; empty means all (WATCH_NAMESPACES, comma-separated)
 * @param serverSideApply create and patch the agents' pods and claims with server-side apply; off
 *     only for API servers without it, such as fabric8's mock server (ATOMIZER_SERVER_SIDE_APPLY,
 *     default true). The agents' status is written with server-side apply either way, for its
 *     resourceVersion precondition (the reconciler's StatusWrite), which keeps a status computed
 *     from a stale view of an agent off it; fabric8's mock server has that much of it.
 * @param reconcileThreads concurrent reconciles (ATOMIZER_RECONCILE_THREADS, default 4)
 * @param workflowThreads threads running dependents (ATOMIZER_WORKFLOW_THREADS, default 2)
 * @param secretFieldSelector which Secrets the operator caches, as a field selector; blank for all
 *     (ATOMIZER_SECRET_FIELD_SELECTOR, default type=Opaque, which leaves out Helm releases and
 *     service account tokens)
 * @param secretLabelSelector an optional label selector narrowing the Secret cache further
 *     (ATOMIZER_SECRET_LABEL_SELECTOR)
 * @param discordStatusInterval how often the operator reads an online agent's Discord status from
 *     its gateway (every 5 s until it is online); 0 turns DiscordConnected off
 *     (ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS, default 30)
 * @param recheckInterval how often an agent waiting on something the operator does not watch (a
 *     missing shared claim, another agent's token) is looked at again (ATOMIZER_RECHECK_SECONDS,
 *     default 30)
 * @param maxReconcileInterval the longest an agent goes without a reconcile, changed or not
 *     (ATOMIZER_MAX_RECONCILE_INTERVAL_SECONDS, default the recheck interval). JOSDK keeps what it
 *     knows of an agent by namespace/name, not by uid, and can drop the event or the retry that
 *     should bring one to the reconciler (an agent re-created under the same name while the agent
 *     watch was down is reported as an update of the old one, of the same generation, and filtered
 *     out); this timer of JOSDK's own then bounds the wait. Each such reconcile of an unchanged
 *     agent reads only caches and writes nothing.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    boolean serverSideApply,
    int reconcileThreads,
    int workflowThreads,
    String secretFieldSelector,
    String secretLabelSelector,
    Duration recheckInterval,
    Duration maxReconcileInterval,
    String workspacesRoot,
    Duration inboxInterval,
    Duration discordStatusInterval,
    int httpPort,
    boolean discordVerify,
    String discordApiUrl,
    String discordGatewayUrl,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace) {

  public static OperatorConfig defaults() {
    return from(Map.of(), new String[0]);
  }

  /** The configuration from {@code env}, with {@code --name=value} flags taking precedence. */
  public static OperatorConfig from(Map<String, String> env, String[] flags) {
    var values = new HashMap<>(env);
    for (var flag : flags) {
      if (flag.startsWith("--") && flag.contains("=")) {
        var name = flag.substring(2, flag.indexOf('=')).replace('-', '_').toUpperCase(Locale.ROOT);
        values.put(name, flag.substring(flag.indexOf('=') + 1));
      }
    }
    return new OperatorConfig(
        namespaces(values.getOrDefault("WATCH_NAMESPACES", "")),
        bool(values, "ATOMIZER_SERVER_SIDE_APPLY", true),
        positive(values, "ATOMIZER_RECONCILE_THREADS", 4),
        positive(values, "ATOMIZER_WORKFLOW_THREADS", 2),
        values.getOrDefault("ATOMIZER_SECRET_FIELD_SELECTOR", "type=Opaque").strip(),
        values.getOrDefault("ATOMIZER_SECRET_LABEL_SELECTOR", "").strip(),
        Duration.ofSeconds(positive(values, "ATOMIZER_RECHECK_SECONDS", 30)),
        Duration.ofSeconds(
            positive(
                values,
                "ATOMIZER_MAX_RECONCILE_INTERVAL_SECONDS",
                positive(values, "ATOMIZER_RECHECK_SECONDS", 30))),
        values.getOrDefault("ATOMIZER_WORKSPACES_ROOT", "/workspaces").strip(),
        Duration.ofSeconds(positive(values, "ATOMIZER_INBOX_INTERVAL_SECONDS", 10)),
        Duration.ofSeconds(nonNegative(values, "ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS", 30)),
        port(values, "ATOMIZER_HTTP_PORT", 8080),
        bool(values, "ATOMIZER_DISCORD_VERIFY", true),
        values.getOrDefault("ATOMIZER_DISCORD_API_URL", "https://discord.com/api/v10/").strip(),
        values.getOrDefault("ATOMIZER_DISCORD_GATEWAY_URL", "wss://gateway.discord.gg/").strip(),
        bool(values, "ATOMIZER_LEADER_ELECTION", false),
        values.getOrDefault("ATOMIZER_LEASE_NAME", "atomizer-operator").strip(),
        values
            .getOrDefault(
                "ATOMIZER_LEASE_NAMESPACE", values.getOrDefault("POD_NAMESPACE", "default"))
            .strip());
  }

  /** A copy for API servers without server-side apply and field selectors (the mock server). */
  public OperatorConfig forMockServer() {
    return new OperatorConfig(
        watchNamespaces,
        false,
        reconcileThreads,
        workflowThreads,
        "",
        secretLabelSelector,
        recheckInterval,
        maxReconcileInterval,
        workspacesRoot,
        inboxInterval,
        discordStatusInterval,
        httpPort,
        discordVerify,
        discordApiUrl,
        discordGatewayUrl,
        leaderElection,
        leaseName,
        leaseNamespace);
  }

  private static Set<String> namespaces(String list) {
    var result = new TreeSet<String>();
    Arrays.stream(list.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(result::add);
    return Set.copyOf(result);
  }

  private static boolean bool(Map<String, String> values, String key, boolean fallback) {
    var value = values.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default ->
          throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
    };
  }

  private static int port(Map<String, String> values, String key, int fallback) {
    var value = values.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 0 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a port number 0-65535, not '" + value + "'");
  }

  private static int nonNegative(Map<String, String> values, String key, int fallback) {
    var value = values.get(key);
    if (value != null && value.strip().equals("0")) {
      return 0;
    }
    return positive(values, key, fallback);
  }

  private static int positive(Map<String, String> values, String key, int fallback) {
    var value = values.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + " must be a positive whole number, not '" + value + "'");
  }
}
