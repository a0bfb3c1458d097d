package io.atomizer.operator.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Request paths reduced to what RBAC sees: verb, group, resource, subresource. */
class ApiCallTest {

  @Test
  void coreNamespacedGet() {
    assertEquals(
        new ApiCall("get", "", "pods", "", "team", "tech-lead"),
        ApiCall.parse("GET", "/api/v1/namespaces/team/pods/tech-lead"));
  }

  @Test
  void coreNamespacedList() {
    assertEquals(
        new ApiCall("list", "", "persistentvolumeclaims", "", "team", ""),
        ApiCall.parse("GET", "/api/v1/namespaces/team/persistentvolumeclaims?labelSelector=a%3Db"));
  }

  @Test
  void listAcrossAllNamespaces() {
    assertEquals(
        new ApiCall("list", "", "secrets", "", "", ""),
        ApiCall.parse("GET", "/api/v1/secrets?fieldSelector=type%3DOpaque"));
  }

  @Test
  void watchIsToldByItsQuery() {
    assertEquals(
        new ApiCall("watch", "", "pods", "", "team", ""),
        ApiCall.parse(
            "GET",
            "/api/v1/namespaces/team/pods?allowWatchBookmarks=true&resourceVersion=12&watch=true"));
    assertEquals(
        "list",
        ApiCall.parse("GET", "/api/v1/namespaces/team/pods?allowWatchBookmarks=true").verb());
  }

  @Test
  void groupResourceWithStatusSubresource() {
    assertEquals(
        new ApiCall("patch", "atomizer.io", "atomizeragents", "status", "team", "tech-lead"),
        ApiCall.parse(
            "PATCH", "/apis/atomizer.io/v1alpha1/namespaces/team/atomizeragents/tech-lead/status"));
  }

  @Test
  void groupResourceUpdate() {
    assertEquals(
        new ApiCall("update", "coordination.k8s.io", "leases", "", "ops", "atomizer-operator"),
        ApiCall.parse(
            "PUT", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/atomizer-operator"));
  }

  @Test
  void clusterScopedGroupResource() {
    assertEquals(
        new ApiCall(
            "get",
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            "",
            "",
            "atomizeragents.atomizer.io"),
        ApiCall.parse(
            "GET",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/atomizeragents.atomizer.io"));
  }

  @Test
  void clusterScopedCoreResource() {
    assertEquals(
        new ApiCall("get", "", "nodes", "", "", "t420"),
        ApiCall.parse("GET", "/api/v1/nodes/t420"));
  }

  @Test
  void namespaceItselfIsAClusterScopedObject() {
    assertEquals(
        new ApiCall("get", "", "namespaces", "", "", "team"),
        ApiCall.parse("GET", "/api/v1/namespaces/team"));
    assertEquals(
        new ApiCall("list", "", "namespaces", "", "", ""),
        ApiCall.parse("GET", "/api/v1/namespaces"));
  }

  @Test
  void namespaceStatusIsASubresourceOfTheNamespace() {
    assertEquals(
        new ApiCall("update", "", "namespaces", "finalize", "", "team"),
        ApiCall.parse("PUT", "/api/v1/namespaces/team/finalize"));
    assertEquals(
        new ApiCall("get", "", "namespaces", "status", "", "team"),
        ApiCall.parse("GET", "/api/v1/namespaces/team/status"));
  }

  @Test
  void podSubresources() {
    assertEquals(
        new ApiCall("create", "", "pods", "eviction", "team", "tech-lead"),
        ApiCall.parse("POST", "/api/v1/namespaces/team/pods/tech-lead/eviction"));
  }

  @Test
  void createIsAPostToTheCollection() {
    assertEquals(
        new ApiCall("create", "", "events", "", "team", ""),
        ApiCall.parse("POST", "/api/v1/namespaces/team/events"));
  }

  @Test
  void deleteOfOneObjectVersusTheCollection() {
    assertEquals(
        "delete", ApiCall.parse("DELETE", "/api/v1/namespaces/team/pods/tech-lead").verb());
    assertEquals(
        "deletecollection",
        ApiCall.parse("DELETE", "/api/v1/namespaces/team/pods?labelSelector=x").verb());
  }

  @Test
  void writesAreTheVerbsThatChangeState() {
    for (var verb : new String[] {"create", "update", "patch", "delete", "deletecollection"}) {
      assertTrue(new ApiCall(verb, "", "pods", "", "team", "p").isWrite(), verb);
    }
    for (var verb : new String[] {"get", "list", "watch"}) {
      assertFalse(new ApiCall(verb, "", "pods", "", "team", "p").isWrite(), verb);
    }
  }

  @Test
  void nonResourcePathsAreNotApiCalls() {
    assertNull(ApiCall.parse("GET", "/version"));
    assertNull(ApiCall.parse("GET", "/healthz"));
    assertNull(ApiCall.parse("GET", "/apis/atomizer.io"));
    assertNull(ApiCall.parse("GET", "/api/v1"));
  }

  @Test
  void printsLikeAnRbacRule() {
    assertEquals(
        "patch atomizer.io/atomizeragents/status team/tech-lead",
        ApiCall.parse(
                "PATCH",
                "/apis/atomizer.io/v1alpha1/namespaces/team/atomizeragents/tech-lead/status")
            .toString());
  }
}
