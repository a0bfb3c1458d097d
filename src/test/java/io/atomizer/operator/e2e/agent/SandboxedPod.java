package io.atomizer.operator.e2e.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs a pod the operator generated the way a kubelet would, in {@code e2e/agent-image/sandbox.sh}
 * (the image's root filesystem, read-only when the container says so, its user and group, the pod's
 * volumes at their mount paths, only the container's environment over the image's). The init
 * containers run first, to completion; then the first container runs until {@link #stop}. Volumes
 * are folders under {@code dir}: a claim or emptyDir is an empty folder owned by the pod's fsGroup
 * (as the kubelet makes it), a ConfigMap a folder with its keys as files.
 */
public final class SandboxedPod implements AutoCloseable {

  private static final Path SANDBOX = Path.of("e2e/agent-image/sandbox.sh");

  private final Pod pod;
  private final Path rootfs;
  private final Path dir;
  private final Map<String, Path> volumes = new LinkedHashMap<>();
  private final BiFunction<String, String, String> secret;
  private final List<String> imageEnv;
  private final Map<String, String> extraEnv;
  private Process process;
  private Path log;

  /**
   * @param configMaps the ConfigMaps the pod's volumes name, by name
   * @param secret resolves a secretKeyRef (secret name, key) to its value
   * @param imageEnv the image config's Env, which the container's own env overrides
   * @param extraEnv what the test adds, such as the fake Discord's URL
   */
  public SandboxedPod(
      Pod pod,
      Path rootfs,
      Path dir,
      Map<String, ConfigMap> configMaps,
      BiFunction<String, String, String> secret,
      List<String> imageEnv,
      Map<String, String> extraEnv) {
    this.pod = pod;
    this.rootfs = rootfs;
    this.dir = dir;
    this.secret = secret;
    this.imageEnv = imageEnv;
    this.extraEnv = extraEnv;
    var fsGroup =
        Optional.ofNullable(pod.getSpec().getSecurityContext()).map(s -> s.getFsGroup()).orElse(0L);
    for (var volume : pod.getSpec().getVolumes()) {
      var folder = dir.resolve("volumes").resolve(volume.getName());
      try {
        Files.createDirectories(folder);
        if (volume.getConfigMap() != null) {
          var cm = configMaps.get(volume.getConfigMap().getName());
          if (cm == null) {
            throw new IllegalStateException("no ConfigMap " + volume.getConfigMap().getName());
          }
          for (var entry : cm.getData().entrySet()) {
            Files.writeString(folder.resolve(entry.getKey()), entry.getValue());
          }
        } else if (volume.getEmptyDir() != null) {
          Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
          chown(folder, 0L, fsGroup);
          Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxr-x"));
          Files.setAttribute(folder, "unix:mode", 02775);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      volumes.put(volume.getName(), folder);
    }
  }

  /** The host folder behind the pod's volume {@code name}. */
  public Path volume(String name) {
    return volumes.get(name);
  }

  /** Runs the init containers, then starts the first container; returns at once. */
  public void start() throws IOException, InterruptedException {
    log = dir.resolve("container.log");
    for (var init : pod.getSpec().getInitContainers()) {
      var p =
          new ProcessBuilder(command(init))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(init.getName() + ".log").toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "init container "
                + init.getName()
                + " failed: "
                + Files.readString(dir.resolve(init.getName() + ".log")));
      }
    }
    process =
        new ProcessBuilder(command(pod.getSpec().getContainers().get(0)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** Whether the container is still running, as the kubelet would see it (no exit, no restart). */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** The container's exit code; only after it exited. */
  public int exitCode() {
    return process.exitValue();
  }

  /** What the container wrote so far. */
  public String log() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /**
   * The resident memory of every process of the container, in bytes; pages several processes map
   * (Node's binary, shared libraries) count once per process, so this is an upper bound.
   */
  public long rssBytes() {
    if (process == null) {
      return 0;
    }
    return process.descendants().mapToLong(p -> ProcStatus.rssBytes(p.pid())).sum();
  }

  /** The Pss of every process of the container, in bytes: shared pages counted once. */
  public long pssBytes() {
    if (process == null) {
      return 0;
    }
    return process.descendants().mapToLong(p -> ProcStatus.pssBytes(p.pid())).sum();
  }

  /** The container's processes, as {@code pid command} lines (for the report). */
  public String processes() {
    if (process == null) {
      return "";
    }
    return process
        .descendants()
        .map(p -> p.pid() + " " + p.info().command().orElse("?"))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** SIGTERM to the container's PID 1, as the kubelet does; returns how long it took to exit. */
  public Duration stop(Duration grace) throws InterruptedException {
    var started = System.nanoTime();
    var pid1 =
        process
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("/tini")).orElse(false))
            .findFirst();
    pid1.ifPresent(ProcessHandle::destroy);
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      return grace.plusNanos(1);
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private List<String> command(Container c) {
    var cmd = new ArrayList<String>(List.of(SANDBOX.toAbsolutePath().toString()));
    cmd.addAll(List.of("--rootfs", rootfs.toString(), "--workdir", "/app"));
    var podSec = pod.getSpec().getSecurityContext();
    var sec = c.getSecurityContext();
    long uid =
        Optional.ofNullable(sec)
            .map(s -> s.getRunAsUser())
            .or(() -> Optional.ofNullable(podSec).map(s -> s.getRunAsUser()))
            .orElse(0L);
    long gid =
        Optional.ofNullable(sec)
            .map(s -> s.getRunAsGroup())
            .or(() -> Optional.ofNullable(podSec).map(s -> s.getRunAsGroup()))
            .orElse(0L);
    cmd.addAll(List.of("--user", uid + ":" + gid));
    if (sec != null && Boolean.TRUE.equals(sec.getReadOnlyRootFilesystem())) {
      cmd.add("--read-only");
    }
    for (var m : c.getVolumeMounts()) {
      var src = volumes.get(m.getName());
      if (m.getSubPath() != null) {
        src = src.resolve(m.getSubPath());
      }
      cmd.addAll(
          List.of(
              "--bind",
              src + ":" + m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : "")));
    }
    var env = new LinkedHashMap<String, String>();
    for (var e : imageEnv) {
      env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    for (var e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        env.put(e.getName(), secret.apply(ref.getName(), ref.getKey()));
      } else if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
      } else {
        throw new IllegalStateException("unsupported env source of " + e.getName());
      }
    }
    env.putAll(extraEnv);
    env.forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
    cmd.add("--");
    // The image's entrypoint (tini --) unless the container sets a command, then its args.
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      cmd.addAll(c.getCommand());
    } else {
      cmd.addAll(List.of("/usr/bin/tini", "--"));
    }
    cmd.addAll(Optional.ofNullable(c.getArgs()).orElse(List.of()));
    return cmd;
  }

  private static void chown(Path path, long uid, long gid) throws IOException {
    Files.setAttribute(path, "unix:uid", (int) uid);
    Files.setAttribute(path, "unix:gid", (int) gid);
  }
}
