package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;
import static io.atomizer.operator.status.ConditionValue.unknown;

import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.AgentPod;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** PodHealthy: how the kubelet's view of the agent's pod maps to a condition. */
public final class PodHealthy {

  private static final Set<String> IMAGE_PULL =
      Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull");
  private static final Set<String> CONFIG_ERROR =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  private PodHealthy() {}

  /** PodHealthy, one rule per kubelet state, first match wins. */
  public static ConditionValue decide(Optional<Pod> maybePod, boolean suspended) {
    if (maybePod.isEmpty()) {
      return suspended
          ? unknown(Conditions.SUSPENDED, "The agent is suspended; it has no pod.")
          : unknown(Conditions.NO_POD, "The agent has no pod yet.");
    }
    var pod = maybePod.get();
    var name = pod.getMetadata().getName();
    if (pod.isMarkedForDeletion()) {
      return isFalse(Conditions.TERMINATING, "Pod " + name + " is terminating.");
    }
    if (AgentPod.isFinished(pod)) {
      var why = Optional.ofNullable(pod.getStatus().getReason()).orElse(pod.getStatus().getPhase());
      return isFalse(
          Conditions.POD_FAILED,
          "Pod "
              + name
              + " ended ("
              + why
              + ": "
              + kubelet(pod.getStatus().getMessage())
              + "); the operator replaces it.");
    }
    var unschedulable =
        conditions(pod).stream()
            .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
            .filter(c -> "Unschedulable".equals(c.getReason()))
            .findFirst();
    if (unschedulable.isPresent()) {
      return isFalse(
          Conditions.UNSCHEDULABLE,
          "No node can run pod "
              + name
              + ": "
              + kubelet(unschedulable.get().getMessage())
              + " Free capacity, or adjust spec.resources.requests and spec.pod scheduling.");
    }
    for (var init :
        PodView.statuses(
            pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses())) {
      var broken = containerProblem(init, "init container " + init.getName() + " of pod " + name);
      if (broken.isPresent()) {
        return broken.get();
      }
    }
    var agent = PodView.agentContainer(pod);
    if (agent.isEmpty()) {
      return isFalse(Conditions.POD_PENDING, "Pod " + name + " is starting.");
    }
    var problem = containerProblem(agent.get(), "the agent container of pod " + name);
    if (problem.isPresent()) {
      return problem.get();
    }
    var state = agent.get().getState();
    if (state != null && state.getRunning() != null) {
      return Boolean.TRUE.equals(agent.get().getReady())
          ? isTrue(Conditions.RUNNING, "Pod " + name + " is running and ready.")
          : isFalse(
              Conditions.NOT_READY,
              "Pod "
                  + name
                  + " is running but not ready: the gateway's readiness probe fails"
                  + " (for example while the Discord account connects). Check kubectl logs "
                  + name
                  + ".");
    }
    return isFalse(Conditions.POD_PENDING, "Pod " + name + " is starting.");
  }

  private static Optional<ConditionValue> containerProblem(ContainerStatus status, String what) {
    var state = status.getState();
    var waiting = state == null ? null : state.getWaiting();
    var reason = waiting == null ? null : waiting.getReason();
    var last = PodView.lastTermination(status);
    if (reason != null && IMAGE_PULL.contains(reason)) {
      return Optional.of(
          isFalse(
              Conditions.IMAGE_PULL_BACK_OFF,
              "Cannot pull image "
                  + status.getImage()
                  + " for "
                  + what
                  + " ("
                  + reason
                  + ": "
                  + kubelet(waiting.getMessage())
                  + "). Check spec.image and"
                  + " spec.pod.imagePullSecrets."));
    }
    if (reason != null && CONFIG_ERROR.contains(reason)) {
      return Optional.of(
          isFalse(
              Conditions.CREATE_CONTAINER_CONFIG_ERROR,
              "The kubelet cannot configure "
                  + what
                  + ": "
                  + kubelet(waiting.getMessage())
                  + " Check the Secret key in spec.token and the ConfigMap in spec.config."));
    }
    var terminatedNow = state == null ? null : state.getTerminated();
    boolean oom =
        (terminatedNow != null && "OOMKilled".equals(terminatedNow.getReason()))
            || ("CrashLoopBackOff".equals(reason)
                && last.filter(t -> "OOMKilled".equals(t.getReason())).isPresent());
    if (oom) {
      return Optional.of(
          isFalse(
              Conditions.OOM_KILLED,
              what
                  + " was killed for exceeding its memory limit (restarted "
                  + status.getRestartCount()
                  + " times). Raise spec.resources.limits.memory;"
                  + " NODE_OPTIONS follows it."));
    }
    if ("CrashLoopBackOff".equals(reason)) {
      var exit = last.map(t -> " (last exit code " + t.getExitCode() + ")").orElse("");
      return Optional.of(
          isFalse(
              Conditions.CRASH_LOOP_BACK_OFF,
              what
                  + " keeps crashing"
                  + exit
                  + ", restarted "
                  + status.getRestartCount()
                  + " times. Check kubectl logs --previous, then fix the image or configuration."));
    }
    return Optional.empty();
  }

  private static List<io.fabric8.kubernetes.api.model.PodCondition> conditions(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? List.of()
        : pod.getStatus().getConditions();
  }

  private static String kubelet(String message) {
    return Conditions.brief(message);
  }
}
