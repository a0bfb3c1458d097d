package io.atomizer.operator.e2e;

import io.atomizer.operator.customresource.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A TCP forwarder from 127.0.0.1:{@code port} in an agent pod's own network namespace to {@code
 * host:port} on the node (the fake Discord on the bridge address): OpenClaw accepts a plain-HTTP
 * {@code DISCORD_API_URL} only on loopback. It runs as a process of this (root) JVM, entered into
 * the pod's network namespace with {@code nsenter} as soon as the pod's sandbox exists (before
 * OpenClaw starts), using the node binary of the OpenClaw image; nothing in the pod's spec changes.
 */
final class PodLoopbackForwarder implements AutoCloseable {

  static final String SCRIPT =
      "const net=require('net');const [port,host]=process.argv.slice(1);"
          + "net.createServer(c=>{const u=net.connect(+port,host);c.pipe(u);u.pipe(c);"
          + "c.on('error',()=>u.destroy());u.on('error',()=>c.destroy());"
          + "c.on('close',()=>u.destroy());u.on('close',()=>c.destroy());})"
          + ".listen(+port,'127.0.0.1',()=>console.log('forwarding'));";

  private final Thread thread;
  private volatile Process process;
  private volatile boolean closed;

  private PodLoopbackForwarder(Runnable body) {
    this.thread = new Thread(body, "pod-loopback-forwarder");
  }

  /** Starts forwarding for the pod of agent {@code agent} in {@code ns} once its sandbox runs. */
  static PodLoopbackForwarder start(
      KubernetesClient client, String ns, String agent, Path node, int port, String host) {
    var holder = new PodLoopbackForwarder[1];
    holder[0] =
        new PodLoopbackForwarder(
            () -> {
              var self = holder[0];
              while (!self.closed) {
                var pid = podProcess(client, ns, agent);
                if (pid.isPresent()) {
                  try {
                    self.process =
                        new ProcessBuilder(
                                List.of(
                                    "nsenter",
                                    "--net=/proc/" + pid.get() + "/ns/net",
                                    node.toString(),
                                    "-e",
                                    SCRIPT,
                                    String.valueOf(port),
                                    host))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    // forwards until it ends (close(), or the pod's sandbox is gone), then the
                    // loop starts another one in the pod's sandbox of the moment
                    self.process.waitFor();
                  } catch (IOException e) {
                    throw new IllegalStateException("nsenter failed", e);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    holder[0].thread.setDaemon(true);
    holder[0].thread.start();
    return holder[0];
  }

  private static Optional<Long> podProcess(KubernetesClient client, String ns, String agent) {
    return client.pods().inNamespace(ns).withLabel(Labels.AGENT, agent).list().getItems().stream()
        .filter(p -> !p.isMarkedForDeletion())
        .findFirst()
        .flatMap(p -> PodCgroups.sandboxProcess(p.getMetadata().getUid()));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    var p = process;
    if (p != null) {
      p.destroy();
    }
  }
}
