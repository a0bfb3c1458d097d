package io.atomizer.operator.inbox;

/**
 * Scans one agent's INBOX. {@link InboxScanner} is the real one; tests supply slow or hung ones.
 */
@FunctionalInterface
public interface InboxScan {

  /**
   * Scans {@code <workspaces>/<agentDir>/INBOX}. Never throws for bad file-system content: every
   * problem is a snapshot state.
   *
   * @param agentDir the agent's directory, one path segment
   * @param cache verdicts remembered from this agent's previous scan, or null to read every file
   */
  InboxSnapshot scan(String agentDir, ValidityCache cache);
}
