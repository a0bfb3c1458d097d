package io.atomizer.operator.k3s;

import io.atomizer.operator.support.Agents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake T420 as the team really runs it: one systemd unit per OpenClaw gateway
 * (openclaw-gateway-&lt;agent&gt;.service), one EnvironmentFile ~/atomizer/.env with the eight
 * Discord tokens and the gateway token, each agent's state in ~/.openclaw-&lt;agent&gt; with its
 * openclaw.json, and the shared ~/atomizer/workspaces. The units vary the way hand-written units
 * do: the manager finds its state through --profile, the webster has its gateway token written into
 * its config, the others read it through ${GATEWAY_TOKEN}.
 *
 * <p>Also a {@code systemctl} stand-in that records its calls and keeps each unit's active and
 * enabled state in files, and a {@code kubectl} stand-in for runs without an API server: the CRD
 * exists, nothing else does, created objects are kept as files.
 */
public final class SystemdLayout {

  public static final List<String> AGENTS = Agents.TEAM;
  public static final String GATEWAY_TOKEN = "gw.0123456789abcdef.shared";
  static final String WEBSTER_GATEWAY_TOKEN = "gw.literal.in.websters.config";

  final Path root;
  public final Path home;
  public final Path units;
  final Path bin;
  final Path state;
  final Path log;
  final Path objects;

  /** Token key to a made-up token value, none of which may ever be printed. */
  public final Map<String, String> tokens = new LinkedHashMap<>();

  SystemdLayout(Path root) {
    this.root = root;
    this.home = root.resolve("home/antoine");
    this.units = root.resolve("etc/systemd/system");
    this.bin = root.resolve("bin");
    this.state = root.resolve("systemd-state");
    this.log = root.resolve("calls.log");
    this.objects = root.resolve("created");
  }

  public static String unit(String agent) {
    return "openclaw-gateway-" + agent + ".service";
  }

  /** The eight units, their files, and stand-ins with every unit active and enabled. */
  public static SystemdLayout team(Path root) {
    var layout = new SystemdLayout(root);
    var env = new StringBuilder("# the T420's tokens, read by every unit\n");
    for (var agent : AGENTS) {
      var token = "sd." + Integer.toHexString(agent.hashCode()) + ".Qw_" + agent.length() + "k";
      layout.tokens.put(ComposeLayout.tokenKey(agent), token);
      env.append(ComposeLayout.tokenKey(agent)).append('=').append(token).append('\n');
    }
    env.append("GATEWAY_TOKEN=\"").append(GATEWAY_TOKEN).append("\"\n");
    env.append("ANTHROPIC_API_KEY=sk-ant-made-up\n");
    layout.write(layout.home.resolve("atomizer/.env"), env.toString());
    for (var agent : AGENTS) {
      var stateDir = layout.stateDir(agent);
      var gatewayToken =
          agent.equals("webster")
              ? WEBSTER_GATEWAY_TOKEN
              : "${GATEWAY_TOKEN}"; // as onboard wrote it
      layout.write(
          stateDir.resolve("openclaw.json"),
          """
          {
            // written by openclaw onboard
            "gateway": {
              "mode": "local",
              "port": %d,
              "auth": { "mode": "token", "token": "%s" }
            },
            "channels": {
              "discord": { "enabled": true, "token": "${%s}" }
            }
          }
          """
              .formatted(
                  18789 + AGENTS.indexOf(agent), gatewayToken, ComposeLayout.tokenKey(agent)));
      layout.write(stateDir.resolve("memory.sqlite"), "state of " + agent);
      var workspace = agent.equals("tech-lead") ? "technical-lead" : agent;
      layout.write(layout.home.resolve("atomizer/workspaces/" + workspace + "/MEMORY.md"), agent);
      var stateLine =
          agent.equals("manager")
              ? ""
              : "Environment=\"OPENCLAW_STATE_DIR=" + stateDir + "\" LOG_LEVEL=info\n";
      layout.write(
          layout.units.resolve(unit(agent)),
          """
          [Unit]
          Description=OpenClaw gateway: %s
          After=network-online.target

          [Service]
          Type=simple
          User=antoine
          WorkingDirectory=%s
          Environment=HOME=%s
          EnvironmentFile=%s
          %sExecStart=/usr/bin/node /opt/openclaw/openclaw.mjs gateway \\
              --port %d%s
          Restart=always

          [Install]
          WantedBy=multi-user.target
          """
              .formatted(
                  agent,
                  layout.home.resolve("atomizer"),
                  layout.home,
                  layout.home.resolve("atomizer/.env"),
                  stateLine,
                  18789 + AGENTS.indexOf(agent),
                  agent.equals("manager") ? " --profile manager" : ""));
      layout.set(unit(agent), "active", "enabled");
    }
    layout.write(layout.units.resolve("ssh.service"), "[Service]\nExecStart=/usr/sbin/sshd -D\n");
    layout.write(layout.home.resolve("atomizer/workspaces/shared_context/PROJECT_STATUS.md"), "#");
    layout.writeStandIns();
    for (var agent : AGENTS) {
      // the unit's user (uid 1000, as OpenClaw's) owns the state; the study-builder's another uid
      var owner = agent.equals("study-builder") ? 1001 : 1000;
      layout.chown(layout.stateDir(agent), owner);
    }
    return layout;
  }

  public Path stateDir(String agent) {
    return home.resolve(".openclaw-" + agent);
  }

  /** Sets a unit's state as the systemctl stand-in reports it. */
  void set(String unit, String active, String enabled) {
    write(state.resolve(unit + ".active"), active + "\n");
    write(state.resolve(unit + ".enabled"), enabled + "\n");
  }

  public String activeState(String unit) {
    return read(state.resolve(unit + ".active")).strip();
  }

  public String enabledState(String unit) {
    return read(state.resolve(unit + ".enabled")).strip();
  }

  /** Every call of the stand-ins, in order: "systemctl ..." and "kubectl ..." lines. */
  public List<String> calls() {
    return Files.exists(log) ? read(log).lines().toList() : List.of();
  }

  public void chown(Path dir, int uid) {
    try (var files = Files.walk(dir)) {
      for (var file : files.toList()) {
        Files.setAttribute(file, "unix:uid", uid);
        Files.setAttribute(file, "unix:gid", uid);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A docker stand-in: `ps` lists {@code running}; compose calls are recorded. */
  Path docker(String... running) {
    var file = bin.resolve("docker");
    executable(
        file,
        """
        #!/bin/sh
        echo "docker $*" >> '%s'
        [ "$1" = ps ] && printf '%s'
        exit 0
        """
            .formatted(log, String.join("\\n", running) + (running.length > 0 ? "\\n" : "")));
    return file;
  }

  void writeStandIns() {
    executable(
        bin.resolve("systemctl"),
        """
        #!/bin/sh
        # systemctl stand-in: records the call; state in STATE/<unit>.active and .enabled
        STATE='%s'
        echo "systemctl $*" >> '%s'
        cmd=$1; shift
        now=0
        if [ "$1" = --now ]; then now=1; shift; fi
        rc=3
        for u in "$@"; do
          case $cmd in
            is-active) s=$(cat "$STATE/$u.active" 2>/dev/null || echo inactive); echo "$s"
                       [ "$s" = active ] && rc=0 ;;
            is-enabled) s=$(cat "$STATE/$u.enabled" 2>/dev/null || echo disabled); echo "$s"
                        [ "$s" = enabled ] && rc=0 ;;
            disable) echo disabled > "$STATE/$u.enabled"
                     [ $now = 1 ] && echo inactive > "$STATE/$u.active"; rc=0 ;;
            enable) echo enabled > "$STATE/$u.enabled"
                    [ $now = 1 ] && echo active > "$STATE/$u.active"; rc=0 ;;
            *) echo "systemctl stand-in: $cmd not supported" >&2; exit 1 ;;
          esac
        done
        exit $rc
        """
            .formatted(state, log));
    executable(
        bin.resolve("kubectl"),
        """
        #!/bin/sh
        # kubectl stand-in: the CRD exists, nothing else; created objects are kept as files
        echo "kubectl $*" >> '%s'
        mkdir -p '%s'
        case "$1 $2" in
          "get crd") echo customresourcedefinition.apiextensions.k8s.io/$3 ;;
          "create -f") cat > "$(mktemp '%s/object.XXXXXX')"; echo created ;;
        esac
        exit 0
        """
            .formatted(log, objects, objects));
  }

  /** The objects the kubectl stand-in received with create -f, as YAML documents. */
  List<String> createdObjects() {
    if (!Files.isDirectory(objects)) {
      return List.of();
    }
    try (var files = Files.list(objects)) {
      return files.map(this::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PATH with the stand-ins first. */
  public String path() {
    return bin + ":" + System.getenv("PATH");
  }

  void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void executable(Path file, String content) {
    write(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
