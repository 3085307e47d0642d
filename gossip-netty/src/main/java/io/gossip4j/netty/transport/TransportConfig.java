package io.gossip4j.netty.transport;

import java.time.Duration;

/**
 * The transport's limits and timers, validated by the public builder.
 *
 * @param maxFrameSize largest frame body sent or accepted
 * @param heartbeatInterval a connection idle for writing this long sends a heartbeat
 * @param idleTimeout a connection silent this long is closed: the peer is taken as dead
 * @param closeTimeout how long a connection that lost the tie-break waits for the peer's CLOSE
 * @param connectTimeout how long a TCP connect may take
 * @param maxQueuedFrames most frames queued for one peer that is not keeping up
 * @param maxQueuedBytes most bytes queued for one peer that is not keeping up
 */
public record TransportConfig(
    int maxFrameSize,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration closeTimeout,
    Duration connectTimeout,
    int maxQueuedFrames,
    long maxQueuedBytes) {}
