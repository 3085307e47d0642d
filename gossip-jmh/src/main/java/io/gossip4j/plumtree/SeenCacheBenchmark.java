package io.gossip4j.plumtree;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.jmh.Fixtures;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PlumTree's seen cache, {@link SeenIds} (message id to origin), at its default capacity
 * (1,000,000 ids) and at a tenth of it. {@code SeenIds} is package-private, so
 * this benchmark lives in its package, {@code io.gossip4j.plumtree}, in the gossip-jmh module:
 * the benchmarks run from the class path, where a package may span two jars.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SeenCacheBenchmark {
  /** Ids removed by one sweep in {@link #putThenSweep}: a second's worth at 1,000 messages/s. */
  static final int SWEEP = 1000;
  /** PlumTreeConfig's default seen-cache retention. */
  static final long RETENTION_NANOS = PlumTreeConfig.defaults().seenCacheRetention().toNanos();

  /**
   * A cache holding {@code size} ids, and twice as many distinct ids to use: {@code keys[i]}
   * for {@code i < size} are in it, the others are not.
   */
  abstract static class Filled {
    SeenIds cache;
    MessageId[] keys;
    NodeId origin;
    int size;
    int next;
    long now;

    /** Inserts the first {@code size} keys, {@code tick} nanoseconds apart from time 0. */
    void fill(int size, long retentionNanos, int maxCount, long tick) {
      this.size = size;
      Random random = new Random(Fixtures.SEED);
      origin = Fixtures.nodeId(random);
      keys = new MessageId[2 * size];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = Fixtures.messageId(random);
      }
      cache = new SeenIds(retentionNanos, maxCount);
      for (int i = 0; i < size; i++) {
        cache.putIfAbsent(keys[i], origin, now);
        now += tick;
      }
      next = size;
    }

    /** The next key that is not in the cache; the cycle of {@code 2 * size} keeps it so. */
    MessageId nextAbsent() {
      MessageId key = keys[next];
      next = next + 1 == keys.length ? 0 : next + 1;
      return key;
    }

    /** Cycles through the keys in the cache (it must not change meanwhile). */
    MessageId nextPresent() {
      next = next + 1 >= size ? 0 : next + 1;
      return keys[next];
    }
  }

  /** Full by count, PlumTree's retention: nothing expires, the capacity bounds it. */
  @State(Scope.Thread)
  public static class FullByCount extends Filled {
    @Param({"100000", "1000000"})
    public int ids;

    @Setup
    public void setUp() {
      fill(ids, RETENTION_NANOS, ids, 0);
    }
  }

  /**
   * Bounded by time, not count: {@code ids} ids a nanosecond apart and a retention of
   * {@code ids} nanoseconds, so each new id makes the oldest one expire.
   */
  @State(Scope.Thread)
  public static class FullByTime extends Filled {
    @Param({"100000", "1000000"})
    public int ids;

    @Setup
    public void setUp() {
      fill(ids, ids, 2 * ids, 1);
    }
  }

  /** A new id into a full cache: inserted, and the oldest evicted (the capacity bound). */
  @Benchmark
  public SeenIds putIfAbsentNew(FullByCount state) {
    state.cache.putIfAbsent(state.nextAbsent(), state.origin, state.now);
    return state.cache;
  }

  /** An id already there: a duplicate's path, one lookup and nothing changed. */
  @Benchmark
  public SeenIds putIfAbsentPresent(FullByCount state) {
    state.cache.putIfAbsent(state.nextPresent(), state.origin, state.now);
    return state.cache;
  }

  @Benchmark
  public boolean containsHit(FullByCount state) {
    return state.cache.contains(state.nextPresent(), state.now);
  }

  @Benchmark
  public boolean containsMiss(FullByCount state) {
    return state.cache.contains(state.nextAbsent(), state.now);
  }

  /**
   * The time bound at work, per id: {@value #SWEEP} new ids inserted a nanosecond apart, then
   * one {@code evictExpired} that removes the {@value #SWEEP} that expired meanwhile, as
   * PlumTree's eviction timer does. Reported per id: one insertion plus one expiry.
   */
  @Benchmark
  @OperationsPerInvocation(SWEEP)
  public SeenIds putThenSweep(FullByTime state) {
    SeenIds cache = state.cache;
    for (int i = 0; i < SWEEP; i++) {
      state.now++;
      cache.putIfAbsent(state.nextAbsent(), state.origin, state.now);
    }
    cache.evictExpired(state.now);
    return cache;
  }
}
