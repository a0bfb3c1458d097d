package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Watches a namespace's agents and notes the moment the last of them reports Ready=True. */
final class ReadyWatch implements AutoCloseable {

  private final int expected;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Instant> allReady = new CompletableFuture<>();
  private final SharedIndexInformer<AtomizerAgent> informer;
  private final Map<String, AtomizerAgentStatus> last = new ConcurrentHashMap<>();
  private final Map<String, Integer> changes = new ConcurrentHashMap<>();

  ReadyWatch(KubernetesClient client, String namespace, int expected) {
    this.expected = expected;
    this.informer =
        client
            .resources(AtomizerAgent.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(AtomizerAgent agent) {
                    seen(agent);
                  }

                  @Override
                  public void onUpdate(AtomizerAgent old, AtomizerAgent agent) {
                    seen(agent);
                  }

                  @Override
                  public void onDelete(AtomizerAgent agent, boolean unknown) {}
                });
  }

  static boolean isReady(AtomizerAgent agent) {
    return agent.getStatus() != null
        && agent
            .getStatus()
            .condition("Ready")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false);
  }

  private void seen(AtomizerAgent agent) {
    if (agent.getStatus() != null) {
      var before = last.put(agent.getMetadata().getName(), agent.getStatus());
      if (!agent.getStatus().equals(before)) {
        changes.merge(change(before, agent.getStatus()), 1, Integer::sum);
      }
    }
    if (isReady(agent)) {
      ready.add(agent.getMetadata().getName());
      if (ready.size() >= expected) {
        allReady.complete(Instant.now());
      }
    }
  }

  /**
   * What each status write changed, for example "Ready=False/PodPending, StorageReady=True/Bound"
   * (conditions whose status or reason changed; "other fields" when none did), with how often.
   */
  Map<String, Integer> statusChanges() {
    return new TreeMap<>(changes);
  }

  private static String change(AtomizerAgentStatus before, AtomizerAgentStatus after) {
    var changed = new ArrayList<String>();
    for (var c : after.getConditions()) {
      var old = before == null ? Optional.<Condition>empty() : before.condition(c.getType());
      boolean differs =
          old.isEmpty()
              || !Objects.equals(old.get().getStatus(), c.getStatus())
              || !Objects.equals(old.get().getReason(), c.getReason());
      if (differs && (before != null || SHOWN_FIRST.contains(c.getType()))) {
        changed.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason());
      }
    }
    if (before == null) {
      return "first status: " + String.join(", ", changed);
    }
    return changed.isEmpty()
        ? "other fields: " + otherFields(before, after)
        : String.join(", ", changed);
  }

  /** Which fields changed when no condition's status or reason did: messages, phase, pod, ... */
  private static String otherFields(AtomizerAgentStatus before, AtomizerAgentStatus after) {
    var changed = new ArrayList<String>();
    for (var c : after.getConditions()) {
      var old = before.condition(c.getType());
      if (old.isEmpty() || !Objects.equals(old.get().getMessage(), c.getMessage())) {
        changed.add(c.getType() + ".message");
      } else if (!Objects.equals(old.get().getLastTransitionTime(), c.getLastTransitionTime())
          || !Objects.equals(old.get().getObservedGeneration(), c.getObservedGeneration())) {
        changed.add(c.getType() + ".time/generation");
      }
    }
    if (before.getConditions().size() != after.getConditions().size()) {
      changed.add("conditions");
    }
    var fields =
        Map.<String, java.util.function.Function<AtomizerAgentStatus, Object>>of(
            "phase", AtomizerAgentStatus::getPhase,
            "pod", AtomizerAgentStatus::getPod,
            "discord", AtomizerAgentStatus::getDiscord,
            "inbox", AtomizerAgentStatus::getInbox,
            "stateClaimName", AtomizerAgentStatus::getStateClaimName,
            "tokenFingerprint", AtomizerAgentStatus::getTokenFingerprint,
            "observedGeneration", AtomizerAgentStatus::getObservedGeneration);
    new TreeMap<>(fields)
        .forEach(
            (name, get) -> {
              if (!Objects.equals(get.apply(before), get.apply(after))) {
                changed.add(name);
              }
            });
    return String.join(", ", changed);
  }

  private static final Set<String> SHOWN_FIRST =
      Set.of("Ready", "PodHealthy", "StorageReady", "InboxHealthy");

  int readyCount() {
    return ready.size();
  }

  /** When the last agent became Ready; throws with the count reached after {@code timeout}. */
  Instant awaitAll(Duration timeout) throws Exception {
    try {
      return allReady.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "only " + ready.size() + " of " + expected + " agents Ready after " + timeout, e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
