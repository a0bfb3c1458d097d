package io.atomizer.operator.bench;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.AtomizerAgentStatus;
import io.atomizer.operator.dependent.AgentPodTemplate;
import io.atomizer.operator.dependent.StatePersistentVolumeClaim;
import io.atomizer.operator.token.Fingerprints;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline the operator is held to: a plain fabric8 client loop on 8 threads that makes only
 * the minimal writes per agent, a PVC POST and a Pod POST when it sees the agent, and one status
 * PATCH (Ready=True) when it sees the pod Ready. It sees agents and pods through one watch each, as
 * the operator does, and checks nothing: no tokens, no duplicates, no Terminating pods. It runs in
 * its own JVM with the operator's flags: {@code BaselineController <namespace>}, KUBECONFIG set.
 */
public final class BaselineController implements AutoCloseable {

  static final int THREADS = 8;

  /** Starts with "atomizer-operator" so that the mock server records its requests too. */
  static final String USER_AGENT = "atomizer-operator-baseline/1";

  /** Runs until it is stopped (SIGTERM). */
  public static void main(String[] args) throws Exception {
    var namespace = args[0];
    var client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(
                        io.fabric8.kubernetes.client.Config.autoConfigure(null))
                    .withUserAgent(USER_AGENT)
                    .build())
            .build();
    var secrets = client.secrets().inNamespace(namespace).list().getItems();
    new BaselineController(client, namespace, secrets).start();
    Thread.currentThread().join();
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          THREADS,
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              return new Thread(r, "baseline-" + n.incrementAndGet());
            }
          });
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomizerAgent> agents = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private SharedIndexInformer<AtomizerAgent> agentInformer;
  private SharedIndexInformer<Pod> podInformer;

  BaselineController(KubernetesClient client, String namespace, List<Secret> secrets) {
    this.client = client;
    this.namespace = namespace;
    secrets.forEach(s -> this.secrets.put(s.getMetadata().getName(), s));
  }

  BaselineController start() {
    podInformer =
        client.pods().inNamespace(namespace).inform(handler(pod -> pool.execute(() -> onPod(pod))));
    agentInformer =
        client
            .resources(AtomizerAgent.class)
            .inNamespace(namespace)
            .inform(handler(agent -> pool.execute(() -> onAgent(agent))));
    return this;
  }

  private void onAgent(AtomizerAgent agent) {
    var name = agent.getMetadata().getName();
    agents.put(name, agent);
    if (!started.add(name)) {
      return;
    }
    try {
      client.resource(StatePersistentVolumeClaim.build(agent)).create();
      var fingerprint =
          Fingerprints.of(
                  secrets.get(agent.getSpec().getToken().getSecretName()),
                  agent.getSpec().getToken().getKey())
              .orElseThrow();
      var pod = AgentPodTemplate.build(agent, fingerprint);
      pod.addOwnerReference(agent);
      client.resource(pod).create();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      System.err.println("baseline: creating for " + name + " failed: " + e.getMessage());
    }
  }

  private void onPod(Pod pod) {
    var name = pod.getMetadata().getName();
    boolean ready =
        pod.getStatus() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    var agent = agents.get(name);
    if (!ready || agent == null || !reported.add(name)) {
      return;
    }
    var status = new AtomizerAgentStatus();
    status.setObservedGeneration(agent.getMetadata().getGeneration());
    status.setPhase(AtomizerAgentStatus.Phase.Running);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("PodReady")
                .withMessage("the pod is running and ready")
                .withLastTransitionTime(Instant.now().toString())
                .withObservedGeneration(agent.getMetadata().getGeneration())
                .build()));
    var patch = new AtomizerAgent();
    patch.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    patch.setStatus(status);
    try {
      client.resource(patch).patchStatus();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      reported.remove(name);
      System.err.println("baseline: status of " + name + " failed: " + e.getMessage());
    }
  }

  int failures() {
    return failures.get();
  }

  private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        seen.accept(obj);
      }

      @Override
      public void onUpdate(T old, T obj) {
        seen.accept(obj);
      }

      @Override
      public void onDelete(T obj, boolean unknown) {}
    };
  }

  @Override
  public void close() throws InterruptedException {
    agentInformer.close();
    podInformer.close();
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
