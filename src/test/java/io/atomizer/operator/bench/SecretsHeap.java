package io.atomizer.operator.bench;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The operator's heap, after a full GC, with 200 Helm release Secrets (type helm.sh/release.v1, 64
 * KB of data each, 87 KB as JSON) present beside a handful of Opaque token Secrets and 8 agents:
 * with the shipped scoping (field selector type=Opaque) and with none. Only the real API server
 * applies field selectors; on the mock server ({@code fleet.secrets-server=mock}) both runs cache
 * every Secret, which measures what the operator keeps of each cached Secret.
 */
final class SecretsHeap {

  static final int RELEASES = 200;
  static final int RELEASE_BYTES = 48 * 1024;

  /** Heap after a full GC, and the process's memory, for one scoping. */
  record Result(String scoping, JvmProcess.Heap heap, JvmProcess.Usage usage, int secretsCached) {}

  private final FleetRun.BenchSettings settings;
  private final boolean serverAppliesFieldSelectors;

  SecretsHeap(FleetRun.BenchSettings settings, boolean serverAppliesFieldSelectors) {
    this.settings = settings;
    this.serverAppliesFieldSelectors = serverAppliesFieldSelectors;
  }

  List<Result> run(FleetServer server) throws Exception {
    var fleet = new Fleet("secrets-heap", 8);
    fleet.install(server.admin());
    var random = new Random(42);
    for (int i = 0; i < RELEASES; i++) {
      server.admin().resource(release(fleet.namespace, i, random)).create();
    }
    for (int i = 0; i < 4; i++) {
      server
          .admin()
          .resource(
              io.atomizer.operator.support.Agents.secret(
                  fleet.namespace, "other-token-" + i, Map.of("TOKEN", "other-" + i)))
          .create();
    }
    server.apply(fleet.namespace, fleet.agents);
    var results = new ArrayList<Result>();
    results.add(measure(server, fleet, "type=Opaque (shipped default)", List.of()));
    results.add(
        measure(server, fleet, "none (all Secrets)", List.of("--atomizer-secret-field-selector=")));
    return results;
  }

  private Result measure(FleetServer server, Fleet fleet, String scoping, List<String> scope)
      throws Exception {
    var args = new ArrayList<>(List.of("-jar", settings.jar().toString()));
    args.addAll(server.operatorArgs());
    args.add("--atomizer-workspaces-root=" + fleet.workspaces());
    args.addAll(scope);
    var log =
        settings.out().resolve("operator-secrets-" + (scope.isEmpty() ? "scoped" : "all") + ".log");
    var identity = "secrets-" + (scope.isEmpty() ? "scoped" : "all");
    var env = new java.util.TreeMap<>(settings.env());
    env.put("POD_NAME", identity);
    try (var operator =
            JvmProcess.start(
                settings.runtime().java(),
                settings.jvmFlags(),
                args,
                server.kubeconfig(),
                log,
                env);
        var watch = new ReadyWatch(server.admin(), fleet.namespace, fleet.agents.size())) {
      FleetRun.awaitWatching(
          server,
          operator,
          FleetRun.operatorUserAgent(identity),
          FleetRun.OPERATOR_WATCHES,
          Duration.ofMinutes(3));
      watch.awaitAll(Duration.ofMinutes(3));
      Thread.sleep(5000);
      var heap = operator.heapAfterFullGc();
      var secretsInScope =
          server.admin().secrets().inAnyNamespace().list().getItems().stream()
              .filter(
                  s ->
                      scope.isEmpty() && serverAppliesFieldSelectors
                          ? "Opaque".equals(s.getType())
                          : true)
              .count();
      FleetRun.progress("secrets (%s): heap %d KiB after full GC", scoping, heap.usedKib());
      return new Result(scoping, heap, operator.usage(), (int) secretsInScope);
    }
  }

  static Secret release(String namespace, int i, Random random) {
    var payload = new byte[RELEASE_BYTES];
    random.nextBytes(payload);
    var name = "app-%03d".formatted(i);
    return new SecretBuilder()
        .withNewMetadata()
        .withName("sh.helm.release.v1." + name + ".v1")
        .withNamespace(namespace)
        .addToLabels(Map.of("owner", "helm", "name", name, "status", "deployed", "version", "1"))
        .endMetadata()
        .withType("helm.sh/release.v1")
        // Helm stores base64(gzip(release JSON)); random bytes stand for the compressed release
        .addToData(
            "release", Base64.getEncoder().encodeToString(Base64.getEncoder().encode(payload)))
        .build();
  }
}
