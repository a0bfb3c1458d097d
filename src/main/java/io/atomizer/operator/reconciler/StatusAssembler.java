package io.atomizer.operator.reconciler;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.inbox.InboxRules;
import io.atomizer.operator.plan.AgentPlan;
import io.atomizer.operator.status.ConditionSetter;
import io.atomizer.operator.status.ConditionValue;
import java.time.Instant;
import java.util.Optional;

/** Turns a plan and what was observed into the agent's status, condition by condition. */
public final class StatusAssembler {

  private StatusAssembler() {}

  public static AtomizerAgentStatus assemble(
      AtomizerAgent agent, AgentPlan plan, Observed observed, Instant now) {
    var previous = agent.getStatus();
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(agent.getMetadata().getGeneration());
    var conditions =
        new ConditionSetter(
            previous == null ? null : previous.getConditions(),
            agent.getMetadata().getGeneration() == null ? 0 : agent.getMetadata().getGeneration(),
            now);

    var podHealthy = PodRules.computePodHealthy(observed.pod(), plan.suspended());
    if (!plan.specValid()) {
      var ready = StatusRules.computeReady(agent, plan, null, null, podHealthy, observed);
      var stalled = StatusRules.computeStalled(ready);
      conditions
          .set(Conditions.READY, ready)
          .set(
              Conditions.RECONCILING,
              StatusRules.computeReconciling(ready, stalled, plan, observed))
          .set(Conditions.STALLED, stalled)
          .set(Conditions.POD_HEALTHY, podHealthy);
      status.setConditions(conditions.build());
      status.setPhase(
          StatusRules.computePhase(ready, stalled, ConditionValue.unknown("", ""), plan, false));
      status.setPod(PodRules.podFacts(observed.pod()));
      return status;
    }

    var tokenReady =
        TokenVerifiedRules.computeTokenReady(
            StatusRules.computeTokenReady(agent, plan.token()),
            agent,
            plan.fingerprint(),
            plan.verification());
    var storageReady = StatusRules.computeStorageReady(agent, plan, observed.statePvc());
    var discordConnected = DiscordConnected.decide(observed.discord());
    var ready =
        DiscordConnected.gate(
            StatusRules.computeReady(agent, plan, tokenReady, storageReady, podHealthy, observed),
            discordConnected);
    var stalled = StatusRules.computeStalled(ready);
    var reconciling = StatusRules.computeReconciling(ready, stalled, plan, observed);
    var inboxHealthy =
        InboxRules.computeInboxHealthy(
            agent.getSpec().getInbox(),
            observed.inbox(),
            previous == null ? Optional.empty() : previous.condition(Conditions.INBOX_HEALTHY),
            now);
    conditions
        .set(Conditions.READY, ready)
        .set(Conditions.RECONCILING, reconciling)
        .set(Conditions.STALLED, stalled)
        .set(Conditions.POD_HEALTHY, podHealthy)
        .set(Conditions.STORAGE_READY, storageReady)
        .set(Conditions.TOKEN_READY, tokenReady)
        .set(
            Conditions.TOKEN_VERIFIED,
            TokenVerifiedRules.computeTokenVerified(
                agent, plan.fingerprint(), plan.verification()));
    conditions.set(Conditions.INBOX_HEALTHY, inboxHealthy);
    conditions.set(Conditions.DISCORD_CONNECTED, discordConnected);
    status.setConditions(conditions.build());
    status.setPhase(
        StatusRules.computePhase(
            ready, stalled, inboxHealthy, plan, PodRules.isRunning(observed.pod())));
    status.setInbox(
        InboxRules.inboxStatus(observed.inbox(), previous == null ? null : previous.getInbox()));
    status.setPod(PodRules.podFacts(observed.pod()));
    status.setStateClaimName(StatePersistentVolumeClaim.nameFor(agent));
    status.setTokenFingerprint(plan.fingerprint());
    status.setDiscord(TokenVerifiedRules.identity(plan.verification()));
    return status;
  }
}
