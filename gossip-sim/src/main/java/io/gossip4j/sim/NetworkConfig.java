package io.gossip4j.sim;

import static io.gossip4j.proto.ConfigChecks.checkPositive;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated network's parameters.
 *
 * @param seed seeds every random choice of the run, the nodes' included
 * @param minLatency shortest one-way latency of a link
 * @param maxLatency longest one-way latency of a link; each link draws one in between
 * @param lossRate probability that a message is lost, 0 to 1
 */
public record NetworkConfig(long seed, Duration minLatency, Duration maxLatency, double lossRate) {
  public NetworkConfig {
    Objects.requireNonNull(minLatency, "NetworkConfig.minLatency");
    checkPositive("NetworkConfig.maxLatency", maxLatency);
    if (minLatency.isNegative() || minLatency.compareTo(maxLatency) > 0) {
      throw new IllegalArgumentException(
          "NetworkConfig.minLatency must be between 0 and maxLatency (" + maxLatency + "), was "
              + minLatency);
    }
    if (!(lossRate >= 0 && lossRate <= 1)) {
      throw new IllegalArgumentException(
          "NetworkConfig.lossRate must be between 0 and 1, was " + lossRate);
    }
  }

  /** Latency 10 to 50 ms, no loss. */
  public static NetworkConfig withSeed(long seed) {
    return new NetworkConfig(seed, Duration.ofMillis(10), Duration.ofMillis(50), 0);
  }
}
