package io.atomizer.operator;

import io.atomizer.operator.discord.DiscordNotifier;
import io.atomizer.operator.observability.OperatorHttpServer;
import io.atomizer.operator.observability.OperatorMetrics;
import io.atomizer.operator.reconciler.AtomizerAgentReconciler;
import io.atomizer.operator.reconciler.ReconcilerSettings;
import io.atomizer.operator.token.VerifierSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's entry point. {@code java -jar atomizer-operator.jar} runs the operator against the
 * cluster of the current kubeconfig (or the in-cluster service account); {@code ... playground}
 * runs it against an in-process API server with a simulated node.
 */
public final class AtomizerOperator {

  private static final Logger log = LoggerFactory.getLogger(AtomizerOperator.class);

  /** How the operator identifies itself to the API server (audit logs, request accounting). */
  public static final String USER_AGENT = "atomizer-operator/0.1.0";

  /** The name of the playground's {@link Subcommand}. */
  public static final String PLAYGROUND = "playground";

  private AtomizerOperator() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && !args[0].startsWith("-")) {
      var command = Subcommand.find(args[0]);
      if (command.isPresent()) {
        command.get().run(Arrays.copyOfRange(args, 1, args.length));
        return;
      }
      if (PLAYGROUND.equals(args[0])) {
        // the image and a jar copied on its own carry no playground
        System.err.println(
            "atomizer-operator: the playground is not in this build: it runs from"
                + " target/atomizer-operator.jar with target/atomizer-operator-playground.jar next"
                + " to it (mvn -B -q package -DskipTests)");
        System.exit(2);
        return;
      }
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("atomizer-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    var client = OperatorClient.create(Config.autoConfigure(null), userAgent(identity()));
    var unreachable = unreachable(client);
    if (unreachable != null) {
      System.err.println(unreachable);
      client.close();
      System.exit(1);
    }
    Optional<DiscordNotifier> notifier;
    try {
      notifier = DiscordNotifier.fromEnvironment(System.getenv(), config.discordApiUrl());
    } catch (IllegalArgumentException e) {
      System.err.println("atomizer-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    // a process that lost the Lease ends at once: the new leader may already act
    // a watch that stopped for good leaves stale caches: end, so that the pod is restarted
    var operator =
        launch(
            client, config, Clock.systemUTC(), notifier, Leadership.halt(), () -> System.exit(1));
    // stops reconciling first, then hands the Lease over, so that two instances never act at once
    Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "shutdown"));
    log.info(
        "atomizer-operator started; watching {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces());
  }

  /** Registers the reconciler with {@code client} and starts the operator, without notices. */
  public static OperatorRuntime start(KubernetesClient client, OperatorConfig config, Clock clock) {
    return start(client, config, clock, Optional.empty());
  }

  /**
   * Registers the reconciler with {@code client} and starts the operator, in this process: if
   * leader election is on and the Lease is lost, the operator stops (the JVM goes on).
   */
  public static OperatorRuntime start(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<DiscordNotifier> notifier) {
    return start(client, config, clock, notifier, () -> {});
  }

  /**
   * Registers the reconciler with {@code client} and starts the operator, in this process: if
   * leader election is on and the Lease is lost, or a watch stops for good after the caches filled,
   * the operator stops (the JVM goes on) and then {@code afterFatalStop} runs, where an embedding
   * program can start a new instance as the kubelet would restart the operator's pod.
   */
  public static OperatorRuntime start(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<DiscordNotifier> notifier,
      Runnable afterFatalStop) {
    var runtime = new AtomicReference<OperatorRuntime>();
    Runnable stop =
        () -> {
          var started = runtime.get();
          if (started != null) {
            new Thread(
                    () -> {
                      started.stop();
                      afterFatalStop.run();
                    },
                    "operator-fatal-stop")
                .start();
          }
        };
    runtime.set(launch(client, config, clock, notifier, stop, stop));
    return runtime.get();
  }

  /**
   * Registers the reconciler with {@code client} and starts the operator; {@code onLeaseLost} runs
   * when leader election is on and the Lease is lost while the operator runs, {@code onWatchLost}
   * when one of its informers stops for good after its cache filled (fabric8 does not restart it,
   * so the operator would act on a cache that no longer changes).
   */
  static OperatorRuntime launch(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Optional<DiscordNotifier> notifier,
      Runnable onLeaseLost,
      Runnable onWatchLost) {
    var metrics = new OperatorMetrics(clock);
    var leadership =
        config.leaderElection()
            ? Optional.of(new Leadership(client, config, identity(), onLeaseLost))
            : Optional.<Leadership>empty();
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withMetrics(metrics.forOperator())
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withConcurrentWorkflowExecutorThreads(config.workflowThreads())
                    .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                    .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                    .withCloseClientOnStop(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                    .withInformerStoppedHandler(
                        (informer, error) -> {
                          // before the caches filled, a failure fails the start itself
                          if (error != null && informer.hasSynced()) {
                            log.error(
                                "the watch of {} stopped for good ({}); this instance ends",
                                informer.getApiTypeClass().getSimpleName(),
                                causes(error));
                            onWatchLost.run();
                          }
                        })
                    .withLeaderElectionConfiguration(
                        leadership.map(Leadership::configuration).orElse(null)));
    var reconciler =
        new AtomizerAgentReconciler(reconcilerSettings(config), clock, metrics.agents(), notifier);
    operator.register(
        reconciler,
        o -> {
          o.withRetry(ReconcileRetry.cappedAt(config.recheckInterval()));
          // JOSDK's safety net against a dropped event or retry (its default is 10 hours)
          o.withReconciliationMaxInterval(config.maxReconcileInterval());
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    var companions = new ArrayList<AutoCloseable>();
    if (config.httpPort() > 0) {
      // before the operator starts, so that /healthz answers while the caches fill
      try {
        companions.add(
            OperatorHttpServer.start(
                config.httpPort(), metrics, OperatorHttpServer.readiness(operator)));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot serve /metrics, /healthz and /readyz on port " + config.httpPort(), e);
      }
    }
    operator.start();
    companions.add(reconciler);
    notifier.ifPresent(companions::add);
    return new OperatorRuntime(operator, companions, leadership);
  }

  /**
   * The classes of an error and its causes, without their messages: a parse error's message quotes
   * the payload it failed on, which may be a Secret's.
   */
  static String causes(Throwable error) {
    var names = new ArrayList<String>();
    for (var e = error; e != null && names.size() < 8; e = e.getCause()) {
      names.add(e.getClass().getName());
    }
    return String.join(" <- ", names);
  }

  /**
   * The user agent of one instance: {@link #USER_AGENT} with its identity as a comment, so that API
   * server audit logs tell two replicas apart (field managers still read "atomizer-operator").
   */
  static String userAgent(String identity) {
    return USER_AGENT + " (" + identity + ")";
  }

  /** This instance's identity in the Lease: the pod name, else the host name. */
  static String identity() {
    for (var variable : new String[] {"POD_NAME", "HOSTNAME"}) {
      var value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return "atomizer-operator-" + ProcessHandle.current().pid();
  }

  /** One line saying which API server could not be reached and why, or null when it answers. */
  static String unreachable(KubernetesClient client) {
    try {
      client.getKubernetesVersion();
      return null;
    } catch (KubernetesClientException e) {
      var cfg = client.getConfiguration();
      var context = cfg.getCurrentContext() == null ? "none" : cfg.getCurrentContext().getName();
      var files = Config.getKubeconfigFilenames();
      var cause = e.getCause() != null ? e.getCause() : e;
      return "atomizer-operator: cannot reach the Kubernetes API server at "
          + cfg.getMasterUrl()
          + " (kubeconfig "
          + (files.isEmpty() ? "none" : String.join(":", files))
          + ", context "
          + context
          + "): "
          + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "")
          + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
          + ". Set KUBECONFIG to your cluster, or try the operator without one: java -jar"
          + " target/atomizer-operator.jar playground";
    }
  }

  private static ReconcilerSettings reconcilerSettings(OperatorConfig config) {
    return new ReconcilerSettings(
        config.secretFieldSelector(),
        config.secretLabelSelector(),
        config.recheckInterval(),
        config.maxReconcileInterval(),
        config.workspacesRoot(),
        config.inboxInterval(),
        config.discordStatusInterval(),
        VerifierSettings.of(
            config.discordVerify(), config.discordApiUrl(), config.discordGatewayUrl()));
  }
}
