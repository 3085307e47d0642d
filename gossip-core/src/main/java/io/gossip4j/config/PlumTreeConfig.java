package io.gossip4j.config;

import static io.gossip4j.proto.ConfigChecks.checkPositive;
import static io.gossip4j.proto.ConfigChecks.checkRange;

import java.time.Duration;

/**
 * PlumTree's parameters. Timeouts follow iroh-gossip's tuning of the paper (Leitão et al. 2007,
 * "Epidemic Broadcast Trees"); every cache is bounded both by time and by count.
 *
 * @param graftTimeout1 wait after the first IHAVE for a missing message before grafting
 * @param maxGraftTimeout1 how far graftTimeout1 may grow when payloads come late: it is a
 *     quarter more than the largest recent delay from a message's first IHAVE to the tree's copy
 *     of it (whether or not a GRAFT fetched the message first), halved for each 10 s since,
 *     never below graftTimeout1 nor above this. So neither a deep tree nor a congested swarm
 *     asks for copies of messages that are only late, each of which adds a payload. Default
 *     1 s (or graftTimeout1, if that is longer); equal to graftTimeout1 keeps the timeout fixed,
 *     as in the paper
 * @param graftTimeout2 wait after a GRAFT before grafting the next announcer (each later GRAFT
 *     of the same message waits twice as long as the one before, up to 16 times this)
 * @param dispatchInterval how long IHAVEs are batched per peer before they are sent. IHAVEs
 *     only recover what a tree lost, which a formed tree seldom does, so a long batch costs
 *     little latency and makes each IHAVE frame carry many announcements: at 100 broadcasts a
 *     second over 25 nodes, 200 ms brings control frames from 2.6 to 0.2 per receiver
 * @param optimizationThreshold rounds by which an eager path must lose to a lazy one before
 *     an origin's own tree is rewired
 * @param payloadCacheRetention how long payloads are kept to answer GRAFTs and catch-up; at
 *     least {@code catchUpWindow}
 * @param payloadCacheCapacity most payloads kept to answer GRAFTs and catch-up
 * @param payloadCacheMaxBytes most payload bytes kept to answer GRAFTs and catch-up: the default
 *     16 MiB holds the default 90 s catch-up window at up to 180 KiB/s of payload per topic (180
 *     broadcasts a second of 1 KiB); above that rate catch-up reaches back less far
 * @param seenCacheRetention how long a delivered id is remembered to drop duplicates; at least
 *     {@code payloadCacheRetention}
 * @param catchUpWindow how far back two new neighbors reconcile what they have seen and pull
 *     what they missed (after a partition heals, a restart, a join): the messages delivered in
 *     this window, as long as the payload cache still holds them. Default 90 s; zero turns
 *     catch-up off
 * @param gapTimeout how long a broadcast of an origin whose later broadcasts arrived may stay
 *     missing (a graft or catch-up may still bring it) before it is reported as a gap. Checked
 *     every half of it. Default 20 s; zero turns gap reports off (catch-up still drops a late
 *     copy of a message it had before, by the same numbering)
 * @param seenCacheCapacity most ids remembered; past it the oldest is forgotten
 * @param cacheEvictionInterval time between two sweeps of the caches
 * @param missingCapacity most announced-but-missing messages tracked at once, and most new
 *     messages waiting for their judgement
 * @param announcersPerMessage most announcers remembered for one missing message
 * @param lazyQueueCapacity most IHAVE entries queued for one peer between two dispatches
 * @param maxTrees origins whose messages are counted and whose own broadcast trees are
 *     remembered (most recently used first); a forgotten origin starts over on the shared tree
 * @param ownTreeAfter an origin's messages ride the topic's shared tree until it has broadcast
 *     this many within {@code ownTreeWindow}; from then on they take a tree of its own, built by
 *     one flood and pruned to the earliest arrivals from it (1: every message of every origin
 *     takes its origin's own tree)
 * @param ownTreeWindow see {@code ownTreeAfter}
 * @param treeBeaconInterval how often the shared tree's root raises its sequence number, the
 *     longest a node cut off from its parent waits for a new path
 * @param treeRootTimeout how long without a new sequence number from the root before a node
 *     takes the root for gone and the smallest id left becomes the root
 * @param invalidMessageLimit messages with a bad origin signature, or rejected by the topic's
 *     validator, that one neighbor may send before it is dropped from the swarm
 * @param eagerOnly never prune: every neighbor stays eager and gets every payload, which makes
 *     PlumTree plain flooding over the active view. Off by default; the simulator turns it on
 *     for its {@code flood} baseline, the redundancy PlumTree is measured against.
 * @param missingPerNeighbor most missing messages that announcements of one neighbor may have
 *     opened at once; 0 (the default) is a quarter of {@code missingCapacity}, see {@link
 *     #effectiveMissingPerNeighbor()}. A neighbor announcing ids that never come fills its
 *     share, not the table others' announcements need (a node with one neighbor tracks a
 *     quarter of the table at most)
 * @param graftAnswersPerSecond payloads sent back per second to one neighbor's GRAFTs, with a
 *     burst of as many (default 2,000): a neighbor that asks for what it has already cannot
 *     make this node resend without limit
 */
public record PlumTreeConfig(
    Duration graftTimeout1,
    Duration maxGraftTimeout1,
    Duration graftTimeout2,
    Duration dispatchInterval,
    int optimizationThreshold,
    Duration payloadCacheRetention,
    int payloadCacheCapacity,
    long payloadCacheMaxBytes,
    Duration seenCacheRetention,
    int seenCacheCapacity,
    Duration catchUpWindow,
    Duration gapTimeout,
    Duration cacheEvictionInterval,
    int missingCapacity,
    int announcersPerMessage,
    int lazyQueueCapacity,
    int maxTrees,
    int ownTreeAfter,
    Duration ownTreeWindow,
    Duration treeBeaconInterval,
    Duration treeRootTimeout,
    int invalidMessageLimit,
    boolean eagerOnly,
    int missingPerNeighbor,
    int graftAnswersPerSecond) {

  public PlumTreeConfig {
    checkPositive("PlumTreeConfig.graftTimeout1", graftTimeout1);
    checkPositive("PlumTreeConfig.maxGraftTimeout1", maxGraftTimeout1);
    if (maxGraftTimeout1.compareTo(graftTimeout1) < 0) {
      throw new IllegalArgumentException("PlumTreeConfig.maxGraftTimeout1 (" + maxGraftTimeout1
          + ") must be at least PlumTreeConfig.graftTimeout1 (" + graftTimeout1 + ")");
    }
    checkPositive("PlumTreeConfig.graftTimeout2", graftTimeout2);
    checkPositive("PlumTreeConfig.dispatchInterval", dispatchInterval);
    checkRange("PlumTreeConfig.optimizationThreshold", optimizationThreshold, 1, 1_000);
    checkPositive("PlumTreeConfig.payloadCacheRetention", payloadCacheRetention);
    checkRange("PlumTreeConfig.payloadCacheCapacity", payloadCacheCapacity, 0, 10_000_000);
    checkRange("PlumTreeConfig.payloadCacheMaxBytes", payloadCacheMaxBytes, 0, 1L << 40);
    checkPositive("PlumTreeConfig.seenCacheRetention", seenCacheRetention);
    checkRange("PlumTreeConfig.seenCacheCapacity", seenCacheCapacity, 1, 50_000_000);
    java.util.Objects.requireNonNull(catchUpWindow, "PlumTreeConfig.catchUpWindow");
    if (catchUpWindow.isNegative()) {
      throw new IllegalArgumentException(
          "PlumTreeConfig.catchUpWindow must be >= 0 (0: off), got " + catchUpWindow);
    }
    java.util.Objects.requireNonNull(gapTimeout, "PlumTreeConfig.gapTimeout");
    if (gapTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "PlumTreeConfig.gapTimeout must be >= 0 (0: off), got " + gapTimeout);
    }
    if (payloadCacheRetention.compareTo(catchUpWindow) < 0) {
      throw new IllegalArgumentException("PlumTreeConfig.payloadCacheRetention ("
          + payloadCacheRetention + ") must be at least PlumTreeConfig.catchUpWindow ("
          + catchUpWindow + "): catch-up serves the payloads of its window from that cache");
    }
    checkPositive("PlumTreeConfig.cacheEvictionInterval", cacheEvictionInterval);
    checkRange("PlumTreeConfig.missingCapacity", missingCapacity, 1, 10_000_000);
    checkRange("PlumTreeConfig.announcersPerMessage", announcersPerMessage, 1, 1_024);
    checkRange("PlumTreeConfig.lazyQueueCapacity", lazyQueueCapacity, 1, 10_000_000);
    checkRange("PlumTreeConfig.maxTrees", maxTrees, 1, 1_000_000);
    checkRange("PlumTreeConfig.ownTreeAfter", ownTreeAfter, 1, 1_000_000);
    checkPositive("PlumTreeConfig.ownTreeWindow", ownTreeWindow);
    checkPositive("PlumTreeConfig.treeBeaconInterval", treeBeaconInterval);
    checkPositive("PlumTreeConfig.treeRootTimeout", treeRootTimeout);
    if (treeRootTimeout.compareTo(treeBeaconInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("PlumTreeConfig.treeRootTimeout (" + treeRootTimeout
          + ") must be at least twice PlumTreeConfig.treeBeaconInterval (" + treeBeaconInterval
          + "): a root is not gone because one beacon is late");
    }
    checkRange("PlumTreeConfig.invalidMessageLimit", invalidMessageLimit, 1, 1_000_000);
    if (missingPerNeighbor < 0 || missingPerNeighbor > missingCapacity) {
      throw new IllegalArgumentException("PlumTreeConfig.missingPerNeighbor must be between 0 "
          + "(a quarter of missingCapacity) and PlumTreeConfig.missingCapacity ("
          + missingCapacity + "), was " + missingPerNeighbor);
    }
    checkRange("PlumTreeConfig.graftAnswersPerSecond", graftAnswersPerSecond, 1, 10_000_000);
    if (seenCacheRetention.compareTo(payloadCacheRetention) < 0) {
      throw new IllegalArgumentException(
          "PlumTreeConfig.seenCacheRetention ("
              + seenCacheRetention
              + ") must be at least PlumTreeConfig.payloadCacheRetention ("
              + payloadCacheRetention
              + "): a message served to a GRAFT must still be known as seen");
    }
  }

  /**
   * The first graft timeout's default ceiling: a congested swarm waits up to this long before
   * it asks for copies of late messages, rather than adding those copies to the congestion.
   */
  static final Duration DEFAULT_MAX_GRAFT_TIMEOUT1 = Duration.ofSeconds(1);

  /**
   * The defaults of the design: 80/40 ms graft timeouts (the first growing up to 1 s when
   * payloads come late), IHAVEs batched over 200 ms, threshold 7.
   */
  /** {@link #missingPerNeighbor}, with 0 read as a quarter of {@code missingCapacity}. */
  public int effectiveMissingPerNeighbor() {
    return missingPerNeighbor == 0 ? Math.max(1, missingCapacity / 4) : missingPerNeighbor;
  }

  public static PlumTreeConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link PlumTreeConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private Duration graftTimeout1 = Duration.ofMillis(80);
    /** Null: the default ceiling, or graftTimeout1 if that is longer. */
    private Duration maxGraftTimeout1;
    private Duration graftTimeout2 = Duration.ofMillis(40);
    private Duration dispatchInterval = Duration.ofMillis(200);
    private int optimizationThreshold = 7;
    private Duration payloadCacheRetention = Duration.ofSeconds(90);
    private int payloadCacheCapacity = 100_000;
    private long payloadCacheMaxBytes = 16L << 20;
    private Duration seenCacheRetention = Duration.ofSeconds(150);
    private int seenCacheCapacity = 1_000_000;
    private Duration catchUpWindow = Duration.ofSeconds(90);
    private Duration gapTimeout = Duration.ofSeconds(20);
    private Duration cacheEvictionInterval = Duration.ofSeconds(1);
    private int missingCapacity = 100_000;
    private int announcersPerMessage = 8;
    private int lazyQueueCapacity = 65_536;
    private int maxTrees = 4096;
    private int ownTreeAfter = 20;
    private Duration ownTreeWindow = Duration.ofSeconds(2);
    private Duration treeBeaconInterval = Duration.ofSeconds(1);
    private Duration treeRootTimeout = Duration.ofSeconds(3);
    private boolean eagerOnly = false;
    private int invalidMessageLimit = 3;
    private int missingPerNeighbor = 0;
    private int graftAnswersPerSecond = 2_000;

    private Builder() {}

    private Builder(PlumTreeConfig c) {
      graftTimeout1 = c.graftTimeout1;
      // A ceiling that was the default stays the default when graftTimeout1 changes from here.
      Duration defaultCeiling = max(DEFAULT_MAX_GRAFT_TIMEOUT1, c.graftTimeout1);
      maxGraftTimeout1 = c.maxGraftTimeout1.equals(defaultCeiling) ? null : c.maxGraftTimeout1;
      graftTimeout2 = c.graftTimeout2;
      dispatchInterval = c.dispatchInterval;
      optimizationThreshold = c.optimizationThreshold;
      payloadCacheRetention = c.payloadCacheRetention;
      payloadCacheCapacity = c.payloadCacheCapacity;
      payloadCacheMaxBytes = c.payloadCacheMaxBytes;
      seenCacheRetention = c.seenCacheRetention;
      seenCacheCapacity = c.seenCacheCapacity;
      catchUpWindow = c.catchUpWindow;
      gapTimeout = c.gapTimeout;
      cacheEvictionInterval = c.cacheEvictionInterval;
      missingCapacity = c.missingCapacity;
      announcersPerMessage = c.announcersPerMessage;
      lazyQueueCapacity = c.lazyQueueCapacity;
      maxTrees = c.maxTrees;
      ownTreeAfter = c.ownTreeAfter;
      ownTreeWindow = c.ownTreeWindow;
      treeBeaconInterval = c.treeBeaconInterval;
      treeRootTimeout = c.treeRootTimeout;
      eagerOnly = c.eagerOnly;
      invalidMessageLimit = c.invalidMessageLimit;
      missingPerNeighbor = c.missingPerNeighbor;
      graftAnswersPerSecond = c.graftAnswersPerSecond;
    }

    public Builder graftTimeout1(Duration value) {
      graftTimeout1 = value;
      return this;
    }

    /** See {@link PlumTreeConfig#maxGraftTimeout1()}. Default: 1 s, or graftTimeout1 if longer. */
    public Builder maxGraftTimeout1(Duration value) {
      maxGraftTimeout1 = value;
      return this;
    }

    public Builder graftTimeout2(Duration value) {
      graftTimeout2 = value;
      return this;
    }

    public Builder dispatchInterval(Duration value) {
      dispatchInterval = value;
      return this;
    }

    public Builder optimizationThreshold(int value) {
      optimizationThreshold = value;
      return this;
    }

    public Builder payloadCacheRetention(Duration value) {
      payloadCacheRetention = value;
      return this;
    }

    public Builder payloadCacheCapacity(int value) {
      payloadCacheCapacity = value;
      return this;
    }

    public Builder payloadCacheMaxBytes(long value) {
      payloadCacheMaxBytes = value;
      return this;
    }

    public Builder seenCacheRetention(Duration value) {
      seenCacheRetention = value;
      return this;
    }

    public Builder seenCacheCapacity(int value) {
      seenCacheCapacity = value;
      return this;
    }

    /** See {@link PlumTreeConfig#catchUpWindow()}; {@link Duration#ZERO} turns catch-up off. */
    public Builder catchUpWindow(Duration value) {
      catchUpWindow = value;
      return this;
    }

    /** See {@link PlumTreeConfig#gapTimeout()}; {@link Duration#ZERO} turns gap reports off. */
    public Builder gapTimeout(Duration value) {
      gapTimeout = value;
      return this;
    }

    public Builder cacheEvictionInterval(Duration value) {
      cacheEvictionInterval = value;
      return this;
    }

    public Builder missingCapacity(int value) {
      missingCapacity = value;
      return this;
    }

    public Builder announcersPerMessage(int value) {
      announcersPerMessage = value;
      return this;
    }

    public Builder lazyQueueCapacity(int value) {
      lazyQueueCapacity = value;
      return this;
    }

    public Builder maxTrees(int value) {
      maxTrees = value;
      return this;
    }

    public Builder ownTreeAfter(int value) {
      ownTreeAfter = value;
      return this;
    }

    public Builder ownTreeWindow(Duration value) {
      ownTreeWindow = value;
      return this;
    }

    public Builder treeBeaconInterval(Duration value) {
      treeBeaconInterval = value;
      return this;
    }

    public Builder treeRootTimeout(Duration value) {
      treeRootTimeout = value;
      return this;
    }

    public Builder invalidMessageLimit(int value) {
      invalidMessageLimit = value;
      return this;
    }

    public Builder eagerOnly(boolean value) {
      eagerOnly = value;
      return this;
    }

    public Builder missingPerNeighbor(int value) {
      missingPerNeighbor = value;
      return this;
    }

    public Builder graftAnswersPerSecond(int value) {
      graftAnswersPerSecond = value;
      return this;
    }

    public PlumTreeConfig build() {
      return new PlumTreeConfig(
          graftTimeout1,
          maxGraftTimeout1 != null ? maxGraftTimeout1
              : max(DEFAULT_MAX_GRAFT_TIMEOUT1, graftTimeout1),
          graftTimeout2,
          dispatchInterval,
          optimizationThreshold,
          payloadCacheRetention,
          payloadCacheCapacity,
          payloadCacheMaxBytes,
          seenCacheRetention,
          seenCacheCapacity,
          catchUpWindow,
          gapTimeout,
          cacheEvictionInterval,
          missingCapacity,
          announcersPerMessage,
          lazyQueueCapacity,
          maxTrees,
          ownTreeAfter,
          ownTreeWindow,
          treeBeaconInterval,
          treeRootTimeout,
          invalidMessageLimit,
          eagerOnly,
          missingPerNeighbor,
          graftAnswersPerSecond);
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }
}
