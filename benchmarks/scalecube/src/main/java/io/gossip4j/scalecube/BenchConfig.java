package io.gossip4j.scalecube;

import io.scalecube.cluster.ClusterConfig;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What one ScaleCube benchmark run does; the same knobs as gossip4j's {@code gossip bench} where
 * they apply, and ScaleCube's gossip settings.
 *
 * @param nodes nodes in the cluster, all in this JVM on 127.0.0.1
 * @param messages broadcasts measured (after the warm-up)
 * @param size payload bytes per broadcast (at least 16: a sequence number and a timestamp)
 * @param rate broadcasts per second, open loop; 0 for as fast as the window allows
 * @param window most broadcasts in flight (sent, not yet delivered everywhere) when rate is 0,
 *     and during the warm-up
 * @param warmup broadcasts sent and waited for before measuring
 * @param seed seeds the choice of senders
 * @param preset ScaleCube's configuration preset the cluster starts from
 * @param gossipIntervalMs ScaleCube's {@code GossipConfig.gossipInterval}: the gossip period
 * @param gossipFanout {@code GossipConfig.gossipFanout}: members sent to each period
 * @param gossipRepeatMult {@code GossipConfig.gossipRepeatMult}: a gossip is spread for
 *     repeatMult x ceil(log2 nodes) periods
 * @param sendLimit longest the measured broadcasts may take to send; the run stops sending then
 */
public record BenchConfig(
    int nodes,
    int messages,
    int size,
    int rate,
    int window,
    int warmup,
    long seed,
    Preset preset,
    long gossipIntervalMs,
    int gossipFanout,
    int gossipRepeatMult,
    Duration sendLimit) {

  public BenchConfig {
    if (nodes < 2) {
      throw new IllegalArgumentException("--nodes must be at least 2, was " + nodes);
    }
    if (messages < 1) {
      throw new IllegalArgumentException("--messages must be at least 1, was " + messages);
    }
    if (size < 16) {
      throw new IllegalArgumentException("--size must be at least 16 bytes, was " + size);
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be >= 0, was " + rate);
    }
    if (window < 1) {
      throw new IllegalArgumentException("--window must be at least 1, was " + window);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
    }
    if (gossipIntervalMs < 1 || gossipFanout < 1 || gossipRepeatMult < 1) {
      throw new IllegalArgumentException("--gossip-interval-ms, --gossip-fanout and "
          + "--gossip-repeat-mult must be at least 1, were " + gossipIntervalMs + ", "
          + gossipFanout + ", " + gossipRepeatMult);
    }
    if (sendLimit.isNegative() || sendLimit.isZero()) {
      throw new IllegalArgumentException("--send-limit-s must be positive, was " + sendLimit);
    }
  }

  /** ScaleCube's named configurations ({@code ClusterConfig.defaultLanConfig()} and so on). */
  public enum Preset {
    /** {@code defaultConfig()}, the same as LAN: what {@code new ClusterImpl()} runs. */
    LAN(ClusterConfig::defaultLanConfig),
    /** {@code defaultLocalConfig()}: for loopback, gossip every 100 ms, repeat mult 2. */
    LOCAL(ClusterConfig::defaultLocalConfig),
    /** {@code defaultWanConfig()}: fanout 4, longer timeouts. */
    WAN(ClusterConfig::defaultWanConfig);

    private final Supplier<ClusterConfig> config;

    Preset(Supplier<ClusterConfig> config) {
      this.config = config;
    }

    public ClusterConfig clusterConfig() {
      return config.get();
    }
  }
}
