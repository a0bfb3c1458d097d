package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.token.Tokens;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's single pod, named after the agent so that the API server itself refuses a second one.
 * Pods are immutable where it matters, so a pod whose spec hash differs from the desired one is
 * deleted, and its replacement created only after the old pod is gone, Terminating included.
 * Creation goes through {@link Tokens#createExclusively}, so that no two pods carry the same token.
 */
public final class AgentPod extends CRUDKubernetesDependentResource<Pod, AtomizerAgent>
    implements SecondaryToPrimaryMapper<Pod> {

  private static final Logger log = LoggerFactory.getLogger(AgentPod.class);

  /** The pod informer's index by uid: whether the informer itself has seen a pod. */
  static final String PODS_BY_UID = "atomizer.io/pods-by-uid";

  /** Where a reconcile keeps the desired pod it built (see the static {@code desired}). */
  private static final String DESIRED = AgentPod.class.getName() + ".desired";

  private final Tokens tokens;

  public AgentPod(Tokens tokens) {
    super(Pod.class, "agent-pod");
    this.tokens = tokens;
    configureWith(
        new KubernetesDependentResourceConfigBuilder<Pod>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(Pod.class)
                    .withLabelSelector(Labels.MANAGED_SELECTOR)
                    .build())
            .build());
  }

  @Override
  protected Pod desired(AtomizerAgent agent, Context<AtomizerAgent> context) {
    return desired(agent, AgentPlan.of(context).fingerprint(), context);
  }

  /**
   * The desired pod for {@code agent} with {@code fingerprint}, built once per reconcile: the match
   * of the workflow and the observation after it ask for the same pod, and building it (its spec
   * hash serializes the whole pod) was the reconcile's largest cost at N=1000.
   */
  public static Pod desired(
      AtomizerAgent agent, String fingerprint, Context<AtomizerAgent> context) {
    var store = context.managedWorkflowAndDependentResourceContext();
    var built = store.get(DESIRED, Pod.class);
    if (built.isPresent() && Objects.equals(Labels.fingerprintOf(built.get()), fingerprint)) {
      return built.get();
    }
    var pod = AgentPodTemplate.build(agent, fingerprint);
    store.put(DESIRED, pod);
    return pod;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    return ResourceID.fromResource(agent);
  }

  /** A pod matches when it is alive and was built from the same spec and token. */
  @Override
  public Result<Pod> match(Pod actual, AtomizerAgent agent, Context<AtomizerAgent> context) {
    var desired = desired(agent, context);
    return Result.computed(isCurrent(actual, desired), desired);
  }

  public static boolean isCurrent(Pod actual, Pod desired) {
    return !actual.isMarkedForDeletion()
        && !isFinished(actual)
        && Objects.equals(hashOf(actual), hashOf(desired));
  }

  public static boolean isFinished(Pod pod) {
    var phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** Replacing a pod is deleting it; the next reconcile after it is gone creates the new one. */
  @Override
  protected Pod handleUpdate(
      Pod actual, Pod desired, AtomizerAgent agent, Context<AtomizerAgent> context) {
    handleDelete(agent, actual, context);
    return actual;
  }

  @Override
  protected void handleDelete(AtomizerAgent agent, Pod pod, Context<AtomizerAgent> context) {
    if (pod != null && !pod.isMarkedForDeletion()) {
      context.getClient().resource(pod).delete();
    }
  }

  /** Creates nothing (null) when another agent's pod took the token since the plan was made. */
  @Override
  protected Pod handleCreate(Pod desired, AtomizerAgent agent, Context<AtomizerAgent> context) {
    return tokens.createExclusively(
        Labels.fingerprintOf(desired),
        agent,
        context,
        () -> super.handleCreate(desired, agent, context));
  }

  @Override
  protected InformerEventSource<Pod, AtomizerAgent> createEventSource(
      EventSourceContext<AtomizerAgent> context) {
    var source = super.createEventSource(context);
    tokens.watchPods(source);
    source.addIndexers(Map.of(PODS_BY_UID, p -> List.of(p.getMetadata().getUid())));
    return source;
  }

  /** A pod event concerns its agent, and every agent waiting for the token it carries. */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
    var agents = new HashSet<ResourceID>();
    var owner = Labels.agentOf(pod);
    if (owner != null) {
      agents.add(owner);
    }
    var fingerprint = Labels.fingerprintOf(pod);
    if (fingerprint != null) {
      agents.addAll(tokens.agentsWith(fingerprint));
    }
    return agents;
  }

  /**
   * Forgets {@code cached} when the server has no pod of the agent with its uid any more. A pod the
   * operator created stays in JOSDK's temporary cache until the pod informer reports it; created
   * and deleted while the informer listed afresh after its watch expired (410 Gone), it is never
   * reported, and the agent would wait for it forever. Forgetting it reconciles the agent again.
   * Only such a pod is looked up on the server: one the informer has seen, it also sees go.
   *
   * @return whether the pod was gone
   */
  public boolean forgetIfGone(Pod cached, Context<AtomizerAgent> context) {
    var meta = cached.getMetadata();
    if (informerHas(meta.getUid())) {
      return false; // the informer reports its deletion, by watch or when it lists afresh
    }
    var live =
        context
            .getClient()
            .pods()
            .inNamespace(meta.getNamespace())
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .withLabel(Labels.AGENT, meta.getName())
            .list()
            .getItems();
    if (live.stream().anyMatch(p -> meta.getUid().equals(p.getMetadata().getUid()))) {
      return false;
    }
    log.info(
        "Pod {}/{} (uid {}) is gone, but no event said so; forgetting it",
        meta.getNamespace(),
        meta.getName(),
        meta.getUid());
    eventSource().ifPresent(source -> source.onDelete(cached, true));
    return true;
  }

  /** The agent's pod as the pod informer caches it, for readers outside a reconcile. */
  public Optional<Pod> cached(ResourceID agent) {
    return eventSource().flatMap(source -> source.get(agent));
  }

  /**
   * Whether the pod informer itself (not only JOSDK's cache of what it created) has the pod: a
   * lookup in its uid index, not a walk over every pod of the namespace on each reconcile.
   */
  private boolean informerHas(String uid) {
    return eventSource().map(source -> !source.byIndex(PODS_BY_UID, uid).isEmpty()).orElse(false);
  }

  private static String hashOf(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Labels.SPEC_HASH);
  }
}
