package io.atomizer.operator.customresource;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/**
 * The OpenClaw gateway process and its probes. By default the container runs {@code node
 * /app/openclaw.mjs gateway --bind lan --port &lt;port&gt;} under the image's tini entrypoint; the
 * gateway must bind beyond loopback for the kubelet's probes to reach it.
 */
public class GatewaySpec {

  public static final int DEFAULT_PORT = 18789;

  /** Port the gateway listens on and the probes use. */
  @Default("18789")
  @Min(1)
  @Max(65535)
  private Integer port = DEFAULT_PORT;

  /** Replaces the image's entrypoint. Leave unset to keep tini as PID 1. */
  private List<String> command;

  /** Replaces the default gateway arguments described above. */
  private List<String> args;

  /** Liveness probe; default GET /healthz every 30s, 3 failures. */
  private ProbeSpec liveness;

  /**
   * Readiness probe; default GET /readyz every 10s. /readyz includes the health of the Discord
   * account, so an agent is Ready only once its bot is online.
   */
  private ProbeSpec readiness;

  /**
   * Startup probe; default GET /startupz every 10s for up to 5 minutes. /startupz exists from
   * OpenClaw 2026.8.1; disable it for older images.
   */
  private ProbeSpec startup;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public ProbeSpec getLiveness() {
    return liveness;
  }

  public void setLiveness(ProbeSpec liveness) {
    this.liveness = liveness;
  }

  public ProbeSpec getReadiness() {
    return readiness;
  }

  public void setReadiness(ProbeSpec readiness) {
    this.readiness = readiness;
  }

  public ProbeSpec getStartup() {
    return startup;
  }

  public void setStartup(ProbeSpec startup) {
    this.startup = startup;
  }
}
