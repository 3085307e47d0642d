package io.gossip4j.plumtree;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An insertion-ordered map whose entries expire a fixed time after insertion and which never
 * holds more than a count and a total weight. Every entry lives equally long, so insertion order
 * is expiry order and eviction only ever looks at the oldest entries: O(1) per entry. Time is
 * passed in, never read from a clock.
 */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, long expiresAtNanos, long weight) {}

  private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
  private final long retentionNanos;
  private final int maxCount;
  private final long maxWeight;
  private long weight;
  /** Counts insertions and removals: a snapshot of the keys is current while it is unchanged. */
  private long version;

  ExpiringCache(long retentionNanos, int maxCount, long maxWeight) {
    this.retentionNanos = retentionNanos;
    this.maxCount = maxCount;
    this.maxWeight = maxWeight;
  }

  /**
   * Inserts {@code key} unless it is already present (the first insertion's expiry stands), then
   * evicts the oldest entries until the bounds hold again. An entry heavier than the whole
   * weight bound is not kept.
   */
  void putIfAbsent(K key, V value, long weightOfValue, long nowNanos) {
    if (maxCount == 0 || weightOfValue > maxWeight
        || entries.putIfAbsent(key, new Entry<>(value, nowNanos + retentionNanos, weightOfValue))
            != null) {
      return; // one lookup, not a check and a put: this runs for every new message
    }
    weight += weightOfValue;
    version++;
    Iterator<Entry<V>> oldest = entries.values().iterator();
    while (entries.size() > maxCount || weight > maxWeight) {
      weight -= oldest.next().weight;
      oldest.remove();
      version++;
    }
  }

  /** The live value for {@code key}, or null when absent or expired. */
  V get(K key, long nowNanos) {
    Entry<V> entry = entries.get(key);
    return entry == null || entry.expiresAtNanos <= nowNanos ? null : entry.value;
  }

  /** Whether {@code key} is present and not expired. */
  boolean contains(K key, long nowNanos) {
    return get(key, nowNanos) != null;
  }

  /** Removes every expired entry. */
  void evictExpired(long nowNanos) {
    Iterator<Entry<V>> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry<V> entry = it.next();
      if (entry.expiresAtNanos > nowNanos) {
        return;
      }
      weight -= entry.weight;
      it.remove();
      version++;
    }
  }

  /** The live keys inserted at or after {@code sinceNanos}, oldest first. */
  List<K> keysInsertedSince(long sinceNanos, long nowNanos) {
    List<K> keys = new ArrayList<>();
    for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
      long expiresAt = e.getValue().expiresAtNanos;
      if (expiresAt > nowNanos && expiresAt - retentionNanos >= sinceNanos) {
        keys.add(e.getKey());
      }
    }
    return keys;
  }

  /** Changes with every insertion and removal. */
  long version() {
    return version;
  }

  int size() {
    return entries.size();
  }

  long weight() {
    return weight;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Read-only view, for tests and metrics. */
  Map<K, ?> view() {
    return java.util.Collections.unmodifiableMap(entries);
  }
}
