package io.atomizer.operator.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Secret informer's store: it keeps the {@link SecretDigest} of each Secret instead of the
 * Secret, so that no token value stays in the operator's heap once the informer has handled an
 * event. The informer still hands its event handlers (and its indexers, on insert) the Secret as
 * received, which is then dropped; everything reading the cache reads digests.
 *
 * <p>fabric8 gives each informer its store, but JOSDK passes one configured store to every informer
 * of an event source, one per watched namespace; a store shared that way would mix namespaces (each
 * informer's relist would drop the others' Secrets). So each instance serves exactly one informer:
 * one event source per namespace, or one for all namespaces.
 */
final class DigestingItemStore implements ItemStore<Secret> {

  private final Map<String, Secret> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(Secret secret) {
    return Cache.metaNamespaceKeyFunc(secret);
  }

  @Override
  public Secret put(String key, Secret secret) {
    return items.put(key, SecretDigest.of(secret));
  }

  @Override
  public Secret remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<Secret> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Secret get(String key) {
    return items.get(key);
  }
}
