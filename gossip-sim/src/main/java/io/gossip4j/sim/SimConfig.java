package io.gossip4j.sim;

import static io.gossip4j.proto.ConfigChecks.checkPositive;
import static io.gossip4j.proto.ConfigChecks.checkRange;

import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.proto.ProtocolConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The parameters of one simulated run. A membership cycle is one shuffle interval; the
 * simulator shortens it from the protocol's 60 s to {@link #cycle} (1 s by default) so a run of
 * 50 cycles is 50 virtual seconds, and shortens PlumTree's cache retention to match (see
 * {@link #protocolConfig()}).
 *
 * @param nodes nodes that join before anything else happens
 * @param cycles membership cycles run after the joins, before the broadcasts (for {@code churn}:
 *     the cycles with churn, one broadcast each)
 * @param broadcasts broadcasts measured
 * @param senders who sends them
 * @param failFraction share of the nodes that crash at once ({@code mass-failure})
 * @param churnPerCycle nodes that crash every cycle ({@code churn})
 * @param joinsPerCycle nodes that join every cycle ({@code churn}); as many as crash unless set
 * @param seed seeds every random choice of the run
 * @param cycle one membership cycle: the shuffle interval
 * @param broadcastInterval virtual time between two broadcasts
 * @param joinWindow the initial nodes join one after another, spread over this time
 * @param settle how long a broadcast is given to reach everyone before it is measured; a node
 *     that crashes within it is not counted for that broadcast
 * @param payloadBytes size of each broadcast payload (at least 4: it carries its index)
 * @param flood PlumTree with {@link PlumTreeConfig#eagerOnly()}: plain flooding, the baseline
 * @param network latency range, loss and seed of the network (its seed is {@link #seed})
 * @param threads threads to run on; the results are the same for any number
 * @param split share of the nodes on the first side of the cut ({@code partition})
 * @param cut how long the network stays cut ({@code partition})
 * @param productionTimings run the protocol's own defaults (a 60 s shuffle interval with
 *     rotation, 90 s of payloads, 150 s of ids) instead of the shortened ones; {@code partition}
 *     sets it, with {@link #cycle} the shuffle interval
 */
public record SimConfig(
    int nodes,
    int cycles,
    int broadcasts,
    Senders senders,
    double failFraction,
    int churnPerCycle,
    int joinsPerCycle,
    long seed,
    Duration cycle,
    Duration broadcastInterval,
    Duration joinWindow,
    Duration settle,
    int payloadBytes,
    boolean flood,
    NetworkConfig network,
    int threads,
    double split,
    Duration cut,
    boolean productionTimings) {

  /** Smallest payload: the first four bytes carry the broadcast's index. */
  public static final int MIN_PAYLOAD = 4;
  /** Most threads a run may use. */
  public static final int MAX_THREADS = 256;

  public SimConfig {
    checkRange("SimConfig.nodes", nodes, 2, 10_000_000);
    if (!(split > 0 && split < 1)) {
      throw new IllegalArgumentException("SimConfig.split must be between 0 and 1, was " + split);
    }
    checkPositive("SimConfig.cut", cut);
    checkRange("SimConfig.cycles", cycles, 0, 1_000_000);
    checkRange("SimConfig.broadcasts", broadcasts, 0, 100_000_000);
    Objects.requireNonNull(senders, "SimConfig.senders");
    if (!(failFraction >= 0 && failFraction < 1)) {
      throw new IllegalArgumentException(
          "SimConfig.failFraction must be at least 0 and below 1, was " + failFraction);
    }
    checkRange("SimConfig.churnPerCycle", churnPerCycle, 0, nodes - 1);
    checkRange("SimConfig.joinsPerCycle", joinsPerCycle, 0, nodes);
    checkPositive("SimConfig.cycle", cycle);
    checkPositive("SimConfig.broadcastInterval", broadcastInterval);
    checkPositive("SimConfig.joinWindow", joinWindow);
    checkPositive("SimConfig.settle", settle);
    checkRange("SimConfig.payloadBytes", payloadBytes, MIN_PAYLOAD, 1 << 20);
    Objects.requireNonNull(network, "SimConfig.network");
    checkRange("SimConfig.threads", threads, 1, MAX_THREADS);
  }

  /**
   * The protocol's defaults, with the deviations a simulation needs: the shuffle interval is
   * one {@link #cycle}; payloads are kept 5 s for GRAFTs and ids 10 s for dedup (every broadcast
   * settles in well under a second, and 90 s of ids at 10,000 nodes would only cost heap); the
   * caches are swept every 2 s; {@link #flood} makes every neighbor eager. No rotation of the
   * active view ({@link HyParViewConfig#activeRotationShuffles()} 0): a cycle stands for a 60 s
   * shuffle interval but lasts 1 s of simulated broadcasts, so a rotation every 10 shuffles would
   * swap links 60 times as often per broadcast as a node does.
   */
  public ProtocolConfig protocolConfig() {
    if (productionTimings) {
      ProtocolConfig defaults = ProtocolConfig.defaults();
      return defaults.withBroadcast(defaults.broadcast().toBuilder().eagerOnly(flood).build());
    }
    HyParViewConfig membership =
        HyParViewConfig.builder().shuffleInterval(cycle).activeRotationShuffles(0).build();
    PlumTreeConfig broadcast =
        PlumTreeConfig.builder()
            .payloadCacheRetention(Duration.ofSeconds(5))
            .catchUpWindow(Duration.ofSeconds(5))
            .seenCacheRetention(Duration.ofSeconds(10))
            .cacheEvictionInterval(Duration.ofSeconds(2))
            .eagerOnly(flood)
            .build();
    return ProtocolConfig.defaults().withMembership(membership).withBroadcast(broadcast);
  }

  /** A builder starting from the defaults: 1,000 nodes, 50 cycles, 1,000 broadcasts. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link SimConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private int nodes = 1_000;
    private int cycles = 50;
    private int broadcasts = 1_000;
    private Senders senders = Senders.SINGLE;
    private double failFraction = 0;
    private int churnPerCycle = 0;
    /** Null: as many as {@link #churnPerCycle}. */
    private Integer joinsPerCycle;
    private long seed = 1;
    private Duration cycle = Duration.ofSeconds(1);
    private Duration broadcastInterval = Duration.ofMillis(50);
    private Duration joinWindow = Duration.ofSeconds(10);
    private Duration settle = Duration.ofSeconds(2);
    private int payloadBytes = 256;
    private boolean flood = false;
    private Duration minLatency = Duration.ofMillis(10);
    private Duration maxLatency = Duration.ofMillis(50);
    private double lossRate = 0;
    private int threads = 1;
    private double split = 0.5;
    private Duration cut = Duration.ofSeconds(60);
    private boolean productionTimings = false;

    private Builder() {}

    private Builder(SimConfig c) {
      nodes = c.nodes;
      cycles = c.cycles;
      broadcasts = c.broadcasts;
      senders = c.senders;
      failFraction = c.failFraction;
      churnPerCycle = c.churnPerCycle;
      joinsPerCycle = c.joinsPerCycle;
      seed = c.seed;
      cycle = c.cycle;
      broadcastInterval = c.broadcastInterval;
      joinWindow = c.joinWindow;
      settle = c.settle;
      payloadBytes = c.payloadBytes;
      flood = c.flood;
      minLatency = c.network.minLatency();
      maxLatency = c.network.maxLatency();
      lossRate = c.network.lossRate();
      threads = c.threads;
      split = c.split;
      cut = c.cut;
      productionTimings = c.productionTimings;
    }

    public Builder nodes(int value) {
      nodes = value;
      return this;
    }

    public Builder cycles(int value) {
      cycles = value;
      return this;
    }

    public Builder broadcasts(int value) {
      broadcasts = value;
      return this;
    }

    public Builder senders(Senders value) {
      senders = value;
      return this;
    }

    public Builder failFraction(double value) {
      failFraction = value;
      return this;
    }

    /** Nodes that crash every cycle, and, unless {@link #joinsPerCycle} is set, that join. */
    public Builder churnPerCycle(int value) {
      churnPerCycle = value;
      return this;
    }

    /** Nodes that join every cycle of {@code churn}, instead of as many as crash. */
    public Builder joinsPerCycle(int value) {
      joinsPerCycle = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder cycle(Duration value) {
      cycle = value;
      return this;
    }

    public Builder broadcastInterval(Duration value) {
      broadcastInterval = value;
      return this;
    }

    public Builder joinWindow(Duration value) {
      joinWindow = value;
      return this;
    }

    public Builder settle(Duration value) {
      settle = value;
      return this;
    }

    public Builder payloadBytes(int value) {
      payloadBytes = value;
      return this;
    }

    public Builder flood(boolean value) {
      flood = value;
      return this;
    }

    public Builder latency(Duration min, Duration max) {
      minLatency = min;
      maxLatency = max;
      return this;
    }

    public Builder lossRate(double value) {
      lossRate = value;
      return this;
    }

    /** Threads to run on; the results are the same for any number. */
    public Builder threads(int value) {
      threads = value;
      return this;
    }

    /** Share of the nodes on the first side of the cut ({@code partition}). */
    public Builder split(double value) {
      split = value;
      return this;
    }

    /** How long the network stays cut ({@code partition}). */
    public Builder cut(Duration value) {
      cut = value;
      return this;
    }

    public SimConfig build() {
      return new SimConfig(
          nodes,
          cycles,
          broadcasts,
          senders,
          failFraction,
          churnPerCycle,
          joinsPerCycle == null ? churnPerCycle : joinsPerCycle,
          seed,
          cycle,
          broadcastInterval,
          joinWindow,
          settle,
          payloadBytes,
          flood,
          new NetworkConfig(seed, minLatency, maxLatency, lossRate),
          threads,
          split,
          cut,
          productionTimings);
    }

    /** See {@link SimConfig#productionTimings()}. */
    public Builder productionTimings(boolean value) {
      productionTimings = value;
      return this;
    }
  }
}
