package io.atomizer.operator.customresource;

/** The agent's directory in the workspaces volume: its INBOX, its shared context. */
public final class AgentDir {

  private AgentDir() {}

  /** spec.workspaces.agentDir, by default the agent's name. */
  public static String of(AtomizerAgent agent) {
    var dir = agent.getSpec().getWorkspaces().getAgentDir();
    return dir != null ? dir : agent.getMetadata().getName();
  }
}
