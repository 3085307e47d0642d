package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.gossip4j.netty.tls.TlsSetup;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Predicate;

/**
 * For tests of network partitions: the first handler of every pipeline, below TLS, which drops
 * every byte to and from a peer the table's traffic filter blocks, as a broken network would.
 * The peer is the one dialed, or the one TLS authenticated on an accepted connection (the
 * dialing side of a blocked pair already drops the handshake). Nothing is closed: the
 * connections go silent and the idle and handshake timeouts do the rest.
 */
final class TrafficGate extends ChannelDuplexHandler {
  private final PeerConnections table;
  private final NodeId dialed;

  TrafficGate(PeerConnections table, NodeId dialed) {
    this.table = table;
    this.dialed = dialed;
  }

  private boolean blocked(ChannelHandlerContext ctx) {
    Predicate<NodeId> filter = table.trafficFilter();
    if (filter == null) {
      return false;
    }
    NodeId peer = dialed != null ? dialed : TlsSetup.authenticatedPeer(ctx.channel()).orElse(null);
    return peer != null && filter.test(peer);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (blocked(ctx)) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (blocked(ctx)) {
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
    } else {
      ctx.write(msg, promise);
    }
  }
}
