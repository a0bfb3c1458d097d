package io.atomizer.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * helm lint and helm template of the chart, with its defaults and with every values file under
 * examples/helm/; every rendered object must parse into its fabric8 type without unknown fields.
 */
class ChartTemplateTest {

  static Stream<Path> exampleValues() {
    return HelmChart.exampleValuesFiles().stream();
  }

  @Test
  void examplesProvideValuesFiles() {
    assertTrue(
        HelmChart.exampleValuesFiles().size() >= 2, HelmChart.exampleValuesFiles().toString());
  }

  @Test
  void lintPassesWithDefaults() {
    var lint = HelmChart.lint();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @ParameterizedTest
  @MethodSource("exampleValues")
  void lintPassesWithExampleValues(Path values) {
    var lint = HelmChart.lint(values);
    assertFalse(lint.isFailed(), values + ":\n" + String.join("\n", lint.getMessages()));
  }

  @ParameterizedTest
  @MethodSource("exampleValues")
  void exampleValuesRenderTypedObjectsWithAnOperatorDeployment(Path values) {
    var objects = HelmChart.render(values);
    assertEquals(1, HelmChart.ofType(objects, Deployment.class).size(), values.toString());
    for (var object : objects) {
      assertNoNamespaceOnClusterScoped(object);
    }
  }

  @Test
  void defaultsRenderTheOperatorWithRestrictedSecurityAndProbes() {
    var objects = HelmChart.render("");
    assertEquals(
        // the ClusterRole and its binding grant only "list nodes" (RbacCoverageTest)
        List.of(
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Role",
            "RoleBinding",
            "Service",
            "ServiceAccount"),
        objects.stream().map(HasMetadata::getKind).sorted().toList());
    var deployment = HelmChart.ofType(objects, Deployment.class).get(0);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertEquals("atomizer-operator:0.1.0", container.getImage());
    assertEquals("IfNotPresent", container.getImagePullPolicy());
    assertEquals(30L, pod.getTerminationGracePeriodSeconds());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    var security = container.getSecurityContext();
    assertFalse(security.getAllowPrivilegeEscalation());
    assertTrue(security.getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
    assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
    assertEquals("http", container.getLivenessProbe().getHttpGet().getPort().getStrVal());
    assertEquals(8080, container.getPorts().get(0).getContainerPort());
    assertEquals(new Quantity("192Mi"), container.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("128Mi"), container.getResources().getRequests().get("memory"));
    assertEquals("Recreate", deployment.getSpec().getStrategy().getType(), "never two operators");

    var env = env(container.getEnv());
    assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("-XX:MaxRAMPercentage=70"));
    assertEquals(HelmChart.NAMESPACE, env.get("WATCH_NAMESPACES"), "the release namespace only");
    assertEquals("8080", env.get("ATOMIZER_HTTP_PORT"));
    assertEquals("/workspaces", env.get("ATOMIZER_WORKSPACES_ROOT"));
    assertEquals("10", env.get("ATOMIZER_INBOX_INTERVAL_SECONDS"));
    assertEquals("true", env.get("ATOMIZER_DISCORD_VERIFY"));
    assertEquals("false", env.get("ATOMIZER_LEADER_ELECTION"));
    assertEquals("atomizer-operator", env.get("ATOMIZER_LEASE_NAME"));
    var podNamespace =
        container.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE")).findFirst();
    assertEquals(
        "metadata.namespace",
        podNamespace.orElseThrow().getValueFrom().getFieldRef().getFieldPath());

    var mounts =
        container.getVolumeMounts().stream()
            .collect(Collectors.toMap(m -> m.getMountPath(), m -> m));
    assertTrue(mounts.get("/workspaces").getReadOnly(), "the operator only reads workspaces");
    assertNull(mounts.get("/tmp").getReadOnly());
    var workspaces =
        pod.getVolumes().stream().filter(v -> v.getName().equals("workspaces")).findFirst();
    assertEquals(
        "atomizer-workspaces", workspaces.orElseThrow().getPersistentVolumeClaim().getClaimName());

    var service = HelmChart.ofType(objects, Service.class).get(0);
    assertEquals("http", service.getSpec().getPorts().get(0).getName());
    assertEquals(
        deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
  }

  @Test
  void moreThanOneReplicaTurnsOnLeaderElectionAndRollingUpdates() {
    var deployment =
        HelmChart.ofType(HelmChart.render("replicaCount: 2\n"), Deployment.class).get(0);
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
    var env = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertEquals("true", env.get("ATOMIZER_LEADER_ELECTION"));

    var forcedOff =
        HelmChart.ofType(
                HelmChart.render("replicaCount: 2\nleaderElection: {enabled: false}\n"),
                Deployment.class)
            .get(0);
    assertEquals("Recreate", forcedOff.getSpec().getStrategy().getType());
  }

  @Test
  void watchNamespacesReachTheOperator() {
    var deployment =
        HelmChart.ofType(HelmChart.render("watchNamespaces: [atomizer, lab]\n"), Deployment.class)
            .get(0);
    var env = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertEquals("atomizer,lab", env.get("WATCH_NAMESPACES"));
  }

  @Test
  void watchAllNamespacesIsOneValueAwayAndExcludesAList() {
    var deployment =
        HelmChart.ofType(HelmChart.render("watchAllNamespaces: true\n"), Deployment.class).get(0);
    var env = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertEquals("", env.get("WATCH_NAMESPACES"), "empty: every namespace");
    var both =
        assertThrows(
            RuntimeException.class,
            () -> HelmChart.render("watchAllNamespaces: true\nwatchNamespaces: [lab]\n"));
    assertTrue(both.getMessage().contains("watchNamespaces"), both.getMessage());
  }

  @Test
  void createModeMakesAKeptClaimOfTheGivenSizeAndClass() {
    var objects =
        HelmChart.render(
            "workspaces: {mode: create, size: 25Gi, storageClassName: nfs-client,"
                + " accessModes: [ReadWriteMany]}\n");
    var claim = HelmChart.ofType(objects, PersistentVolumeClaim.class).get(0);
    assertEquals("atomizer-workspaces", claim.getMetadata().getName());
    assertEquals(HelmChart.NAMESPACE, claim.getMetadata().getNamespace());
    assertEquals(new Quantity("25Gi"), claim.getSpec().getResources().getRequests().get("storage"));
    assertEquals("nfs-client", claim.getSpec().getStorageClassName());
    assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
    assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    assertEquals(List.of(), HelmChart.ofType(objects, PersistentVolume.class));
  }

  @Test
  void hostPathModeBindsAVolumeOnTheExistingDirectoryToTheClaim() {
    var objects =
        HelmChart.render("workspaces: {mode: hostPath, hostPath: {path: /srv/team/workspaces}}\n");
    var volume = HelmChart.ofType(objects, PersistentVolume.class).get(0);
    var claim = HelmChart.ofType(objects, PersistentVolumeClaim.class).get(0);
    assertEquals("/srv/team/workspaces", volume.getSpec().getHostPath().getPath());
    assertEquals("Directory", volume.getSpec().getHostPath().getType(), "must already exist");
    assertEquals("Retain", volume.getSpec().getPersistentVolumeReclaimPolicy());
    assertEquals(claim.getMetadata().getName(), volume.getSpec().getClaimRef().getName());
    assertEquals(HelmChart.NAMESPACE, volume.getSpec().getClaimRef().getNamespace());
    assertEquals(volume.getMetadata().getName(), claim.getSpec().getVolumeName());
    assertEquals("", claim.getSpec().getStorageClassName(), "no dynamic provisioning");
    assertEquals("", volume.getSpec().getStorageClassName());
    assertEquals("keep", volume.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
  }

  @Test
  void existingClaimModeCreatesNoStorage() {
    var objects = HelmChart.render("workspaces: {mode: existingClaim, claimName: shared-brain}\n");
    assertEquals(List.of(), HelmChart.ofType(objects, PersistentVolumeClaim.class));
    assertEquals(List.of(), HelmChart.ofType(objects, PersistentVolume.class));
    var pod = HelmChart.ofType(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec();
    assertTrue(
        pod.getVolumes().stream()
            .anyMatch(
                v ->
                    v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim().getClaimName().equals("shared-brain")
                        && v.getPersistentVolumeClaim().getReadOnly()));
  }

  @Test
  void serviceMonitorScrapesTheMetricsPortWhenEnabled() {
    assertEquals(List.of(), HelmChart.ofType(HelmChart.render(""), ServiceMonitor.class));
    var monitor =
        HelmChart.ofType(
                HelmChart.render("metrics: {serviceMonitor: {enabled: true}}\n"),
                ServiceMonitor.class)
            .get(0);
    var endpoint = monitor.getSpec().getEndpoints().get(0);
    assertEquals("http", endpoint.getPort());
    assertEquals("/metrics", endpoint.getPath());
  }

  @Test
  void agentsFromValuesRenderAsAtomizerAgentsInTheReleaseNamespace() {
    var objects =
        HelmChart.render(
            """
            agents:
              - name: manager
                labels: {team: atomizer}
                spec:
                  role: manager
                  token: {secretName: atomizer-discord-tokens, key: MANAGER_TOKEN}
                  workspaces: {claimName: atomizer-workspaces}
                  suspend: true
            """);
    var agent = HelmChart.ofType(objects, AtomizerAgent.class).get(0);
    assertEquals("manager", agent.getMetadata().getName());
    assertEquals(HelmChart.NAMESPACE, agent.getMetadata().getNamespace());
    assertEquals("atomizer", agent.getMetadata().getLabels().get("team"));
    assertEquals("MANAGER_TOKEN", agent.getSpec().getToken().getKey());
    assertTrue(agent.getSpec().getSuspend());
  }

  @Test
  void agentsFromValuesMustHaveTheirOwnNamesAndTokens() {
    var agent =
        """
          - name: %s
            spec:
              role: manager
              token: {secretName: atomizer-discord-tokens, key: %s}
              workspaces: {claimName: atomizer-workspaces}
        """;
    var sameName =
        assertThrows(
            IllegalStateException.class,
            () ->
                HelmChart.template(
                    "agents:\n"
                        + agent.formatted("manager", "A")
                        + agent.formatted("manager", "B")));
    assertTrue(sameName.getMessage().contains("\"manager\" appears twice"), sameName.getMessage());
    var sameToken =
        assertThrows(
            IllegalStateException.class,
            () ->
                HelmChart.template(
                    "agents:\n"
                        + agent.formatted("manager", "A")
                        + agent.formatted("auditor", "A")));
    assertTrue(
        sameToken.getMessage().contains("manager and auditor both use token"),
        sameToken.getMessage());
  }

  private static Map<String, String> env(List<EnvVar> env) {
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static void assertNoNamespaceOnClusterScoped(HasMetadata object) {
    var clusterScoped =
        List.of("ClusterRole", "ClusterRoleBinding", "PersistentVolume").contains(object.getKind());
    assertEquals(
        clusterScoped,
        object.getMetadata().getNamespace() == null,
        object.getKind() + " " + object.getMetadata().getName() + " namespace");
  }
}
