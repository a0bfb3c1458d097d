package io.atomizer.operator.status;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.customresource.Conditions;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.inbox.InboxRules;
import io.atomizer.operator.plan.AgentPlan;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a plan and what was observed into the agent's status. Each condition is decided once, by
 * the class named after it, and every condition is always present: one that cannot be decided while
 * the spec is invalid is Unknown with reason InvalidSpec.
 */
public final class StatusAssembler {

  private StatusAssembler() {}

  public static AtomizerAgentStatus assemble(
      AtomizerAgent agent, AgentPlan plan, Observed observed, Instant now) {
    var previous = Optional.ofNullable(agent.getStatus());
    var valid = plan.specValid();
    var tokenReady = TokenReady.decide(agent, plan.token(), plan.verification());
    var tokenVerified = TokenVerified.decide(agent, plan.token(), plan.verification());
    var storageReady =
        valid ? StorageReady.decide(agent, plan, observed.statePvc()) : ConditionValue.undecided();
    var podHealthy = PodHealthy.decide(observed.pod(), plan.suspended());
    var discordConnected =
        valid ? DiscordConnected.decide(observed.discord()) : ConditionValue.undecided();
    var inboxHealthy =
        valid
            ? InboxHealthy.decide(
                agent.getSpec().getInbox(),
                observed.inbox(),
                previous.flatMap(p -> p.condition(Conditions.INBOX_HEALTHY)),
                now)
            : ConditionValue.undecided();
    var ready =
        Ready.decide(plan, tokenReady, storageReady, podHealthy, discordConnected, observed);
    var stalled = Stalled.decide(ready);
    var reconciling =
        Reconciling.decide(ready, stalled, plan.suspended(), observed.pod().isPresent());

    var generation = agent.getMetadata().getGeneration();
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(generation);
    status.setConditions(
        new ConditionSetter(
                previous.map(AtomizerAgentStatus::getConditions).orElse(null),
                generation == null ? 0 : generation,
                now)
            .set(Conditions.READY, ready)
            .set(Conditions.RECONCILING, reconciling)
            .set(Conditions.STALLED, stalled)
            .set(Conditions.POD_HEALTHY, podHealthy)
            .set(Conditions.STORAGE_READY, storageReady)
            .set(Conditions.TOKEN_READY, tokenReady)
            .set(Conditions.TOKEN_VERIFIED, tokenVerified)
            .set(Conditions.INBOX_HEALTHY, inboxHealthy)
            .set(Conditions.DISCORD_CONNECTED, discordConnected)
            .build());
    var running = PodView.isRunning(observed.pod());
    status.setPhase(AgentPhase.decide(ready, stalled, inboxHealthy, plan.suspended(), running));
    status.setPod(PodView.podFacts(observed.pod()));
    if (valid) {
      var inbox =
          InboxRules.inboxStatus(observed.inbox(), previous.map(p -> p.getInbox()).orElse(null));
      status.setInbox(inbox);
      status.setStateClaimName(StatePersistentVolumeClaim.nameFor(agent));
      status.setTokenFingerprint(plan.fingerprint());
      status.setDiscord(TokenVerified.identity(plan.verification()));
    }
    return status;
  }
}
