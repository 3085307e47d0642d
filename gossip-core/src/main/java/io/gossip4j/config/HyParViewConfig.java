package io.gossip4j.config;

import static io.gossip4j.proto.ConfigChecks.checkPositive;
import static io.gossip4j.proto.ConfigChecks.checkRange;

import java.time.Duration;

/**
 * HyParView's parameters. Defaults are the paper's for 10,000 nodes (Leitão et al. 2007, section
 * 5: active view 5, passive view 30, ARWL 6, PRWL 3, shuffle ka 3, kp 4), plus a rotation of
 * the active view every 10 shuffles so that a split overlay merges again.
 *
 * @param activeViewCapacity peers we keep connections to and broadcast over
 * @param passiveViewCapacity backup peers, known but not connected
 * @param activeRandomWalkLength hops a FORWARD_JOIN travels (ARWL)
 * @param passiveRandomWalkLength remaining hops at which a FORWARD_JOIN adds the joiner to the
 *     passive view (PRWL)
 * @param shuffleRandomWalkLength hops a SHUFFLE travels
 * @param shuffleActiveViewCount active peers sampled into a SHUFFLE (ka)
 * @param shufflePassiveViewCount passive peers sampled into a SHUFFLE (kp)
 * @param shuffleInterval time between two shuffles
 * @param neighborRequestTimeout how long a JOIN or NEIGHBOR request waits for its reply
 * @param refillInterval how soon a node whose active view is not full asks the peers that
 *     refused it again (or, knowing nobody, joins its bootstrap peers again); doubled while
 *     nothing changes, up to the shuffle interval
 * @param maxPendingRequests most JOIN and NEIGHBOR requests awaiting a reply at once; each holds
 *     a connection, so strangers' FORWARD_JOINs must not be able to open any number of them
 * @param activeRotationShuffles every this many shuffles, a node whose active view is full asks
 *     a random passive peer to replace one of its neighbors (default 10; 0: never, the paper's
 *     protocol). Without it, two overlays split by a network partition stay split once
 *     it heals: every view is full, so nobody dials across again, although the passive views
 *     still know the other side. The price: each swap leaves two neighbors one short until they
 *     find a new one
 * @param lostPeerCapacity neighbors lost to failures that a node remembers and probes, so that
 *     the two sides of a network partition find each other again once it heals (default 16;
 *     0: none). A probe round asks at most two of them (LOW priority); a lost peer that
 *     answers but is full is asked once more with HIGH priority, at most once per shuffle
 *     interval, so a node makes at most one neighbor elsewhere give way per shuffle interval
 * @param lostPeerRetention how long a lost neighbor is probed (default 10 minutes): a partition
 *     that heals within it re-merges within about {@code maxProbeInterval}
 * @param maxProbeInterval the longest wait between two probe rounds, and between two joins of
 *     the bootstrap peers while the node knows nobody (default 4 s). Rounds start at twice the
 *     request timeout after a loss and double up to it, each jittered to between half and all
 *     of its wait: after the first seconds a node sends at most two probes per two seconds
 * @param protectedActiveSlots neighbors this node asked for itself (its JOIN or NEIGHBOR
 *     request was accepted) that a peer's request cannot evict (default 0, off: see
 *     docs/reliability.md, "Threat model", for why; 2 is the setting meant; at most one less
 *     than the active view is protected): fresh identities that each JOIN or ask with HIGH
 *     priority can replace the neighbors others chose for us, never all of the ones we chose,
 *     as gossipsub's outbound quota and Bitcoin's eviction protection keep some links
 * @param passivePerSource most passive-view entries one source may push others' out for
 *     (default {@link #MAX_VIEW}, no quota: see docs/reliability.md, "Threat model"; 8, a
 *     shuffle's worth, is the setting meant), the source being the connection an id came on:
 *     the peer a SHUFFLE or SHUFFLE_REPLY came from, the forwarder of a FORWARD_JOIN. A source
 *     fills free slots freely; in a full view, once it has this many entries there, its new ids
 *     replace its own, so one peer cannot fill the view with ids of its choosing (Brahms and
 *     Basalt cap each source likewise)
 */
public record HyParViewConfig(
    int activeViewCapacity,
    int passiveViewCapacity,
    int activeRandomWalkLength,
    int passiveRandomWalkLength,
    int shuffleRandomWalkLength,
    int shuffleActiveViewCount,
    int shufflePassiveViewCount,
    Duration shuffleInterval,
    Duration neighborRequestTimeout,
    Duration refillInterval,
    int maxPendingRequests,
    int activeRotationShuffles,
    int lostPeerCapacity,
    Duration lostPeerRetention,
    Duration maxProbeInterval,
    int protectedActiveSlots,
    int passivePerSource) {

  /** Upper bound on every view and walk length: views are meant to be logarithmic in size. */
  public static final int MAX_VIEW = 1024;

  public HyParViewConfig {
    checkRange("HyParViewConfig.activeViewCapacity", activeViewCapacity, 1, MAX_VIEW);
    checkRange("HyParViewConfig.passiveViewCapacity", passiveViewCapacity, 1, MAX_VIEW);
    checkRange("HyParViewConfig.activeRandomWalkLength", activeRandomWalkLength, 1, MAX_VIEW);
    checkRange(
        "HyParViewConfig.passiveRandomWalkLength",
        passiveRandomWalkLength,
        0,
        activeRandomWalkLength);
    checkRange("HyParViewConfig.shuffleRandomWalkLength", shuffleRandomWalkLength, 0, MAX_VIEW);
    checkRange(
        "HyParViewConfig.shuffleActiveViewCount", shuffleActiveViewCount, 0, activeViewCapacity);
    checkRange(
        "HyParViewConfig.shufflePassiveViewCount",
        shufflePassiveViewCount,
        0,
        passiveViewCapacity);
    checkPositive("HyParViewConfig.shuffleInterval", shuffleInterval);
    checkPositive("HyParViewConfig.neighborRequestTimeout", neighborRequestTimeout);
    checkPositive("HyParViewConfig.refillInterval", refillInterval);
    checkRange("HyParViewConfig.maxPendingRequests", maxPendingRequests, 1, MAX_VIEW);
    checkRange("HyParViewConfig.activeRotationShuffles", activeRotationShuffles, 0, 1_000_000);
    checkRange("HyParViewConfig.lostPeerCapacity", lostPeerCapacity, 0, MAX_VIEW);
    checkPositive("HyParViewConfig.lostPeerRetention", lostPeerRetention);
    checkPositive("HyParViewConfig.maxProbeInterval", maxProbeInterval);
    checkRange("HyParViewConfig.protectedActiveSlots", protectedActiveSlots, 0, MAX_VIEW);
    checkRange("HyParViewConfig.passivePerSource", passivePerSource, 1, MAX_VIEW);
  }

  /** The neighbors protected from eviction by requests: one slot is always left evictable. */
  public int effectiveProtectedActiveSlots() {
    return Math.min(protectedActiveSlots, activeViewCapacity - 1);
  }

  /** The paper's defaults. */
  public static HyParViewConfig defaults() {
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

  /** Builds a {@link HyParViewConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private int activeViewCapacity = 5;
    private int passiveViewCapacity = 30;
    private int activeRandomWalkLength = 6;
    private int passiveRandomWalkLength = 3;
    private int shuffleRandomWalkLength = 6;
    private int shuffleActiveViewCount = 3;
    private int shufflePassiveViewCount = 4;
    private Duration shuffleInterval = Duration.ofSeconds(60);
    private Duration neighborRequestTimeout = Duration.ofMillis(500);
    private Duration refillInterval = Duration.ofSeconds(2);
    private int maxPendingRequests = 10;
    private int activeRotationShuffles = 10;
    private int lostPeerCapacity = 16;
    private Duration lostPeerRetention = Duration.ofMinutes(10);
    private Duration maxProbeInterval = Duration.ofSeconds(4);
    private int protectedActiveSlots = 0;
    private int passivePerSource = MAX_VIEW;

    private Builder() {}

    private Builder(HyParViewConfig c) {
      activeViewCapacity = c.activeViewCapacity;
      passiveViewCapacity = c.passiveViewCapacity;
      activeRandomWalkLength = c.activeRandomWalkLength;
      passiveRandomWalkLength = c.passiveRandomWalkLength;
      shuffleRandomWalkLength = c.shuffleRandomWalkLength;
      shuffleActiveViewCount = c.shuffleActiveViewCount;
      shufflePassiveViewCount = c.shufflePassiveViewCount;
      shuffleInterval = c.shuffleInterval;
      neighborRequestTimeout = c.neighborRequestTimeout;
      refillInterval = c.refillInterval;
      maxPendingRequests = c.maxPendingRequests;
      activeRotationShuffles = c.activeRotationShuffles;
      lostPeerCapacity = c.lostPeerCapacity;
      protectedActiveSlots = c.protectedActiveSlots;
      passivePerSource = c.passivePerSource;
      lostPeerRetention = c.lostPeerRetention;
      maxProbeInterval = c.maxProbeInterval;
    }

    public Builder activeViewCapacity(int value) {
      activeViewCapacity = value;
      return this;
    }

    public Builder passiveViewCapacity(int value) {
      passiveViewCapacity = value;
      return this;
    }

    public Builder activeRandomWalkLength(int value) {
      activeRandomWalkLength = value;
      return this;
    }

    public Builder passiveRandomWalkLength(int value) {
      passiveRandomWalkLength = value;
      return this;
    }

    public Builder shuffleRandomWalkLength(int value) {
      shuffleRandomWalkLength = value;
      return this;
    }

    public Builder shuffleActiveViewCount(int value) {
      shuffleActiveViewCount = value;
      return this;
    }

    public Builder shufflePassiveViewCount(int value) {
      shufflePassiveViewCount = value;
      return this;
    }

    public Builder shuffleInterval(Duration value) {
      shuffleInterval = value;
      return this;
    }

    public Builder neighborRequestTimeout(Duration value) {
      neighborRequestTimeout = value;
      return this;
    }

    public Builder refillInterval(Duration value) {
      refillInterval = value;
      return this;
    }

    public Builder maxPendingRequests(int value) {
      maxPendingRequests = value;
      return this;
    }

    public Builder activeRotationShuffles(int value) {
      activeRotationShuffles = value;
      return this;
    }

    public Builder lostPeerCapacity(int value) {
      lostPeerCapacity = value;
      return this;
    }

    public Builder lostPeerRetention(Duration value) {
      lostPeerRetention = value;
      return this;
    }

    public Builder maxProbeInterval(Duration value) {
      maxProbeInterval = value;
      return this;
    }

    public Builder protectedActiveSlots(int value) {
      protectedActiveSlots = value;
      return this;
    }

    public Builder passivePerSource(int value) {
      passivePerSource = value;
      return this;
    }

    public HyParViewConfig build() {
      return new HyParViewConfig(
          activeViewCapacity,
          passiveViewCapacity,
          activeRandomWalkLength,
          passiveRandomWalkLength,
          shuffleRandomWalkLength,
          shuffleActiveViewCount,
          shufflePassiveViewCount,
          shuffleInterval,
          neighborRequestTimeout,
          refillInterval,
          maxPendingRequests,
          activeRotationShuffles,
          lostPeerCapacity,
          lostPeerRetention,
          maxProbeInterval,
          protectedActiveSlots,
          passivePerSource);
    }
  }
}
