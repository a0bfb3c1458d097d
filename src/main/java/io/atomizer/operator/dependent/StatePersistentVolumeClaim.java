package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The agent's private state claim, {@code <agent>-state}. It is created once and never deleted by
 * the operator. Only its ownership follows the spec: with state.retainOnDelete=false it carries an
 * owner reference to the agent, so the garbage collector removes it together with the agent;
 * otherwise it carries none and outlives the agent, to be re-attached by an agent of the same name.
 * Its size and class are fixed at creation, as claims are immutable there.
 */
public final class StatePersistentVolumeClaim
    extends KubernetesDependentResource<PersistentVolumeClaim, AtomizerAgent>
    implements Creator<PersistentVolumeClaim, AtomizerAgent>,
        Updater<PersistentVolumeClaim, AtomizerAgent>,
        SecondaryToPrimaryMapper<PersistentVolumeClaim> {

  public StatePersistentVolumeClaim() {
    super(PersistentVolumeClaim.class, "state-pvc");
    configureWith(
        new KubernetesDependentResourceConfigBuilder<PersistentVolumeClaim>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(PersistentVolumeClaim.class)
                    .withLabelSelector(Labels.MANAGED_SELECTOR)
                    .build())
            .build());
  }

  public static String nameFor(AtomizerAgent agent) {
    return agent.getMetadata().getName() + "-state";
  }

  @Override
  protected PersistentVolumeClaim desired(AtomizerAgent agent, Context<AtomizerAgent> context) {
    return build(agent);
  }

  /** The claim the agent's spec asks for, owned by the agent unless it keeps its state. */
  public static PersistentVolumeClaim build(AtomizerAgent agent) {
    var state = agent.getSpec().getState();
    var pvc =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(nameFor(agent))
            .withNamespace(agent.getMetadata().getNamespace())
            .withLabels(Labels.of(agent, "state"))
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(state.getStorageClassName())
            .withNewResources()
            .addToRequests("storage", new Quantity(state.getSize()))
            .endResources()
            .endSpec()
            .build();
    if (!state.retained()) {
      pvc.addOwnerReference(agent);
    }
    return pvc;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      AtomizerAgent agent, Context<AtomizerAgent> context) {
    return new ResourceID(nameFor(agent), agent.getMetadata().getNamespace());
  }

  /**
   * Only ownership is compared: everything else about a claim is immutable or the user's. A claim
   * on its way out is left alone: it is not adopted, and a new one is created once it is gone.
   */
  @Override
  public Result<PersistentVolumeClaim> match(
      PersistentVolumeClaim actual, AtomizerAgent agent, Context<AtomizerAgent> context) {
    var desired = desired(agent, context);
    return Result.computed(
        onItsWayOut(actual, agent) || Objects.equals(ownerUids(actual), ownerUids(desired)),
        desired);
  }

  /**
   * The claim is being deleted, or belongs to an earlier agent of the same name that was deleted
   * with state.retainOnDelete=false (its owner reference names another uid), so the garbage
   * collector is about to remove it. Adopting such a claim would race the garbage collector and
   * could hand the agent a claim that disappears under it; the data was meant to go with the agent
   * that owned it.
   */
  public static boolean onItsWayOut(PersistentVolumeClaim pvc, AtomizerAgent agent) {
    var uid = agent.getMetadata().getUid();
    return pvc.isMarkedForDeletion()
        || agentOwners(pvc).anyMatch(owner -> !Objects.equals(owner.getUid(), uid));
  }

  /** Replaces the claim's agent owner references, keeping any other owners it may have. */
  @Override
  public PersistentVolumeClaim update(
      PersistentVolumeClaim actual,
      PersistentVolumeClaim desired,
      AtomizerAgent agent,
      Context<AtomizerAgent> context) {
    return context
        .getClient()
        .resource(actual)
        .edit(
            pvc -> {
              var owners =
                  Stream.concat(
                          pvc.getMetadata().getOwnerReferences().stream()
                              .filter(o -> !isAgentOwner(o)),
                          agentOwners(desired))
                      .toList();
              pvc.getMetadata().setOwnerReferences(owners);
              return pvc;
            });
  }

  /** Ownership is decided in desired(); claims are mapped to agents by label, not annotation. */
  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, AtomizerAgent agent) {}

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(PersistentVolumeClaim pvc) {
    var agent = Labels.agentOf(pvc);
    return agent == null ? Set.of() : Set.of(agent);
  }

  private static Stream<OwnerReference> agentOwners(PersistentVolumeClaim pvc) {
    List<OwnerReference> owners = pvc.getMetadata().getOwnerReferences();
    return owners == null
        ? Stream.empty()
        : owners.stream().filter(StatePersistentVolumeClaim::isAgentOwner);
  }

  private static List<String> ownerUids(PersistentVolumeClaim pvc) {
    return agentOwners(pvc).map(OwnerReference::getUid).sorted().toList();
  }

  private static boolean isAgentOwner(OwnerReference owner) {
    return "AtomizerAgent".equals(owner.getKind())
        && owner.getApiVersion() != null
        && owner.getApiVersion().startsWith(AtomizerAgent.GROUP + "/");
  }
}
