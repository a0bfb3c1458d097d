package io.atomizer.operator.status;

import io.atomizer.operator.customresource.PodFacts;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** What the status shows of the agent's pod beside PodHealthy: status.pod and the phase's input. */
public final class PodView {

  private PodView() {}

  /** Name, restarts and last termination of the agent container, or null without a pod. */
  public static PodFacts podFacts(Optional<Pod> maybePod) {
    return maybePod
        .map(
            pod -> {
              var status = agentContainer(pod);
              var last = status.flatMap(PodView::lastTermination);
              return new PodFacts(
                  pod.getMetadata().getName(),
                  status.map(ContainerStatus::getRestartCount).orElse(0),
                  last.map(ContainerStateTerminated::getReason).orElse(null),
                  last.map(ContainerStateTerminated::getFinishedAt).orElse(null),
                  last.map(ContainerStateTerminated::getExitCode).orElse(null));
            })
        .orElse(null);
  }

  /** Whether the pod runs its agent container (ready or not). */
  public static boolean isRunning(Optional<Pod> pod) {
    return pod.flatMap(PodView::agentContainer)
        .map(s -> s.getState() != null && s.getState().getRunning() != null)
        .orElse(false);
  }

  static Optional<ContainerStateTerminated> lastTermination(ContainerStatus status) {
    if (status.getState() != null && status.getState().getTerminated() != null) {
      return Optional.of(status.getState().getTerminated());
    }
    return Optional.ofNullable(status.getLastState()).map(s -> s.getTerminated());
  }

  static Optional<ContainerStatus> agentContainer(Pod pod) {
    return statuses(pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses())
        .stream()
        .filter(s -> AgentPodTemplate.CONTAINER.equals(s.getName()))
        .findFirst();
  }

  static List<ContainerStatus> statuses(List<ContainerStatus> statuses) {
    return statuses == null ? List.of() : statuses;
  }
}
