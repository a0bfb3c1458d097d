package io.atomizer.operator.reconciler;

import io.atomizer.operator.token.VerifierSettings;
import java.time.Duration;

/**
 * What the reconciler takes from the operator's configuration (see {@code OperatorConfig}, which
 * builds it).
 *
 * @param secretFieldSelector which Secrets are cached, as a field selector; blank for all
 * @param secretLabelSelector which Secrets are cached, as a label selector; blank for all
 * @param recheckInterval how often an agent waiting on something the operator does not watch is
 *     looked at again
 * @param maxReconcileInterval the longest wait the reconciler asks for before an agent's next
 *     reconcile (JOSDK's own timer applies it when the reconciler asks for none)
 * @param workspacesRoot where the operator sees the workspaces volume, to scan INBOXes
 * @param inboxInterval how often each agent's INBOX is scanned
 * @param discordStatusInterval how often an agent's own Discord status is read; zero turns it off
 * @param verifier how tokens are verified with Discord
 */
public record ReconcilerSettings(
    String secretFieldSelector,
    String secretLabelSelector,
    Duration recheckInterval,
    Duration maxReconcileInterval,
    String workspacesRoot,
    Duration inboxInterval,
    Duration discordStatusInterval,
    VerifierSettings verifier) {}
