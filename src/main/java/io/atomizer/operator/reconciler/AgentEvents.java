package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.AtomizerAgentStatus.Phase;
import io.atomizer.operator.customresource.Conditions;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on an agent, only for transitions a person cares about: a pod replaced or
 * re-created, suspend and resume, and anything that starts to need a human (a crash loop, an OOM
 * kill, a duplicate or invalid token). Steady state produces none.
 */
public final class AgentEvents {

  private static final Logger log = LoggerFactory.getLogger(AgentEvents.class);

  /** One event to record. */
  public record Notice(String type, String reason, String message) {

    public Notice(EventReason reason, String message) {
      this(reason.type(), reason.reason(), message);
    }
  }

  private final Clock clock;

  public AgentEvents(Clock clock) {
    this.clock = clock;
  }

  /** The events the change from {@code before} to {@code after} deserves. */
  public static List<Notice> transitions(
      AtomizerAgentStatus before, AtomizerAgentStatus after, boolean podCreatedNow) {
    var notices = new ArrayList<Notice>();
    var readyBefore = reason(before, Conditions.READY);
    var readyAfter = reason(after, Conditions.READY);
    if (Conditions.REPLACING_POD.equals(readyAfter) && !readyAfter.equals(readyBefore)) {
      notices.add(new Notice(EventReason.REPLACING_POD, message(after, Conditions.READY)));
    }
    if (podCreatedNow && before != null && before.getPod() != null) {
      notices.add(
          new Notice(
              EventReason.POD_RECREATED,
              "Created pod " + after.getPod().getName() + " to replace the previous one."));
    }
    var phaseBefore = before == null ? null : before.getPhase();
    if (after.getPhase() == Phase.Suspended && phaseBefore != Phase.Suspended) {
      notices.add(new Notice(EventReason.SUSPENDED, message(after, Conditions.READY)));
    }
    if (phaseBefore == Phase.Suspended && after.getPhase() != Phase.Suspended) {
      notices.add(new Notice(EventReason.RESUMED, "spec.suspend is false; starting the agent."));
    }
    var stalledAfter =
        after.condition(Conditions.STALLED).filter(c -> "True".equals(c.getStatus()));
    if (stalledAfter.isPresent()
        && !Objects.equals(stalledAfter.get().getReason(), stalledReason(before))) {
      notices.add(
          new Notice("Warning", stalledAfter.get().getReason(), stalledAfter.get().getMessage()));
    }
    if (stalledReason(before) != null
        && stalledAfter.isEmpty()
        && Conditions.RUNNING.equals(readyAfter)) {
      notices.add(new Notice(EventReason.RECOVERED, message(after, Conditions.READY)));
    }
    return notices;
  }

  /** Records the notices on the agent; a failure to record is logged, never fatal. */
  public void record(KubernetesClient client, AtomizerAgent agent, List<Notice> notices) {
    for (var notice : notices) {
      var now = clock.instant();
      var meta = agent.getMetadata();
      var event =
          new EventBuilder()
              .withNewMetadata()
              .withName(
                  meta.getName()
                      + "."
                      + Long.toHexString(now.toEpochMilli() * 1000 + notices.indexOf(notice)))
              .withNamespace(meta.getNamespace())
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(agent.getApiVersion())
                      .withKind(agent.getKind())
                      .withName(meta.getName())
                      .withNamespace(meta.getNamespace())
                      .withUid(meta.getUid())
                      .withResourceVersion(meta.getResourceVersion())
                      .build())
              .withType(notice.type())
              .withReason(notice.reason())
              .withMessage(notice.message())
              .withNewSource()
              .withComponent("atomizer-operator")
              .endSource()
              .withReportingComponent("atomizer-operator")
              .withFirstTimestamp(now.toString())
              .withLastTimestamp(now.toString())
              .withCount(1)
              .build();
      try {
        client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
      } catch (KubernetesClientException e) {
        log.warn(
            "Could not record event {} on agent {}/{}: HTTP {}",
            notice.reason(),
            meta.getNamespace(),
            meta.getName(),
            e.getCode());
      }
    }
  }

  private static String reason(AtomizerAgentStatus status, String type) {
    return status == null ? null : status.condition(type).map(c -> c.getReason()).orElse(null);
  }

  private static String message(AtomizerAgentStatus status, String type) {
    return status.condition(type).map(c -> c.getMessage()).orElse("");
  }

  private static String stalledReason(AtomizerAgentStatus status) {
    return status == null
        ? null
        : status
            .condition(Conditions.STALLED)
            .filter(c -> "True".equals(c.getStatus()))
            .map(c -> c.getReason())
            .orElse(null);
  }
}
