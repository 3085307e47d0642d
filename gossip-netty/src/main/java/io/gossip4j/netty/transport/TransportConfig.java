package io.gossip4j.netty.transport;

import java.time.Duration;

/**
 * The transport's limits and timers, validated by the public builder, and the hook through
 * which tests add handlers to its pipelines.
 *
 * @param maxFrameSize largest frame body sent or accepted
 * @param heartbeatInterval a connection idle for writing this long sends a heartbeat
 * @param idleTimeout a connection silent this long is closed: the peer is taken as dead
 * @param closeTimeout how long a connection that lost the tie-break waits for the peer's CLOSE
 * @param connectTimeout how long a TCP connect may take
 * @param maxQueuedFrames most frames queued for one peer that is not keeping up
 * @param maxQueuedBytes most bytes queued for one peer that is not keeping up
 * @param maxPendingHandshakes most accepted connections still in their TLS handshake
 * @param maxPendingHandshakesPerAddress most of those from one remote IP address
 * @param maxConnections most open connections, in and out; past it, accepted ones are closed
 * @param pipelineCustomizer adds handlers below TLS in every pipeline: {@link
 *     PipelineCustomizer#NONE} but in tests
 */
public record TransportConfig(
    int maxFrameSize,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration closeTimeout,
    Duration connectTimeout,
    int maxQueuedFrames,
    long maxQueuedBytes,
    int maxPendingHandshakes,
    int maxPendingHandshakesPerAddress,
    int maxConnections,
    PipelineCustomizer pipelineCustomizer) {

  /**
   * Connections per peer that lost the tie-break and wait for the peer's CLOSE. A peer that
   * keeps opening connections and never closes them would otherwise hold any number for the
   * close timeout each; an honest one has one at a time.
   */
  public static final int MAX_RETIRING_PER_PEER = 2;
}
