package io.atomizer.operator.e2e;

import static io.atomizer.operator.e2e.E2eSetup.awaitReady;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's least-privilege RBAC on a real RBAC authorizer, with the operator running as users
 * run it: the chart is installed on the real node ({@link RealNode}) with its default scope (the
 * release namespace only), two replicas (so with leader election and its Lease rules) and what a
 * user of this cluster sets ({@link ChartRelease#operatorValues}), and its Deployment's pods run
 * the operator's own image as the chart's ServiceAccount, through a scenario that uses every
 * permission. The API server's audit log must show no request of the ServiceAccount (read or write)
 * answered 403, and the ServiceAccount can read no Secret outside the release namespace. The agents
 * run the stand-in image ({@link RealNode#STANDIN_IMAGE}).
 */
@Tag(RealNode.TAG)
@Tag("image")
class ChartRbacIT {

  static final String INSTANCE = "app.kubernetes.io/instance";

  /** A namespace the default install does not watch. */
  static final String OTHER = "rbac-other";

  /** Where the agents live: the release namespace, the default install's only one. */
  static String team;

  static RealNode node;
  static KubernetesClient client;
  static ChartRelease release;

  @BeforeAll
  static void install() {
    node = RealNode.get();
    client = node.client();
    ChartRelease.importOperatorImage(node);
    release = new ChartRelease(node, "atomizer-operator-rbac", "atomizer-rbac").createNamespace();
    team = release.namespace();
    client
        .resource(
            Agents.tokens(
                team,
                Map.of(
                    "MANAGER_TOKEN", Agents.token("rbac-manager"),
                    "TECH_LEAD_TOKEN", Agents.token("rbac-tech-lead"))))
        .create();
    client.resource(Agents.workspaces(team)).create();
    release.install("replicaCount: 2\n" + ChartRelease.operatorValues(node, ""));
    var crd =
        node.kubectl()
            .run(
                "wait",
                "--for=condition=Established",
                "crd/atomizeragents.atomizer.io",
                "--timeout=60s");
    assertTrue(crd.ok(), crd.toString());
    release.awaitOperatorPodsReady(2);
  }

  @AfterAll
  static void uninstall() {
    if (release != null) {
      release.uninstallAndAwaitPodsGone();
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
    var pods = release.operatorPods().stream().map(p -> p.getMetadata().getName()).toList();
    scenario();
    var holder = leaseHolder();
    assertTrue(
        pods.contains(holder), "one of the chart's pods " + pods + " holds the Lease: " + holder);
    // a rollout to zero: the pods get SIGTERM, and the leader hands the Lease over as it stops
    var scaled =
        node.kubectl().run("scale", "-n", team, "deployment/" + release.name(), "--replicas=0");
    assertTrue(scaled.ok(), scaled.toString());
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client
                    .pods()
                    .inNamespace(team)
                    .withLabel(INSTANCE, release.name())
                    .list()
                    .getItems()
                    .isEmpty());
    assertEquals(null, leaseHolder(), "the Lease is handed over on stop");

    // the API server's own account of every request of the ServiceAccount: none refused
    var requests =
        AuditLog.read(node.auditLog()).stream()
            .filter(e -> e.user().equals(release.serviceAccountUser()))
            .toList();
    assertEquals(
        List.of(),
        requests.stream().filter(e -> e.code() == 403).map(Object::toString).toList(),
        "requests the chart's RBAC refused");
    var writes = requests.stream().filter(AuditLog.Event::isWrite).toList();
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
    var manager = Agents.agent(team, "manager", "MANAGER_TOKEN");
    manager.getMetadata().setGeneration(null);
    manager.getSpec().setImage(RealNode.STANDIN_IMAGE);
    client.resource(manager).create();
    var techLead = Agents.agent(team, "tech-lead", "TECH_LEAD_TOKEN");
    techLead.getMetadata().setGeneration(null);
    techLead.getSpec().setImage(RealNode.STANDIN_IMAGE);
    techLead.getSpec().getState().setRetainOnDelete(false);
    client.resource(techLead).create();
    awaitReady(client, team, "manager", 1);
    awaitReady(client, team, "tech-lead", 1);

    // a spec change that replaces the pod (the stand-in ignores the variable)
    edit("manager", a -> a.getSpec().setEnv(List.of(new EnvVar("E2E_CHANGE", "2", null))));
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
