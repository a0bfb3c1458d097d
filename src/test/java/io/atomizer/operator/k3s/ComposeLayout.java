package io.atomizer.operator.k3s;

import io.atomizer.operator.support.Agents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fake ~/atomizer compose layout as the team's pivot document describes it: docker-compose.yml
 * with the eight agents (an x-agent-base anchor, DISCORD_TOKEN=${AGENT_TOKEN}, ./instances/agent
 * mounted at /root/.openclaw), a .env with made-up tokens, each agent's private state and the
 * shared workspaces with technical-lead/ for tech-lead.
 */
public final class ComposeLayout {

  public static final List<String> AGENTS = Agents.TEAM;

  public final Path dir;

  /** Token key to a made-up token value, one per agent, none of which may ever be printed. */
  public final Map<String, String> tokens = new LinkedHashMap<>();

  public ComposeLayout(Path dir) {
    this.dir = dir;
  }

  public static String tokenKey(String agent) {
    return agent.toUpperCase().replace('-', '_') + "_TOKEN";
  }

  /** The pivot document's layout under {@code dir}, compose file as written there. */
  public static ComposeLayout pivotDocument(Path dir) {
    var layout = new ComposeLayout(dir);
    var compose = new StringBuilder();
    compose.append(
        """
        services:
          # Base template for all agents
          x-agent-base: &agent-base
            image: openclaw/openclaw:latest
            restart: unless-stopped
            volumes:
              - ./workspaces:/app/workspaces
              - ./skills:/app/skills
        """);
    for (var agent : AGENTS) {
      compose.append(
          """

            %s:
              <<: *agent-base
              container_name: atom-%s
              environment:
                - DISCORD_TOKEN=${%s}
              volumes:
                - ./instances/%s:/root/.openclaw
          """
              .formatted(agent, agent, tokenKey(agent), agent));
    }
    layout.write("docker-compose.yml", compose.toString());
    layout.populate();
    return layout;
  }

  /** Fills .env, instances/ and workspaces/ for the eight agents. */
  ComposeLayout populate() {
    var env = new StringBuilder("# Discord bot tokens, one per agent\n");
    for (var agent : AGENTS) {
      var token = "tok." + Integer.toHexString(agent.hashCode()) + ".Xy_" + agent.length() + "z";
      tokens.put(tokenKey(agent), token);
      env.append(tokenKey(agent)).append('=').append(token).append('\n');
      write("instances/" + agent + "/memory.sqlite", "state of " + agent);
      var workspace = agent.equals("tech-lead") ? "technical-lead" : agent;
      write("workspaces/" + workspace + "/MEMORY.md", "# " + agent);
    }
    env.append("UNRELATED_API_KEY=not-for-the-agents\n");
    write(".env", env.toString());
    write("workspaces/shared_context/PROJECT_STATUS.md", "# status");
    write("skills/fs-watcher/SKILL.md", "# watcher");
    return this;
  }

  ComposeLayout write(String relative, String content) {
    try {
      var file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path(String relative) {
    return dir.resolve(relative).toAbsolutePath().normalize();
  }

  /** Every file under the layout with its SHA-256, to prove a run changed nothing on disk. */
  public Map<String, String> fingerprint() {
    try (Stream<Path> files = Files.walk(dir)) {
      var out = new TreeMap<String, String>();
      for (var file : files.filter(Files::isRegularFile).toList()) {
        var digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        out.put(dir.relativize(file).toString(), HexFormat.of().formatHex(digest));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
