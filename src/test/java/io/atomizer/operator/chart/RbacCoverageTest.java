package io.atomizer.operator.chart;

import static io.atomizer.operator.support.Agents.agent;
import static io.atomizer.operator.support.Agents.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.chart.RbacRules.Grant;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.playground.ApiCall;
import io.atomizer.operator.support.AgentEdits;
import io.atomizer.operator.support.Agents;
import io.atomizer.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC rules against what the operator really does. A realistic scenario (agents
 * created, changed, suspended and resumed, their claim ownership flipped, a missing Secret, a
 * missing workspaces claim, an agent deleted) runs the real operator against the recording mock API
 * server; every call it made must be allowed by the rendered rules, and every permission the rules
 * grant must have been used, except the Lease verbs of leader election. The default install watches
 * the release namespace only, with a Role there and no cluster-wide rights; {@code
 * watchAllNamespaces: true} gives the same rules in a ClusterRole.
 */
@Tag("mock")
class RbacCoverageTest {

  /** The watched namespaces of the namespaced scenario. */
  static final List<String> WATCHED = List.of("atomizer", "lab");

  static final String WATCH_ALL = "watchAllNamespaces: true\n";

  static List<ApiCall> clusterWideCalls;
  static List<ApiCall> namespacedCalls;

  @BeforeAll
  static void runScenarios() {
    clusterWideCalls = scenario(Map.of(), "team");
    namespacedCalls = scenario(Map.of("WATCH_NAMESPACES", String.join(",", WATCHED)), WATCHED);
  }

  @Test
  void everyCallOfTheOperatorIsAllowedByTheClusterRoleOfWatchAllNamespaces() {
    var rules = clusterRules(HelmChart.render(WATCH_ALL));
    var denied =
        clusterWideCalls.stream()
            .filter(c -> !rules.allows(c))
            .map(ApiCall::toString)
            .distinct()
            .toList();
    assertEquals(List.of(), denied, "calls the chart's ClusterRole does not allow");
  }

  @Test
  void clusterRoleGrantsNothingTheOperatorDidNotUse() {
    var rules = clusterRules(HelmChart.render(WATCH_ALL));
    var unused = new TreeSet<>(rules.grants());
    unused.removeAll(needed(clusterWideCalls));
    assertEquals(Set.of(), unused, "granted but never used:\n" + rules.describe());
  }

  @Test
  void rulesHaveNoWildcardsAndSecretsAreReadOnly() {
    var rules = clusterRules(HelmChart.render(WATCH_ALL));
    assertEquals(List.of(), rules.wildcards());
    var namespacedRules = new TreeSet<>(rules.grants());
    namespacedRules.remove(
        new Grant("", "nodes", "list")); // cluster-scoped: in its own ClusterRole
    assertEquals(namespacedRules, watchRole(HelmChart.render("")).grants(), "the same rules");
    var secretVerbs =
        rules.grants().stream()
            .filter(g -> g.group().isEmpty() && g.resource().equals("secrets"))
            .map(Grant::verb)
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    assertFalse(secretVerbs.isEmpty(), "the operator reads token Secrets");
    assertTrue(
        Set.of("get", "list", "watch").containsAll(secretVerbs), "read-only: " + secretVerbs);
  }

  @Test
  void defaultInstallWatchesTheReleaseNamespaceOnlyWithNoClusterWideSecretRights() {
    var objects = HelmChart.render("");
    // the only cluster-wide right: listing nodes, for the memory check (NodeMemoryFit)
    assertEquals(
        new TreeSet<>(List.of(new Grant("", "nodes", "list"))), clusterRules(objects).grants());
    var secretRights =
        objects.stream()
            .filter(o -> o.getMetadata().getNamespace() == null)
            .filter(o -> o instanceof ClusterRole)
            .flatMap(o -> ((ClusterRole) o).getRules().stream())
            .filter(r -> r.getResources().contains("secrets") || r.getResources().contains("*"))
            .toList();
    assertEquals(List.of(), secretRights, "cluster-wide Secret rights");
    var roles = HelmChart.ofType(objects, Role.class);
    assertEquals(1, roles.size(), "one Role: the watch Role, no Lease with one replica");
    assertEquals(HelmChart.NAMESPACE, roles.get(0).getMetadata().getNamespace());
    var bindings = HelmChart.ofType(objects, RoleBinding.class);
    assertEquals(1, bindings.size());
    assertEquals(HelmChart.NAMESPACE, bindings.get(0).getMetadata().getNamespace());
    assertEquals(roles.get(0).getMetadata().getName(), bindings.get(0).getRoleRef().getName());
    assertEquals(HelmChart.RELEASE, bindings.get(0).getSubjects().get(0).getName());
    var rules = new RbacRules(roles.get(0).getRules());
    var inReleaseNamespace =
        namespacedCalls.stream().filter(c -> c.namespace().equals(HelmChart.NAMESPACE)).toList();
    assertFalse(inReleaseNamespace.isEmpty(), "the scenario ran in the release namespace");
    var denied =
        inReleaseNamespace.stream()
            .filter(c -> !rules.allows(c))
            .map(ApiCall::toString)
            .distinct()
            .toList();
    assertEquals(List.of(), denied, "calls the default Role does not allow");
  }

  @Test
  void watchNamespacesGivesOneRolePerNamespaceAndNoClusterWideRightsButListingNodes() {
    var objects = HelmChart.render("watchNamespaces: [atomizer, lab]\n");
    // the memory check (NodeMemoryFit) reads the nodes' allocatable memory, and nothing else
    var nodeRules = clusterRules(objects);
    assertEquals(new TreeSet<>(List.of(new Grant("", "nodes", "list"))), nodeRules.grants());
    var roles = HelmChart.ofType(objects, Role.class);
    assertEquals(
        WATCHED.stream().sorted().toList(),
        roles.stream().map(r -> r.getMetadata().getNamespace()).sorted().toList());
    for (var binding : HelmChart.ofType(objects, RoleBinding.class)) {
      assertEquals("Role", binding.getRoleRef().getKind());
      assertEquals(HelmChart.RELEASE, binding.getSubjects().get(0).getName());
      assertEquals(HelmChart.NAMESPACE, binding.getSubjects().get(0).getNamespace());
    }
    var clusterScoped =
        namespacedCalls.stream()
            .filter(c -> c.namespace().isEmpty())
            .filter(c -> !nodeRules.allows(c))
            .map(Object::toString);
    assertEquals(List.of(), clusterScoped.toList(), "a namespaced operator calls nothing else");
    assertTrue(
        namespacedCalls.stream().anyMatch(nodeRules::allows), "listed nodes: the right is used");
    var denied = new ArrayList<String>();
    for (var call : namespacedCalls) {
      if (call.namespace().isEmpty() && nodeRules.allows(call)) {
        continue;
      }
      var role =
          roles.stream()
              .filter(r -> r.getMetadata().getNamespace().equals(call.namespace()))
              .findFirst();
      if (role.isEmpty() || !new RbacRules(role.get().getRules()).allows(call)) {
        denied.add(call.namespace() + ": " + call);
      }
    }
    assertEquals(
        List.of(),
        denied.stream().distinct().toList(),
        "calls no Role of the call's namespace allows");
  }

  @Test
  void leaderElectionAddsOnlyTheLeaseInTheReleaseNamespace() {
    var single = HelmChart.render("");
    assertEquals(
        List.of(HelmChart.RELEASE),
        HelmChart.ofType(single, Role.class).stream().map(r -> r.getMetadata().getName()).toList(),
        "no Lease rights with one replica");

    var objects = HelmChart.render("replicaCount: 2\n");
    var roles =
        HelmChart.ofType(objects, Role.class).stream()
            .filter(r -> !r.getMetadata().getName().equals(HelmChart.RELEASE))
            .toList();
    assertEquals(1, roles.size());
    var lease = roles.get(0);
    assertEquals(HelmChart.NAMESPACE, lease.getMetadata().getNamespace());
    var rules = new RbacRules(lease.getRules());
    assertEquals(
        new TreeSet<>(
            List.of(
                new Grant("coordination.k8s.io", "leases", "create"),
                new Grant("coordination.k8s.io", "leases", "get"),
                new Grant("coordination.k8s.io", "leases", "update"),
                // fabric8's elector renews with a merge patch (ChartRbacIT, real RBAC authorizer)
                new Grant("coordination.k8s.io", "leases", "patch"))),
        rules.grants());
    var leaseCall =
        new ApiCall(
            "update", "coordination.k8s.io", "leases", "", HelmChart.NAMESPACE, HelmChart.RELEASE);
    assertTrue(rules.allows(leaseCall), "the operator may renew its own Lease");
    var otherLease =
        new ApiCall("update", "coordination.k8s.io", "leases", "", HelmChart.NAMESPACE, "other");
    assertFalse(rules.allows(otherLease), "but no other Lease");
    // the watch Role is the same with or without leader election
    assertEquals(
        watchRole(single).grants(), watchRole(objects).grants(), "leader election changes nothing");
  }

  /** Prints the rendered default rules and the calls behind them, for the release notes. */
  @Test
  void printsTheRenderedRulesAndTheRecordedCalls() {
    var rules = watchRole(HelmChart.render(""));
    var used = new TreeSet<Grant>();
    clusterWideCalls.forEach(c -> used.add(RbacRules.grantFor(c)));
    System.out.println("Rendered default Role rules:\n" + rules.describe());
    System.out.println("Recorded operator calls (verb group/resource[/subresource]): " + used);
    assertTrue(!used.isEmpty());
  }

  /**
   * What the recorded calls need in production. The mock API server has no server-side apply, so
   * the scenario runs the operator without it; in production JOSDK creates the pod and the state
   * claim with an apply patch, which the API server authorizes as patch, and also as create when
   * the object does not exist yet. So a recorded create of a dependent also needs patch.
   */
  static Set<Grant> needed(List<ApiCall> calls) {
    var needed = new TreeSet<Grant>();
    for (var call : calls) {
      var grant = RbacRules.grantFor(call);
      needed.add(grant);
      if (grant.verb().equals("create")
          && Set.of("pods", "persistentvolumeclaims").contains(grant.resource())) {
        needed.add(new Grant(grant.group(), grant.resource(), "patch"));
      }
    }
    return needed;
  }

  private static RbacRules clusterRules(List<io.fabric8.kubernetes.api.model.HasMetadata> objects) {
    var roles = HelmChart.ofType(objects, ClusterRole.class);
    assertEquals(1, roles.size(), "one ClusterRole");
    var bindings = HelmChart.ofType(objects, ClusterRoleBinding.class);
    assertEquals(1, bindings.size());
    assertEquals(roles.get(0).getMetadata().getName(), bindings.get(0).getRoleRef().getName());
    return new RbacRules(roles.get(0).getRules());
  }

  /** The rules of the default install's Role in the release namespace (not the Lease's). */
  private static RbacRules watchRole(List<io.fabric8.kubernetes.api.model.HasMetadata> objects) {
    var role =
        HelmChart.ofType(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals(HelmChart.RELEASE))
            .filter(r -> r.getMetadata().getNamespace().equals(HelmChart.NAMESPACE))
            .findFirst();
    return new RbacRules(role.orElseThrow().getRules());
  }

  private static List<ApiCall> scenario(Map<String, String> env, String namespacePrefix) {
    return scenario(env, List.of(namespacePrefix + "-rbac-a", namespacePrefix + "-rbac-b"));
  }

  /** Runs the operator through every kind of work it does, in two namespaces; returns its calls. */
  private static List<ApiCall> scenario(Map<String, String> env, List<String> namespaces) {
    var config =
        OperatorConfig.from(
                new java.util.HashMap<>(
                    Map.of("ATOMIZER_RECHECK_SECONDS", "1", "ATOMIZER_DISCORD_VERIFY", "false")) {
                  {
                    putAll(env);
                  }
                },
                new String[0])
            .forMockServer();
    try (var harness = new OperatorHarness(config)) {
      for (var ns : namespaces) {
        harness
            .client()
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
        harness
            .client()
            .resource(
                Agents.tokens(
                    ns,
                    Map.of(
                        "MANAGER_TOKEN", token(ns + "-manager"),
                        "TECH_LEAD_TOKEN", token(ns + "-tech-lead"))))
            .create();
        harness.client().resource(Agents.workspaces(ns)).create();
      }
      var ns = namespaces.get(0);
      var other = namespaces.get(1);

      // created: a state claim and a pod each; tech-lead's claim is owned by the agent
      harness.create(agent(ns, "manager", "MANAGER_TOKEN"));
      var techLead = agent(ns, "tech-lead", "TECH_LEAD_TOKEN");
      techLead.getSpec().getState().setRetainOnDelete(false);
      harness.create(techLead);
      harness.create(agent(other, "manager", "MANAGER_TOKEN"));
      harness.awaitReady(ns, "manager");
      harness.awaitReady(ns, "tech-lead");
      harness.awaitReady(other, "manager");

      // a spec change replaces the pod
      edit(harness, ns, "manager", a -> a.getSpec().setImage("ghcr.io/openclaw/openclaw:next"));
      harness.awaitAgent(
          ns,
          "manager",
          a ->
              a.getStatus().getObservedGeneration() == 2L
                  && a.getStatus().condition("Ready").orElseThrow().getStatus().equals("True"));

      // suspend removes the pod, resume brings it back
      edit(harness, ns, "manager", a -> a.getSpec().setSuspend(true));
      harness.awaitAgent(ns, "manager", a -> a.getStatus().getPhase() == Phase.Suspended);
      await().atMost(Duration.ofSeconds(30)).until(() -> harness.pod(ns, "manager").isEmpty());
      edit(harness, ns, "manager", a -> a.getSpec().setSuspend(false));
      harness.awaitReady(ns, "manager");

      // keeping the claim after all: its owner reference is removed
      edit(harness, ns, "tech-lead", a -> a.getSpec().getState().setRetainOnDelete(true));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  harness
                      .stateClaim(ns, "tech-lead")
                      .orElseThrow()
                      .getMetadata()
                      .getOwnerReferences()
                      .isEmpty());

      // inputs that do not exist: a condition each, and a warning event
      var noSecret = agent(ns, "secretary", "SECRETARY_TOKEN");
      noSecret.getSpec().getToken().setSecretName("not-created-yet");
      harness.create(noSecret);
      harness.awaitCondition(ns, "secretary", "TokenReady", "False", "SecretNotFound");
      var noClaim = agent(other, "auditor", "TECH_LEAD_TOKEN");
      noClaim.getSpec().getWorkspaces().setClaimName("no-such-claim");
      harness.create(noClaim);
      harness.awaitCondition(other, "auditor", "StorageReady", "False", "WorkspaceClaimNotFound");

      // deleted: the pod goes with the agent, the kept claim stays
      harness.client().resources(AtomizerAgent.class).inNamespace(ns).withName("manager").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> harness.get(ns, "manager") == null);
      harness.client().pods().inNamespace(ns).withName("manager").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> harness.pod(ns, "manager").isEmpty());
      assertTrue(harness.stateClaim(ns, "manager").isPresent());

      return harness.cluster().operatorCalls();
    }
  }

  private static void edit(
      OperatorHarness harness, String ns, String name, Consumer<AtomizerAgent> change) {
    AgentEdits.edit(harness.client(), ns, name, change);
  }
}
