/**
 * Internal: the node's connections, under the driver. Not exported by the module.
 *
 * <p>{@link io.gossip4j.netty.transport.PeerConnections} is the connection table: one channel
 * per peer ({@link io.gossip4j.netty.transport.TieBreak} picks it when there are two), a bounded
 * queue per peer. Its channels come from the {@link io.gossip4j.netty.transport.Acceptor}
 * (listening, and the caps on connections and pending handshakes) and the {@link
 * io.gossip4j.netty.transport.Dialer}; {@link io.gossip4j.netty.transport.ChannelPipelines}
 * builds every pipeline: TLS, framing, heartbeats, decoding, then the {@link
 * io.gossip4j.netty.transport.ConnectionHandler} that reports to the table. {@link
 * io.gossip4j.netty.transport.Transport} chooses between native epoll and NIO.
 */
package io.gossip4j.netty.transport;
