package io.gossip4j.netty;

import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.netty.transport.PipelineCustomizer;
import io.gossip4j.netty.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Everything a {@link Gossip} node was built with, copied out of its {@link Gossip.Builder} by
 * {@link Gossip.Builder#build()}: changing or reusing the builder afterwards never changes a
 * node. Checked by the builder; the identity is resolved (a fresh one if none was given).
 * Nullable: {@code eventLoopGroup} and {@code listenerExecutor} (the node owns its own then),
 * {@code connectionFailureListener} (none), {@code seed} (random).
 */
record GossipConfig(
    Identity identity,
    InetSocketAddress bind,
    List<InetSocketAddress> advertise,
    HyParViewConfig membership,
    PlumTreeConfig broadcast,
    int maxFrameSize,
    int subscriberQueueCapacity,
    int maxTopics,
    int maxSubscribersPerTopic,
    int verificationThreads,
    int maxConnections,
    int maxPendingHandshakes,
    int maxPendingHandshakesPerAddress,
    int peerQueueFrames,
    long peerQueueBytes,
    long maxQueuedBroadcastBytes,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration connectTimeout,
    Duration closeTimeout,
    Duration joinTimeout,
    EventLoopGroup eventLoopGroup,
    Executor listenerExecutor,
    Consumer<ConnectionFailure> connectionFailureListener,
    Transport transport,
    TlsProvider tlsProvider,
    Long seed,
    LongSupplier wallClockMillis,
    PipelineCustomizer pipelineCustomizer) {

  GossipConfig {
    advertise = List.copyOf(advertise);
  }
}
