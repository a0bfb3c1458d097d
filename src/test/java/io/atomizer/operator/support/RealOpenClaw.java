package io.atomizer.operator.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real OpenClaw gateway, run on this host from the install that {@code e2e/install-openclaw.sh}
 * caches outside the repository, with its Discord plugin pointed at a {@link FakeDiscord} and its
 * admin HTTP RPC route enabled: the agent the real-agent tier tests against. Without an install
 * that can be had, tests skip loudly, or fail under CI=true.
 */
public final class RealOpenClaw implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private RealOpenClaw(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The install directory, installing it first if needed (the script is quick when cached). */
  public static Path install() {
    var script = Path.of("e2e/install-openclaw.sh").toAbsolutePath();
    try {
      var install = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      if (install.waitFor(15, TimeUnit.MINUTES) && install.exitValue() == 0) {
        var dir = new ProcessBuilder("bash", script.toString(), "--print-dir").start();
        var path = new String(dir.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (dir.waitFor() == 0 && Files.isDirectory(Path.of(path))) {
          return Path.of(path);
        }
      }
    } catch (IOException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    var why = "OpenClaw could not be installed by " + script + " (needs npm and the npm registry)";
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    System.err.println("!!!!! REAL-AGENT TESTS SKIPPED: " + why);
    Assumptions.abort(why);
    return null;
  }

  /**
   * Starts the gateway in {@code work} (state, cache, config and log live there) on a free loopback
   * port, with Discord at {@code discordApiUrl}. Returns at once; the gateway takes from 15 s to a
   * few minutes (on a loaded host) to listen.
   */
  public static RealOpenClaw start(
      Path install, Path work, String discordApiUrl, String botToken, String gatewayToken)
      throws IOException {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.createDirectories(work.resolve("state"));
    Files.createDirectories(work.resolve("cache"));
    var config = work.resolve("openclaw.json");
    Files.writeString(
        config,
        """
        {
          "gateway": { "mode": "local", "bind": "loopback", "port": %d,
                       "auth": { "mode": "token", "token": "${OPENCLAW_GATEWAY_TOKEN}" } },
          "channels": { "discord": { "enabled": true, "token": "${DISCORD_BOT_TOKEN}" } },
          "plugins": { "entries": { "discord": { "enabled": true },
                                    "admin-http-rpc": { "enabled": true } } }
        }
        """
            .formatted(port));
    var log = work.resolve("openclaw.log");
    var builder =
        new ProcessBuilder(
                install.resolve("node/bin/node").toString(),
                install.resolve("node_modules/openclaw/openclaw.mjs").toString(),
                "gateway",
                "--port",
                String.valueOf(port))
            .directory(install.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.put("HOME", work.toString());
    env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
    env.put("OPENCLAW_STATE_DIR", work.resolve("state").toString());
    env.put("OPENCLAW_CONFIG_PATH", config.toString());
    env.put("OPENCLAW_GATEWAY_TOKEN", gatewayToken);
    env.put("DISCORD_BOT_TOKEN", botToken);
    env.put("DISCORD_API_URL", discordApiUrl);
    env.put("PATH", install.resolve("node/bin") + ":" + System.getenv("PATH"));
    return new RealOpenClaw(builder.start(), port, log);
  }

  public int port() {
    return port;
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The gateway's output so far, for failure messages. */
  public String logTail() {
    try {
      var text = Files.readString(log);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
