package io.atomizer.operator.status;

import static io.atomizer.operator.support.Pods.crashLooping;
import static io.atomizer.operator.support.Pods.pod;
import static io.atomizer.operator.support.Pods.running;
import static io.atomizer.operator.support.Pods.terminatedNow;
import static io.atomizer.operator.support.Pods.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.customresource.PodFacts;
import io.atomizer.operator.support.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PodHealthy from the kubelet's view of the pod, one case per rule; and the pod facts. */
class PodHealthyTest {

  @Test
  void noPodWhileSuspendedIsUnknownSuspended() {
    var healthy = PodHealthy.decide(Optional.empty(), true);

    assertEquals("Unknown", healthy.status());
    assertEquals(Conditions.SUSPENDED, healthy.reason());
  }

  @Test
  void noPodYetIsUnknownNoPod() {
    var healthy = PodHealthy.decide(Optional.empty(), false);

    assertEquals("Unknown", healthy.status());
    assertEquals(Conditions.NO_POD, healthy.reason());
  }

  @Test
  void terminatingPodIsNotHealthyEvenIfItStillRuns() {
    var pod = Pods.terminating(pod("tech-lead", "Running", running(true, 0)));

    assertFalseWith(Conditions.TERMINATING, healthy(pod));
  }

  @Test
  void evictedPodHasFailedAndSaysWhy() {
    var pod = pod("tech-lead", "Failed");
    pod.getStatus().setReason("Evicted");
    pod.getStatus().setMessage("The node was low on resource: memory.");

    var healthy = healthy(pod);

    assertFalseWith(Conditions.POD_FAILED, healthy);
    assertTrue(healthy.message().contains("Evicted"), healthy.message());
    assertTrue(healthy.message().contains("low on resource: memory"), healthy.message());
  }

  @Test
  void succeededPodHasEndedToo() {
    assertFalseWith(
        Conditions.POD_FAILED,
        healthy(pod("tech-lead", "Succeeded", terminatedNow("Completed", 0, 0))));
  }

  @Test
  void unschedulablePodRelaysTheSchedulersMessage() {
    var pod =
        Pods.unschedulable(
            pod("tech-lead", "Pending"), "0/1 nodes are available: 1 Insufficient memory.");

    var healthy = healthy(pod);

    assertFalseWith(Conditions.UNSCHEDULABLE, healthy);
    assertTrue(healthy.message().contains("1 Insufficient memory"), healthy.message());
    assertTrue(healthy.message().contains("spec.resources"), healthy.message());
  }

  @Test
  void imagePullBackOffNamesTheImage() {
    var pod =
        pod(
            "tech-lead",
            "Pending",
            waiting("agent", "ImagePullBackOff", "Back-off pulling image \"" + Pods.IMAGE + "\""));

    var healthy = healthy(pod);

    assertFalseWith(Conditions.IMAGE_PULL_BACK_OFF, healthy);
    assertTrue(healthy.message().contains(Pods.IMAGE), healthy.message());
    assertTrue(healthy.message().contains("spec.image"), healthy.message());
  }

  @Test
  void errImagePullCountsAsImagePullBackOff() {
    var pod = pod("tech-lead", "Pending", waiting("agent", "ErrImagePull", "manifest unknown"));

    assertFalseWith(Conditions.IMAGE_PULL_BACK_OFF, healthy(pod));
  }

  @Test
  void imageMissingUnderPullPolicyNeverCountsAsImagePullBackOff() {
    // what the real kubelet reports for imagePullPolicy: Never and an image not on the node
    var pod =
        pod(
            "tech-lead",
            "Pending",
            waiting("agent", "ErrImageNeverPull", "image is not present with pull policy Never"));

    assertFalseWith(Conditions.IMAGE_PULL_BACK_OFF, healthy(pod));
  }

  @Test
  void createContainerConfigErrorRelaysTheMissingKey() {
    var message = "couldn't find key TECH_LEAD_TOKEN in Secret team/atomizer-discord-tokens";
    var pod = pod("tech-lead", "Pending", waiting("agent", "CreateContainerConfigError", message));

    var healthy = healthy(pod);

    assertFalseWith(Conditions.CREATE_CONTAINER_CONFIG_ERROR, healthy);
    assertTrue(healthy.message().contains(message), healthy.message());
  }

  @Test
  void crashLoopReportsExitCodeAndRestarts() {
    var pod = pod("tech-lead", "Running", crashLooping("agent", "Error", 1, 5));

    var healthy = healthy(pod);

    assertFalseWith(Conditions.CRASH_LOOP_BACK_OFF, healthy);
    assertTrue(healthy.message().contains("last exit code 1"), healthy.message());
    assertTrue(healthy.message().contains("restarted 5 times"), healthy.message());
  }

  @Test
  void containerKilledForMemoryJustNowIsOomKilled() {
    var pod = pod("tech-lead", "Running", terminatedNow("OOMKilled", 137, 1));

    var healthy = healthy(pod);

    assertFalseWith(Conditions.OOM_KILLED, healthy);
    assertTrue(healthy.message().contains("spec.resources.limits.memory"), healthy.message());
  }

  @Test
  void crashLoopAfterAnOomKillIsOomKilled() {
    var pod = pod("tech-lead", "Running", crashLooping("agent", "OOMKilled", 137, 4));

    assertFalseWith(Conditions.OOM_KILLED, healthy(pod));
  }

  @Test
  void runningAndReadyIsHealthy() {
    var healthy = healthy(pod("tech-lead", "Running", running(true, 0)));

    assertEquals("True", healthy.status());
    assertEquals(Conditions.RUNNING, healthy.reason());
  }

  @Test
  void runningAgainAfterAnEarlierOomKillIsHealthy() {
    var status = running(true, 1);
    status.setLastState(Pods.terminated("OOMKilled", 137, "2026-01-01T10:00:00Z"));

    assertEquals("True", healthy(pod("tech-lead", "Running", status)).status());
  }

  @Test
  void runningButNotReadyIsNotReady() {
    var healthy = healthy(pod("tech-lead", "Running", running(false, 0)));

    assertFalseWith(Conditions.NOT_READY, healthy);
    assertTrue(healthy.message().contains("readiness"), healthy.message());
  }

  @Test
  void crashLoopingInitContainerIsNamed() {
    var pod =
        Pods.withInit(
            pod("tech-lead", "Pending", waiting("agent", "PodInitializing", null)),
            crashLooping("prepare-workspace", "Error", 1, 3));

    var healthy = healthy(pod);

    assertFalseWith(Conditions.CRASH_LOOP_BACK_OFF, healthy);
    assertTrue(healthy.message().contains("init container prepare-workspace"), healthy.message());
  }

  @Test
  void containerBeingCreatedIsStarting() {
    var pod = pod("tech-lead", "Pending", waiting("agent", "ContainerCreating", null));

    assertFalseWith(Conditions.POD_PENDING, healthy(pod));
  }

  @Test
  void podWithoutContainerStatusesIsStarting() {
    assertFalseWith(Conditions.POD_PENDING, healthy(pod("tech-lead", "Pending")));
  }

  @Test
  void longKubeletMessagesAreShortenedToOneLine() {
    var longMessage = "failed to pull\nand unpack image: " + "x".repeat(2000);
    var pod = pod("tech-lead", "Pending", waiting("agent", "ErrImagePull", longMessage));

    var message = healthy(pod).message();

    assertTrue(message.length() < 600, "message of " + message.length() + " characters");
    assertFalse(message.contains("\n"));
    assertTrue(message.contains("failed to pull and unpack image"), message);
    assertTrue(message.contains("…"), message);
  }

  @Test
  void noPodHasNoFacts() {
    assertNull(PodView.podFacts(Optional.empty()));
  }

  @Test
  void factsGiveRestartsAndTheLastTermination() {
    var pod = pod("tech-lead", "Running", crashLooping("agent", "OOMKilled", 137, 4));

    assertEquals(
        new PodFacts("tech-lead", 4, "OOMKilled", "2026-01-01T10:00:00Z", 137),
        PodView.podFacts(Optional.of(pod)));
  }

  @Test
  void factsPreferATerminationHappeningNow() {
    var status = terminatedNow("Error", 2, 3);
    status.setLastState(Pods.terminated("OOMKilled", 137, "2026-01-01T10:00:00Z"));

    var facts = PodView.podFacts(Optional.of(pod("tech-lead", "Running", status)));

    assertEquals("Error", facts.getLastTerminationReason());
    assertEquals("2026-01-01T10:05:00Z", facts.getLastTerminationTime());
    assertEquals(2, facts.getLastExitCode());
  }

  @Test
  void factsOfAFreshPodHaveNoRestartsAndNoTermination() {
    assertEquals(
        new PodFacts("tech-lead", 0, null, null, null),
        PodView.podFacts(Optional.of(pod("tech-lead", "Pending"))));
  }

  private static ConditionValue healthy(Pod pod) {
    return PodHealthy.decide(Optional.of(pod), false);
  }

  private static void assertFalseWith(String reason, ConditionValue value) {
    assertEquals("False", value.status(), value.toString());
    assertEquals(reason, value.reason(), value.message());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1} {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    // pod,              status,   reason
    "none,               Unknown,  NoPod",
    "noneSuspended,      Unknown,  Suspended",
    "terminating,        False,    Terminating",
    "evicted,            False,    PodFailed",
    "unschedulable,      False,    Unschedulable",
    "imagePullBackOff,   False,    ImagePullBackOff",
    "errImageNeverPull,  False,    ImagePullBackOff",
    "configError,        False,    CreateContainerConfigError",
    "crashLoop,          False,    CrashLoopBackOff",
    "oomKilled,          False,    OOMKilled",
    "crashLoopAfterOom,  False,    OOMKilled",
    "notReady,           False,    NotReady",
    "starting,           False,    PodPending",
    "ready,              True,     Running",
  })
  void decides(String kind, String status, String reason) {
    var value = PodHealthy.decide(Optional.ofNullable(table(kind)), kind.equals("noneSuspended"));

    assertEquals(status, value.status(), value.message());
    assertEquals(reason, value.reason());
  }

  private static io.fabric8.kubernetes.api.model.Pod table(String kind) {
    return switch (kind) {
      case "none", "noneSuspended" -> null;
      case "terminating" -> Pods.terminating(pod("tech-lead", "Running", running(true, 0)));
      case "evicted" -> pod("tech-lead", "Failed");
      case "unschedulable" -> Pods.unschedulable(pod("tech-lead", "Pending"), "0/1 nodes.");
      case "imagePullBackOff" ->
          pod("tech-lead", "Pending", waiting("agent", "ImagePullBackOff", "x"));
      case "errImageNeverPull" ->
          pod("tech-lead", "Pending", waiting("agent", "ErrImageNeverPull", "x"));
      case "configError" ->
          pod("tech-lead", "Pending", waiting("agent", "CreateContainerConfigError", "x"));
      case "crashLoop" -> pod("tech-lead", "Running", crashLooping("agent", "Error", 1, 5));
      case "oomKilled" -> pod("tech-lead", "Running", terminatedNow("OOMKilled", 137, 1));
      case "crashLoopAfterOom" ->
          pod("tech-lead", "Running", crashLooping("agent", "OOMKilled", 137, 4));
      case "notReady" -> pod("tech-lead", "Running", running(false, 0));
      case "starting" -> pod("tech-lead", "Pending");
      case "ready" -> pod("tech-lead", "Running", running(true, 0));
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
