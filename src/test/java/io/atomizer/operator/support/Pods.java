package io.atomizer.operator.support;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.List;

/** Test fixtures: agent pods in the states the kubelet and scheduler report. */
public final class Pods {

  public static final String IMAGE = "ghcr.io/openclaw/openclaw:2026.8.1-slim";

  private Pods() {}

  /** A pod of agent {@code name} in phase {@code phase} with the given container statuses. */
  public static Pod pod(String name, String phase, ContainerStatus... agentContainer) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team")
        .addToLabels("atomizer.io/agent", name)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .withContainerStatuses(agentContainer)
        .endStatus()
        .build();
  }

  /** The agent container running; ready or not. */
  public static ContainerStatus running(boolean ready, int restarts) {
    return status("agent", new ContainerStateBuilder().withNewRunning().endRunning().build())
        .withReady(ready)
        .withRestartCount(restarts)
        .build();
  }

  /** A container waiting with the kubelet's {@code reason} and {@code message}. */
  public static ContainerStatus waiting(String container, String reason, String message) {
    return status(
            container,
            new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .build())
        .withReady(false)
        .withRestartCount(0)
        .build();
  }

  /** A container in CrashLoopBackOff after a termination with {@code lastReason}. */
  public static ContainerStatus crashLooping(
      String container, String lastReason, int exitCode, int restarts) {
    return new ContainerStatusBuilder(
            waiting(container, "CrashLoopBackOff", "back-off 5m0s restarting failed container"))
        .withLastState(terminated(lastReason, exitCode, "2026-01-01T10:00:00Z"))
        .withRestartCount(restarts)
        .build();
  }

  /** The agent container terminated just now with {@code reason}. */
  public static ContainerStatus terminatedNow(String reason, int exitCode, int restarts) {
    return status("agent", terminated(reason, exitCode, "2026-01-01T10:05:00Z"))
        .withReady(false)
        .withRestartCount(restarts)
        .build();
  }

  public static ContainerState terminated(String reason, int exitCode, String finishedAt) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withReason(reason)
        .withExitCode(exitCode)
        .withFinishedAt(finishedAt)
        .endTerminated()
        .build();
  }

  /** {@code pod} with the scheduler's PodScheduled=False/Unschedulable condition. */
  public static Pod unschedulable(Pod pod, String message) {
    pod.getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("False")
                    .withReason("Unschedulable")
                    .withMessage(message)
                    .build()));
    return pod;
  }

  /** {@code pod} with init container statuses. */
  public static Pod withInit(Pod pod, ContainerStatus... init) {
    pod.getStatus().setInitContainerStatuses(List.of(init));
    return pod;
  }

  /** {@code pod} marked for deletion, as during its grace period. */
  public static Pod terminating(Pod pod) {
    pod.getMetadata().setDeletionTimestamp("2026-01-01T10:10:00Z");
    return pod;
  }

  private static ContainerStatusBuilder status(String container, ContainerState state) {
    return new ContainerStatusBuilder().withName(container).withImage(IMAGE).withState(state);
  }
}
