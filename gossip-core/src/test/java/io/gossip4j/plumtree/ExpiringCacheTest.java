package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
  private static final long TTL = 1_000;

  @Test
  void entriesExpireAfterTheirRetention() {
    ExpiringCache<String, String> cache = new ExpiringCache<>(TTL, 10, Long.MAX_VALUE);
    cache.putIfAbsent("a", "1", 0, 0);
    cache.putIfAbsent("b", "2", 0, 500);
    assertThat(cache.get("a", TTL - 1)).isEqualTo("1");
    assertThat(cache.get("a", TTL)).isNull();
    cache.evictExpired(TTL);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.contains("b", TTL)).isTrue();
    cache.evictExpired(500 + TTL);
    assertThat(cache.isEmpty()).isTrue();
  }

  @Test
  void theFirstInsertionsExpiryStands() {
    ExpiringCache<String, String> cache = new ExpiringCache<>(TTL, 10, Long.MAX_VALUE);
    cache.putIfAbsent("a", "1", 0, 0);
    cache.putIfAbsent("a", "2", 0, 900);
    assertThat(cache.get("a", 999)).isEqualTo("1");
    assertThat(cache.get("a", 1000)).isNull();
  }

  @Test
  void theCountBoundEvictsTheOldest() {
    ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(TTL, 3, Long.MAX_VALUE);
    for (int i = 0; i < 10; i++) {
      cache.putIfAbsent(i, i, 0, i);
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.view().keySet()).containsExactly(7, 8, 9);
  }

  @Test
  void theWeightBoundEvictsTheOldestAndRefusesTooHeavyEntries() {
    ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(TTL, 100, 10);
    cache.putIfAbsent(1, 1, 4, 0);
    cache.putIfAbsent(2, 2, 4, 0);
    cache.putIfAbsent(3, 3, 4, 0);
    assertThat(cache.view().keySet()).containsExactly(2, 3);
    assertThat(cache.weight()).isEqualTo(8);
    cache.putIfAbsent(4, 4, 11, 0);
    assertThat(cache.contains(4, 0)).isFalse();
    assertThat(cache.weight()).isEqualTo(8);
  }

  @Test
  void aZeroCapacityCacheKeepsNothing() {
    ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(TTL, 0, 10);
    cache.putIfAbsent(1, 1, 0, 0);
    assertThat(cache.isEmpty()).isTrue();
  }
}
