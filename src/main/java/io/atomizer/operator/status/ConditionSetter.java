package io.atomizer.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a status's condition list from the previous one. A condition keeps its lastTransitionTime
 * unless its status changes, as the Kubernetes API conventions require.
 */
public final class ConditionSetter {

  private final List<Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> result = new ArrayList<>();

  public ConditionSetter(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public ConditionSetter set(String type, ConditionValue value) {
    var old = previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    var transition =
        old != null && Objects.equals(old.getStatus(), value.status())
            ? old.getLastTransitionTime()
            : now.toString();
    result.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value.status())
            .withReason(value.reason())
            .withMessage(value.message())
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(result);
  }
}
