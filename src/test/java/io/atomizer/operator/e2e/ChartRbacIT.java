package io.atomizer.operator.e2e;

import static io.atomizer.operator.e2e.E2eSetup.awaitReady;
import static io.atomizer.operator.e2e.E2eSetup.createAgent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.playground.SimulatedNode;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's least-privilege RBAC on a real RBAC authorizer: the chart is installed with two
 * replicas (so with leader election and its Lease rules), and the operator runs in this JVM as the
 * chart's ServiceAccount (impersonated), through a scenario that uses every permission. The API
 * server's audit log must show no request of the ServiceAccount answered 403.
 */
class ChartRbacIT {

  static final String TEAM = "rbac-team";

  static RealCluster cluster;
  static KubernetesClient client;
  static ChartRelease release;
  static SimulatedNode node;

  @BeforeAll
  static void install() {
    cluster = RealCluster.get();
    assumeTrue(
        cluster.local() && cluster.auditLog().isPresent(),
        "needs the local control plane: its audit log and the simulated node");
    client = cluster.client();
    release =
        new ChartRelease(cluster, "atomizer-operator-rbac", "atomizer-rbac").createNamespace();
    release.install("replicaCount: 2\noperator: {discordVerify: false}\n");
    var crd =
        cluster
            .kubectl()
            .run(
                "wait",
                "--for=condition=Established",
                "crd/atomizeragents.atomizer.io",
                "--timeout=60s");
    assertTrue(crd.ok(), crd.toString());
    node = E2eSetup.startNode(client);
  }

  @AfterAll
  static void uninstall() {
    if (node != null) {
      node.close();
    }
    if (release != null) {
      release.uninstall();
    }
  }

  @Test
  void serviceAccountMayDoWhatTheOperatorNeedsAndNothingMore() {
    var ns = release.namespace();
    var lease = "leases/" + release.name();
    // each row: the can-i arguments, the answer the chart must give
    var expected =
        List.of(
            List.of("list atomizeragents.atomizer.io -A", "yes"),
            List.of("watch atomizeragents.atomizer.io -A", "yes"),
            List.of("patch atomizeragents.atomizer.io --subresource=status -n team", "yes"),
            List.of("list pods -A", "yes"),
            List.of("watch pods -A", "yes"),
            List.of("create pods -n team", "yes"),
            List.of("patch pods -n team", "yes"),
            List.of("delete pods -n team", "yes"),
            List.of("get persistentvolumeclaims -n team", "yes"),
            List.of("create persistentvolumeclaims -n team", "yes"),
            List.of("patch persistentvolumeclaims -n team", "yes"),
            List.of("list secrets -A", "yes"),
            List.of("watch secrets -A", "yes"),
            List.of("create events -n team", "yes"),
            List.of("create leases.coordination.k8s.io -n " + ns, "yes"),
            List.of("get " + lease + " -n " + ns, "yes"),
            List.of("update " + lease + " -n " + ns, "yes"),
            List.of("patch " + lease + " -n " + ns, "yes"),
            // the spec is the user's; the agent is deleted by the user
            List.of("update atomizeragents.atomizer.io -n team", "no"),
            List.of("patch atomizeragents.atomizer.io -n team", "no"),
            List.of("delete atomizeragents.atomizer.io -n team", "no"),
            // Secrets are read-only, and only as a list (with a field selector), never by name
            List.of("get secrets -n team", "no"),
            List.of("update secrets -n team", "no"),
            List.of("patch secrets -n team", "no"),
            List.of("create secrets -n team", "no"),
            List.of("delete secrets -n team", "no"),
            // state claims are removed only by the garbage collector (retainOnDelete: false)
            List.of("delete persistentvolumeclaims -n team", "no"),
            List.of("update pods -n team", "no"),
            List.of("create pods --subresource=exec -n team", "no"),
            List.of("update leases.coordination.k8s.io/other -n " + ns, "no"),
            List.of("patch " + lease + " -n team", "no"),
            List.of("list nodes", "no"),
            List.of("create deployments.apps -n team", "no"),
            List.of("* *", "no"));
    var wrong = new ArrayList<String>();
    for (var row : expected) {
      var answer = release.canI(row.get(0).split(" "));
      if (!answer.equals(row.get(1))) {
        wrong.add("can-i " + row.get(0) + ": " + answer + ", expected " + row.get(1));
      }
    }
    assertEquals(List.of(), wrong, "as " + release.serviceAccountUser());
  }

  @Test
  void operatorRunningAsTheChartsServiceAccountIsNeverForbidden() {
    E2eSetup.teamNamespace(
        client,
        TEAM,
        Map.of(
            "MANAGER_TOKEN", Agents.token("rbac-manager"),
            "TECH_LEAD_TOKEN", Agents.token("rbac-tech-lead")));
    var refused = new CopyOnWriteArrayList<String>();
    try (var asServiceAccount = release.serviceAccountClient("rbac-e2e", refused)) {
      var operator =
          release.startOperator(asServiceAccount, Map.of("ATOMIZER_LEADER_ELECTION", "true"));
      try {
        scenario();
        assertNotNull(leaseHolder(), "the operator holds the chart's Lease");
      } finally {
        operator.stop();
      }
      assertEquals(null, leaseHolder(), "the Lease is handed over on stop");
    }
    assertEquals(List.of(), refused, "requests the chart's RBAC refused");

    // the API server's own account of the writes: none refused, and every kind of write made
    var writes =
        AuditLog.read(cluster.auditLog().orElseThrow()).stream()
            .filter(e -> e.impersonatedUser().equals(release.serviceAccountUser()))
            .toList();
    assertEquals(
        List.of(),
        writes.stream().filter(e -> e.code() == 403).map(Object::toString).toList(),
        "writes the chart's RBAC refused");
    var used =
        writes.stream()
            .map(
                e ->
                    e.verb()
                        + " "
                        + e.resource()
                        + (e.subresource().isEmpty() ? "" : "/" + e.subresource()))
            .collect(Collectors.toCollection(TreeSet::new));
    System.out.println("RBAC-E2E writes as " + release.serviceAccountUser() + ": " + used);
    assertTrue(
        used.containsAll(
            Set.of(
                "patch atomizeragents/status",
                "patch pods",
                "delete pods",
                "patch persistentvolumeclaims",
                "create events",
                "patch leases",
                "update leases")),
        "the scenario wrote what the operator writes: " + used);
  }

  /** Every kind of work: create, Ready, spec change, suspend, claim ownership, delete. */
  private static void scenario() {
    createAgent(client, TEAM, "manager", "MANAGER_TOKEN");
    var techLead = Agents.agent(TEAM, "tech-lead", "TECH_LEAD_TOKEN");
    techLead.getMetadata().setGeneration(null);
    techLead.getSpec().getState().setRetainOnDelete(false);
    client.resource(techLead).create();
    awaitReady(client, TEAM, "manager", 1);
    awaitReady(client, TEAM, "tech-lead", 1);

    edit("manager", a -> a.getSpec().setImage("ghcr.io/openclaw/openclaw:next"));
    awaitReady(client, TEAM, "manager", 2);

    edit("manager", a -> a.getSpec().setSuspend(true));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                agent("manager").getStatus().getPhase() == Phase.Suspended
                    && client.pods().inNamespace(TEAM).withName("manager").get() == null);

    // keeping tech-lead's claim after all: the operator removes the claim's owner reference
    edit("tech-lead", a -> a.getSpec().getState().setRetainOnDelete(true));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace(TEAM)
                    .withName("tech-lead-state")
                    .get()
                    .getMetadata()
                    .getOwnerReferences()
                    .isEmpty());

    client.resources(AtomizerAgent.class).inNamespace(TEAM).withName("tech-lead").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(TEAM).withName("tech-lead").get() == null);
    assertNotNull(
        client.persistentVolumeClaims().inNamespace(TEAM).withName("tech-lead-state").get(),
        "the kept claim stays");
  }

  private static void edit(String name, java.util.function.Consumer<AtomizerAgent> change) {
    AgentEdits.edit(client, TEAM, name, change);
  }

  private static AtomizerAgent agent(String name) {
    return client.resources(AtomizerAgent.class).inNamespace(TEAM).withName(name).get();
  }

  private static String leaseHolder() {
    var lease = client.leases().inNamespace(release.namespace()).withName(release.name()).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
