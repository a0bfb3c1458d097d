package io.atomizer.operator.e2e;

import static io.atomizer.operator.e2e.E2eSetup.awaitReady;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install}, {@code helm upgrade} and {@code helm uninstall} of the operator's chart on
 * the real node ({@link RealNode}), with what a user of this cluster sets ({@link
 * ChartRelease#operatorValues}): the chart's Deployment runs the operator's own image ({@code
 * -Pimage}) as the release's ServiceAccount, makes the agents' pods (stand-in image, {@link
 * RealNode#STANDIN_IMAGE}) and state claims, and rolls out again on the upgrade. The API server's
 * audit log must show no request of the ServiceAccount answered 403.
 */
@Tag(RealNode.TAG)
@Tag("image")
class HelmChartIT {

  static final String CRD = "atomizeragents.atomizer.io";
  static final String TEAM = "helm-team";
  static final String RELEASE_NAMESPACE = "atomizer-helm";

  static RealNode node;
  static KubernetesClient client;
  static ChartRelease release;

  /** One agent rendered by the chart's agents: list, one applied by the team with kubectl. */
  static String values(String operatorExtra) {
    return """
      watchNamespaces: [%s, %s]
      agents:
        - name: manager
          spec:
            role: manager
            image: %s
            token: {secretName: atomizer-discord-tokens, key: MANAGER_TOKEN}
            workspaces: {claimName: atomizer-workspaces}
      """
            .formatted(RELEASE_NAMESPACE, TEAM, RealNode.STANDIN_IMAGE)
        + ChartRelease.operatorValues(node, operatorExtra);
  }

  /** The upgrade: a longer inbox interval (an env of the operator) and more memory. */
  static String upgrade() {
    return values("  inboxIntervalSeconds: 30\n")
        + """
        resources:
          requests: {cpu: 50m, memory: 96Mi}
          limits: {memory: 256Mi}
        """;
  }

  @BeforeAll
  static void start() {
    node = RealNode.get();
    client = node.client();
    ChartRelease.importOperatorImage(node);
  }

  /** After a failure half-way: no operator pod of this class outlives it. */
  @AfterAll
  static void stop() {
    if (release != null && deployment(release) != null) {
      release.uninstallAndAwaitPodsGone();
    }
  }

  @Test
  void installUpgradeAndUninstallKeepTheCrdAndEveryAgentsStateClaim() {
    // a cluster that never had the operator: helm installs the CRD from the chart's crds/
    var deleted = node.kubectl().run("delete", "crd", CRD, "--ignore-not-found", "--timeout=120s");
    assertTrue(deleted.ok(), deleted.toString());
    release = new ChartRelease(node, "atomizer-operator-helm", RELEASE_NAMESPACE);
    release.createNamespace();
    var ns = release.namespace();
    client
        .resource(Agents.tokens(ns, Map.of("MANAGER_TOKEN", Agents.token("helm-manager"))))
        .create();
    client.resource(Agents.workspaces(ns)).create();

    // the team's namespace exists before the install, which puts a Role in it (watchNamespaces)
    E2eSetup.teamNamespace(client, TEAM, Map.of("TECH_LEAD_TOKEN", Agents.token("helm-tech-lead")));
    var installed = release.install(values(""));
    assertEquals("deployed", installed.getStatus(), installed.getOutput());
    assertEquals("1", installed.getRevision());
    var crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
    assertNotNull(crd, "the chart's crds/ installed the CRD");
    assertTrue(node.kubectl().run("wait", "--for=condition=Established", "crd/" + CRD).ok());
    var deployment = deployment(release);
    assertNotNull(deployment, "the operator's Deployment");
    assertEquals(
        release.name(), deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
    assertNotNull(client.serviceAccounts().inNamespace(ns).withName(release.name()).get());
    assertNull(client.rbac().clusterRoles().withName(release.name()).get(), "no cluster rights");
    assertNull(client.rbac().clusterRoleBindings().withName(release.name()).get());
    assertNotNull(client.services().inNamespace(ns).withName(release.name()).get());
    assertNotNull(agent(ns, "manager"), "the agents: list rendered an AtomizerAgent");

    // watchNamespaces: a Role and RoleBinding in each, for the release's ServiceAccount
    for (var watched : List.of(ns, TEAM)) {
      assertNotNull(client.rbac().roles().inNamespace(watched).withName(release.name()).get());
      var binding =
          client.rbac().roleBindings().inNamespace(watched).withName(release.name()).get();
      assertEquals(release.name(), binding.getSubjects().get(0).getName());
      assertEquals(ns, binding.getSubjects().get(0).getNamespace());
    }
    // the team applies an agent of its own; the operator's pod (as the release's ServiceAccount)
    // makes both agents' pods and state claims
    var techLead = Agents.agent(TEAM, "tech-lead", "TECH_LEAD_TOKEN");
    techLead.getMetadata().setGeneration(null);
    techLead.getSpec().setImage(RealNode.STANDIN_IMAGE);
    client.resource(techLead).create();
    var operatorPod = release.awaitOperatorPodsReady(1).get(0);
    awaitReady(client, ns, "manager", 1);
    awaitReady(client, TEAM, "tech-lead", 1);
    var claims = List.of(claim(ns, "manager-state"), claim(TEAM, "tech-lead-state"));

    var upgraded = release.upgrade(upgrade());
    assertEquals("deployed", upgraded.getStatus(), upgraded.getOutput());
    assertEquals("2", upgraded.getRevision());
    var after = deployment(release);
    assertEquals(deployment.getMetadata().getGeneration() + 1, after.getMetadata().getGeneration());
    var container = after.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(
        "30",
        container.getEnv().stream()
            .filter(e -> e.getName().equals("ATOMIZER_INBOX_INTERVAL_SECONDS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow());
    assertEquals(new Quantity("256Mi"), container.getResources().getLimits().get("memory"));
    // the Deployment rolls out: a new pod with the new settings turns Ready by its probe
    var upgradedPod =
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> release.operatorPods(),
                pods ->
                    pods.size() == 1
                        && !pods.get(0)
                            .getMetadata()
                            .getUid()
                            .equals(operatorPod.getMetadata().getUid())
                        && ChartRelease.ready(pods.get(0)))
            .get(0);
    assertEquals(
        new Quantity("256Mi"),
        upgradedPod.getSpec().getContainers().get(0).getResources().getLimits().get("memory"));
    // helm upgrade leaves the CRD alone; the chart's README says how to apply a new one
    var crdUpgrade =
        node.kubectl()
            .run(
                "apply",
                "--server-side",
                "--force-conflicts",
                "-f",
                ChartRelease.CHART.resolve("crds").toString());
    assertTrue(crdUpgrade.ok(), crdUpgrade.toString());

    // helm uninstall deletes the Roles and the Deployment together: the terminating operator pod
    // may still write (a status of the release's own agent, being deleted too) after its Role is
    // gone, so refusals count only while the release is installed
    var uninstalling = Instant.now();
    release.uninstallAndAwaitPodsGone();
    assertNull(deployment(release));
    assertNull(client.serviceAccounts().inNamespace(ns).withName(release.name()).get());
    assertNull(client.rbac().roles().inNamespace(TEAM).withName(release.name()).get());
    assertNull(client.rbac().roleBindings().inNamespace(TEAM).withName(release.name()).get());
    assertNull(client.services().inNamespace(ns).withName(release.name()).get());
    // the release's agent goes, and the garbage collector removes its pod (proof that it ran)
    await().atMost(Duration.ofSeconds(30)).until(() -> agent(ns, "manager") == null);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(ns).withName("manager").get() == null);

    assertNotNull(
        client.apiextensions().v1().customResourceDefinitions().withName(CRD).get(),
        "helm uninstall never deletes a CRD (and with it every agent)");
    var refused =
        AuditLog.read(node.auditLog()).stream()
            .filter(e -> e.user().equals(release.serviceAccountUser()) && e.code() == 403)
            .filter(e -> e.received().isBefore(uninstalling))
            .map(Object::toString)
            .toList();
    assertEquals(List.of(), refused, "requests the release's RBAC refused");
    assertNotNull(agent(TEAM, "tech-lead"), "the team's own agent is not the release's");
    for (var claim : claims) {
      var kept =
          client
              .persistentVolumeClaims()
              .inNamespace(claim.getMetadata().getNamespace())
              .withName(claim.getMetadata().getName())
              .get();
      assertNotNull(kept, claim.getMetadata().getName() + " was deleted");
      assertEquals(claim.getMetadata().getUid(), kept.getMetadata().getUid());
      assertNull(kept.getMetadata().getDeletionTimestamp());
    }
  }

  static Deployment deployment(ChartRelease release) {
    return client
        .apps()
        .deployments()
        .inNamespace(release.namespace())
        .withName(release.name())
        .get();
  }

  static AtomizerAgent agent(String ns, String name) {
    return client.resources(AtomizerAgent.class).inNamespace(ns).withName(name).get();
  }

  static PersistentVolumeClaim claim(String ns, String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.persistentVolumeClaims().inNamespace(ns).withName(name).get(),
            c -> c != null);
  }
}
