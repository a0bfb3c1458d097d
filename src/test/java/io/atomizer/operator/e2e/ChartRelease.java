package io.atomizer.operator.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One release of the operator's chart in the real API server, installed, upgraded and uninstalled
 * through helm-java (Helm's own Go code) with the cluster's kubeconfig, as {@code helm} would.
 */
final class ChartRelease {

  static final Path CHART = Path.of("helm/atomizer-operator");

  private final E2eCluster cluster;
  private final String name;
  private final String namespace;

  /**
   * @param name the release name; it contains the chart name, so it is also the full name of the
   *     Deployment, ServiceAccount, (Cluster)Role and Lease
   */
  ChartRelease(E2eCluster cluster, String name, String namespace) {
    if (!name.contains("atomizer-operator")) {
      throw new IllegalArgumentException("the full name would differ from " + name);
    }
    this.cluster = cluster;
    this.name = name;
    this.namespace = namespace;
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  /** The operator's ServiceAccount as a user name, for impersonation and can-i. */
  String serviceAccountUser() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** Creates the release namespace (so tests can put a Secret in it before installing). */
  ChartRelease createNamespace() {
    cluster
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return this;
  }

  /** {@code helm install} with {@code values} (a YAML document) over the chart's defaults. */
  Release install(String values) {
    return withValues(
        values,
        file ->
            new Helm(CHART)
                .install()
                .withName(name)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .withValuesFile(file)
                .call());
  }

  /** {@code helm upgrade} with {@code values} over the chart's defaults (not the old values). */
  Release upgrade(String values) {
    return withValues(
        values,
        file ->
            new Helm(CHART)
                .upgrade()
                .withName(name)
                .withNamespace(namespace)
                .withKubeConfig(cluster.kubeconfig())
                .withValuesFile(file)
                .call());
  }

  String uninstall() {
    return Helm.uninstall(name)
        .withNamespace(namespace)
        .withKubeConfig(cluster.kubeconfig())
        .call();
  }

  /** {@code kubectl auth can-i ... --as=<the operator's ServiceAccount>}: "yes" or "no". */
  String canI(String... args) {
    var command = new ArrayList<>(List.of("auth", "can-i"));
    command.addAll(List.of(args));
    command.add("--as=" + serviceAccountUser());
    var result = cluster.kubectl().run(command.toArray(String[]::new));
    var answer = result.stdout().strip();
    if (!answer.equals("yes") && !answer.equals("no")) {
      throw new IllegalStateException("kubectl " + command + ": " + result);
    }
    return answer;
  }

  /**
   * A client that acts as the operator's ServiceAccount (impersonated by the admin client), so the
   * API server's RBAC authorizer applies the chart's rules to every call. Every request answered
   * 403 Forbidden, reads included (the audit log leaves reads out), is added to {@code forbidden}.
   */
  KubernetesClient serviceAccountClient(String userAgentComment, List<String> forbidden) {
    Interceptor recorder =
        new Interceptor() {
          @Override
          public CompletableFuture<Boolean> afterFailure(
              BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
            if (response.code() == HttpURLConnection.HTTP_FORBIDDEN) {
              forbidden.add(response.request().method() + " " + response.request().uri());
            }
            return CompletableFuture.completedFuture(false);
          }
        };
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(cluster.config())
                .withImpersonateUsername(serviceAccountUser())
                .withImpersonateGroups(
                    "system:serviceaccounts",
                    "system:serviceaccounts:" + namespace,
                    "system:authenticated")
                .withUserAgent(AtomizerOperator.USER_AGENT + " (" + userAgentComment + ")")
                .build())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("forbidden", recorder))
        .build();
  }

  /** The operator in this JVM, as the chart's ServiceAccount, configured as the chart does. */
  OperatorRuntime startOperator(KubernetesClient serviceAccountClient, Map<String, String> env) {
    var values = new HashMap<String, String>();
    values.put("ATOMIZER_DISCORD_VERIFY", "false");
    values.put("ATOMIZER_HTTP_PORT", "0");
    values.put("POD_NAMESPACE", namespace);
    values.put("ATOMIZER_LEASE_NAME", name);
    values.putAll(env);
    return AtomizerOperator.start(
        serviceAccountClient, OperatorConfig.from(values, new String[0]), Clock.systemUTC());
  }

  private static Release withValues(
      String values, java.util.function.Function<Path, Release> call) {
    try {
      var file = Files.createTempFile("values-", ".yaml");
      try {
        Files.writeString(file, values);
        return call.apply(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
