package io.atomizer.operator.status;

import io.atomizer.operator.agentstatus.DiscordStatus;
import io.atomizer.operator.inbox.InboxSnapshot;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * What the operator saw of the agent's objects after the workflow ran.
 *
 * @param statePvc the agent's state claim
 * @param pod the agent's pod
 * @param podCurrent whether the pod was built from the current spec and token
 * @param error a failure of the last attempt to create or change an object, or null
 * @param inbox the latest scan of the agent's INBOX, or null before the first one
 * @param discord the latest poll of the agent's own Discord status, or null before the first one
 */
public record Observed(
    Optional<PersistentVolumeClaim> statePvc,
    Optional<Pod> pod,
    boolean podCurrent,
    String error,
    InboxSnapshot inbox,
    DiscordStatus discord) {

  public static Observed nothing() {
    return new Observed(Optional.empty(), Optional.empty(), false, null, null, null);
  }
}
