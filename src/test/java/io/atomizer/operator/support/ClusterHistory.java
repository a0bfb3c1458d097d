package io.atomizer.operator.support;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Every version of every object of the kinds the operator writes or could write, in all namespaces,
 * as JSON: what a watch delivered while the history was open, and what is left at the end. Secrets
 * are left out on purpose: they are the one place the token belongs.
 */
public final class ClusterHistory implements AutoCloseable {

  private final KubernetesClient client;
  private final List<String> versions = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  public ClusterHistory(KubernetesClient client) {
    this.client = client;
    watchables().forEach(w -> watches.add(w.watch(recorder())));
  }

  /** JSON of every object version seen by the watches so far. */
  public List<String> watched() {
    return List.copyOf(versions);
  }

  /** JSON of every object that exists now, of every kind listed, Secrets excepted. */
  public List<String> listNow() {
    var now = new ArrayList<String>();
    Stream.<List<? extends HasMetadata>>of(
            client.pods().inAnyNamespace().list().getItems(),
            client.persistentVolumeClaims().inAnyNamespace().list().getItems(),
            client.resources(AtomizerAgent.class).inAnyNamespace().list().getItems(),
            client.v1().events().inAnyNamespace().list().getItems(),
            client.events().v1().events().inAnyNamespace().list().getItems(),
            client.configMaps().inAnyNamespace().list().getItems(),
            client.services().inAnyNamespace().list().getItems(),
            client.serviceAccounts().inAnyNamespace().list().getItems(),
            client.leases().inAnyNamespace().list().getItems(),
            client.namespaces().list().getItems(),
            client.persistentVolumes().list().getItems())
        .flatMap(List::stream)
        .forEach(o -> now.add(Serialization.asJson(o)));
    return now;
  }

  /** The Kubernetes Events (core v1) that exist now. */
  public List<io.fabric8.kubernetes.api.model.Event> events() {
    return client.v1().events().inAnyNamespace().list().getItems();
  }

  private List<Watchable<? extends HasMetadata>> watchables() {
    return List.of(
        client.pods().inAnyNamespace(),
        client.persistentVolumeClaims().inAnyNamespace(),
        client.resources(AtomizerAgent.class).inAnyNamespace(),
        client.v1().events().inAnyNamespace(),
        client.events().v1().events().inAnyNamespace(),
        client.configMaps().inAnyNamespace(),
        client.leases().inAnyNamespace());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private Watcher recorder() {
    return new Watcher<HasMetadata>() {
      @Override
      public void eventReceived(Action action, HasMetadata resource) {
        versions.add(Serialization.asJson(resource));
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
