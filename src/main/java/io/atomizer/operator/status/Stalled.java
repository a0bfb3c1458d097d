package io.atomizer.operator.status;

import static io.atomizer.operator.status.ConditionValue.isFalse;
import static io.atomizer.operator.status.ConditionValue.isTrue;

import io.atomizer.operator.customresource.Conditions;
import java.util.Set;

/** Stalled, as kstatus reads it: True exactly when progress needs a human. */
public final class Stalled {

  /** Reasons that need a human: Stalled=True, Reconciling=False while one of them holds. */
  private static final Set<String> NEEDS_A_HUMAN =
      Set.of(
          Conditions.INVALID_SPEC,
          Conditions.SECRET_NOT_FOUND,
          Conditions.KEY_NOT_FOUND,
          Conditions.MALFORMED_TOKEN,
          Conditions.DUPLICATE_TOKEN,
          Conditions.TOKEN_IN_ENV,
          Conditions.INVALID_TOKEN,
          Conditions.WORKSPACE_CLAIM_NOT_FOUND,
          Conditions.SKILLS_CLAIM_NOT_FOUND,
          Conditions.DUPLICATE_AGENT_DIR,
          Conditions.CLAIM_LOST,
          Conditions.IMAGE_PULL_BACK_OFF,
          Conditions.CREATE_CONTAINER_CONFIG_ERROR,
          Conditions.CRASH_LOOP_BACK_OFF,
          Conditions.OOM_KILLED,
          Conditions.PLUGIN_NOT_INSTALLED,
          Conditions.PLUGIN_NOT_LOADED,
          Conditions.DISCORD_NOT_CONFIGURED);

  /** Stalled: True exactly when Ready is held back by something only a human can fix. */
  public static ConditionValue decide(ConditionValue ready) {
    return !ready.holds() && needsAHuman(ready.reason())
        ? isTrue(ready.reason(), ready.message())
        : isFalse(Conditions.NOT_STALLED, "Nothing needs a human.");
  }

  /** Whether a condition with {@code reason} waits for a human to change something. */
  static boolean needsAHuman(String reason) {
    return NEEDS_A_HUMAN.contains(reason);
  }

  private Stalled() {}
}
