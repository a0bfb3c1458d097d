package io.atomizer.operator.playground;

import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.playground.SimulatedNode.Behavior;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;

/** Pod statuses the way the kubelet reports each behaviour. */
final class SimulatedPodStatus {

  private SimulatedPodStatus() {}

  static void apply(PodStatus status, Behavior behavior, Pod pod, String now) {
    var image = pod.getSpec().getContainers().get(0).getImage();
    var conditions = new ArrayList<PodCondition>();
    status.setReason(null);
    status.setMessage(null);
    if (behavior == Behavior.UNSCHEDULABLE) {
      status.setPhase("Pending");
      conditions.add(
          condition(
              "PodScheduled",
              "False",
              "Unschedulable",
              "0/1 nodes are available: 1 Insufficient memory.",
              now));
      status.setConditions(conditions);
      status.setContainerStatuses(List.of());
      return;
    }
    boolean running = behavior == Behavior.READY || behavior == Behavior.NOT_READY;
    boolean ready = behavior == Behavior.READY;
    status.setPhase(
        running || behavior == Behavior.CRASH_LOOP || behavior == Behavior.OOM_KILLED
            ? "Running"
            : "Pending");
    status.setHostIP("10.0.0.1");
    status.setPodIP("10.42.0." + (Math.abs(pod.getMetadata().getName().hashCode()) % 250 + 2));
    status.setStartTime(now);
    conditions.add(condition("PodScheduled", "True", null, null, now));
    conditions.add(condition("Initialized", "True", null, null, now));
    conditions.add(condition("ContainersReady", ready ? "True" : "False", null, null, now));
    conditions.add(condition("Ready", ready ? "True" : "False", null, null, now));
    status.setConditions(conditions);
    status.setInitContainerStatuses(
        List.of(
            container(AgentPodTemplate.INIT_CONTAINER, image)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withReason("Completed")
                .withFinishedAt(now)
                .endTerminated()
                .endState()
                .withReady(true)
                .build()));
    var agent = container(AgentPodTemplate.CONTAINER, image).withReady(ready).withStarted(running);
    switch (behavior) {
      case READY, NOT_READY ->
          agent.withRestartCount(0).withNewState().withNewRunning(now).endState();
      case CRASH_LOOP ->
          agent
              .withRestartCount(5)
              .withNewState()
              .withNewWaiting()
              .withReason("CrashLoopBackOff")
              .withMessage("back-off 5m0s restarting failed container=agent")
              .endWaiting()
              .endState()
              .withNewLastState()
              .withNewTerminated()
              .withExitCode(1)
              .withReason("Error")
              .withFinishedAt(now)
              .endTerminated()
              .endLastState();
      case OOM_KILLED ->
          agent
              .withRestartCount(3)
              .withNewState()
              .withNewWaiting()
              .withReason("CrashLoopBackOff")
              .withMessage("back-off 2m40s restarting failed container=agent")
              .endWaiting()
              .endState()
              .withNewLastState()
              .withNewTerminated()
              .withExitCode(137)
              .withReason("OOMKilled")
              .withFinishedAt(now)
              .endTerminated()
              .endLastState();
      case IMAGE_PULL_BACK_OFF ->
          agent
              .withRestartCount(0)
              .withNewState()
              .withNewWaiting()
              .withReason("ImagePullBackOff")
              .withMessage("Back-off pulling image \"" + image + "\"")
              .endWaiting()
              .endState();
      case CONFIG_ERROR ->
          agent
              .withRestartCount(0)
              .withNewState()
              .withNewWaiting()
              .withReason("CreateContainerConfigError")
              .withMessage("couldn't find key in Secret")
              .endWaiting()
              .endState();
      default -> throw new IllegalStateException("unhandled " + behavior);
    }
    status.setContainerStatuses(List.of(agent.build()));
  }

  private static ContainerStatusBuilder container(String name, String image) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(image)
        .withContainerID("containerd://" + Integer.toHexString(name.hashCode()));
  }

  private static PodCondition condition(
      String type, String status, String reason, String message, String now) {
    var c = new PodCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastTransitionTime(now);
    return c;
  }
}
