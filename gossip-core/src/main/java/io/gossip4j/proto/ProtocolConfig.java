package io.gossip4j.proto;

import static io.gossip4j.proto.ConfigChecks.checkRange;

import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import java.util.Objects;

/**
 * A node's protocol parameters: membership, broadcast, and the frame limit both share.
 *
 * @param membership HyParView's parameters, the same for every topic
 * @param broadcast PlumTree's parameters, the same for every topic
 * @param maxFrameSize largest frame sent or accepted, in bytes (512 B to 16 MiB)
 * @param maxTopics most topics joined at once; each holds a swarm's views and caches
 */
public record ProtocolConfig(
    HyParViewConfig membership, PlumTreeConfig broadcast, int maxFrameSize, int maxTopics) {

  /** Smallest allowed {@link #maxFrameSize}: a full SHUFFLE must still fit. */
  public static final int MIN_FRAME_SIZE = 512;
  /** Largest allowed {@link #maxFrameSize}. */
  public static final int MAX_FRAME_SIZE = 16 << 20;
  /** Default {@link #maxFrameSize}: 64 KiB. */
  public static final int DEFAULT_FRAME_SIZE = 64 << 10;
  /** Default {@link #maxTopics}. */
  public static final int DEFAULT_MAX_TOPICS = 1024;
  /** Largest allowed {@link #maxTopics}. */
  public static final int MAX_TOPICS = 1 << 20;

  public ProtocolConfig {
    Objects.requireNonNull(membership, "ProtocolConfig.membership");
    Objects.requireNonNull(broadcast, "ProtocolConfig.broadcast");
    checkRange("ProtocolConfig.maxFrameSize", maxFrameSize, MIN_FRAME_SIZE, MAX_FRAME_SIZE);
    checkRange("ProtocolConfig.maxTopics", maxTopics, 1, MAX_TOPICS);
  }

  /** A config with the default {@link #maxTopics}. */
  public ProtocolConfig(HyParViewConfig membership, PlumTreeConfig broadcast, int maxFrameSize) {
    this(membership, broadcast, maxFrameSize, DEFAULT_MAX_TOPICS);
  }

  /** The design's defaults. */
  public static ProtocolConfig defaults() {
    return new ProtocolConfig(
        HyParViewConfig.defaults(), PlumTreeConfig.defaults(), DEFAULT_FRAME_SIZE);
  }

  /** This config with another membership config. */
  public ProtocolConfig withMembership(HyParViewConfig value) {
    return new ProtocolConfig(value, broadcast, maxFrameSize, maxTopics);
  }

  /** This config with another broadcast config. */
  public ProtocolConfig withBroadcast(PlumTreeConfig value) {
    return new ProtocolConfig(membership, value, maxFrameSize, maxTopics);
  }

  /** This config with another frame limit. */
  public ProtocolConfig withMaxFrameSize(int value) {
    return new ProtocolConfig(membership, broadcast, value, maxTopics);
  }

  /** This config with another topic limit. */
  public ProtocolConfig withMaxTopics(int value) {
    return new ProtocolConfig(membership, broadcast, maxFrameSize, value);
  }
}
