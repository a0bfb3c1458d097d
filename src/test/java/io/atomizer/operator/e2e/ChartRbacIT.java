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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's least-privilege RBAC on a real RBAC authorizer: the chart is installed with its
 * default scope (the release namespace only) and two replicas (so with leader election and its
 * Lease rules), and the operator runs in this JVM as the chart's ServiceAccount (impersonated),
 * watching the release namespace as the Deployment tells it to, through a scenario that uses every
 * permission. The API server's audit log must show no request of the ServiceAccount answered 403,
 * and the ServiceAccount can read no Secret outside the release namespace.
 */
@Tag("apiserver")
class ChartRbacIT {

  /** A namespace the default install does not watch. */
  static final String OTHER = "rbac-other";

  /** Where the agents live: the release namespace, the default install's only one. */
  static String team;

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
    team = release.namespace();
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
    // each row: the can-i arguments, the answer the chart must give ("team" is the release ns)
    var expected =
        List.of(
            List.of("list atomizeragents.atomizer.io -n team", "yes"),
            List.of("watch atomizeragents.atomizer.io -n team", "yes"),
            List.of("patch atomizeragents.atomizer.io --subresource=status -n team", "yes"),
            List.of("list pods -n team", "yes"),
            List.of("watch pods -n team", "yes"),
            List.of("create pods -n team", "yes"),
            List.of("patch pods -n team", "yes"),
            List.of("delete pods -n team", "yes"),
            List.of("get persistentvolumeclaims -n team", "yes"),
            List.of("create persistentvolumeclaims -n team", "yes"),
            List.of("patch persistentvolumeclaims -n team", "yes"),
            List.of("list secrets -n team", "yes"),
            List.of("watch secrets -n team", "yes"),
            // the default install has no cluster-wide rights: nothing outside the release ns
            List.of("list secrets -A", "no"),
            List.of("watch secrets -A", "no"),
            List.of("list secrets -n " + OTHER, "no"),
            List.of("list atomizeragents.atomizer.io -A", "no"),
            List.of("list pods -A", "no"),
            List.of("create pods -n " + OTHER, "no"),
            List.of("get customresourcedefinitions.apiextensions.k8s.io", "no"),
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
            List.of("patch " + lease + " -n " + OTHER, "no"),
            // nodes: only listed, cluster-wide, for the memory-fit warning (InsufficientNodeMemory)
            List.of("list nodes", "yes"),
            List.of("get nodes", "no"),
            List.of("patch nodes", "no"),
            List.of("create deployments.apps -n team", "no"),
            List.of("* *", "no"));
    var wrong = new ArrayList<String>();
    for (var row : expected) {
      var answer = release.canI(row.get(0).replace("-n team", "-n " + team).split(" "));
      if (!answer.equals(row.get(1))) {
        wrong.add("can-i " + row.get(0) + ": " + answer + ", expected " + row.get(1));
      }
    }
    assertEquals(List.of(), wrong, "as " + release.serviceAccountUser());
  }

  @Test
  void operatorRunningAsTheChartsServiceAccountIsNeverForbidden() {
    client
        .resource(
            Agents.tokens(
                team,
                Map.of(
                    "MANAGER_TOKEN", Agents.token("rbac-manager"),
                    "TECH_LEAD_TOKEN", Agents.token("rbac-tech-lead"))))
        .create();
    client.resource(Agents.workspaces(team)).create();
    var refused = new CopyOnWriteArrayList<String>();
    try (var asServiceAccount = release.serviceAccountClient("rbac-e2e", refused)) {
      var operator =
          release.startOperator(
              asServiceAccount,
              Map.of("ATOMIZER_LEADER_ELECTION", "true", "WATCH_NAMESPACES", watched()));
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
    createAgent(client, team, "manager", "MANAGER_TOKEN");
    var techLead = Agents.agent(team, "tech-lead", "TECH_LEAD_TOKEN");
    techLead.getMetadata().setGeneration(null);
    techLead.getSpec().getState().setRetainOnDelete(false);
    client.resource(techLead).create();
    awaitReady(client, team, "manager", 1);
    awaitReady(client, team, "tech-lead", 1);

    edit("manager", a -> a.getSpec().setImage("ghcr.io/openclaw/openclaw:next"));
    awaitReady(client, team, "manager", 2);

    edit("manager", a -> a.getSpec().setSuspend(true));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                agent("manager").getStatus().getPhase() == Phase.Suspended
                    && client.pods().inNamespace(team).withName("manager").get() == null);

    // keeping tech-lead's claim after all: the operator removes the claim's owner reference
    edit("tech-lead", a -> a.getSpec().getState().setRetainOnDelete(true));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace(team)
                    .withName("tech-lead-state")
                    .get()
                    .getMetadata()
                    .getOwnerReferences()
                    .isEmpty());

    client.resources(AtomizerAgent.class).inNamespace(team).withName("tech-lead").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(team).withName("tech-lead").get() == null);
    assertNotNull(
        client.persistentVolumeClaims().inNamespace(team).withName("tech-lead-state").get(),
        "the kept claim stays");
  }

  /** WATCH_NAMESPACES as the chart's default Deployment sets it. */
  private static String watched() {
    var deployment =
        client.apps().deployments().inNamespace(release.namespace()).withName(release.name()).get();
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("WATCH_NAMESPACES"))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static void edit(String name, java.util.function.Consumer<AtomizerAgent> change) {
    AgentEdits.edit(client, team, name, change);
  }

  private static AtomizerAgent agent(String name) {
    return client.resources(AtomizerAgent.class).inNamespace(team).withName(name).get();
  }

  private static String leaseHolder() {
    var lease = client.leases().inNamespace(release.namespace()).withName(release.name()).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
