package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.gossip4j.netty.tls.PeerAuthenticated;
import io.gossip4j.netty.tls.PeerAuthenticationFailed;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Which node answers at an address: the TLS handshake proves the node's key, and the channel
 * closes before this node sends HELLO. The peer takes a connection into its table only once
 * HELLO arrives, so neither side's table ever sees this one, and the one-channel rule is not
 * involved. The last handler of such a channel's pipeline.
 */
final class Identification extends ChannelInboundHandlerAdapter {
  private final NodeId self;
  private final InetSocketAddress address;
  private final CompletableFuture<NodeId> result;

  Identification(NodeId self, InetSocketAddress address, CompletableFuture<NodeId> result) {
    this.self = self;
    this.address = address;
    this.result = result;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof PeerAuthenticated authenticated) {
      result.complete(authenticated.peer());
      ctx.close();
    } else if (event instanceof PeerAuthenticationFailed failed) {
      if (failed.reason() == PeerAuthenticationFailed.Reason.UNEXPECTED_PEER) {
        // With no node expected, the only unexpected one is this node itself: a published
        // address of ours (a service lists every member, us too).
        result.complete(self);
      } else {
        fail("TLS " + failed.reason() + ": " + failed.detail());
      }
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // the peer's HELLO, sent once it had authenticated us
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause.toString());
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail("connection closed before the peer was authenticated");
    ctx.fireChannelInactive();
  }

  /** The connect itself failed. */
  void connectFailed(Throwable why) {
    fail(DialFailure.describe(why));
  }

  /** A no-op once the peer is known or an earlier failure was reported. */
  private void fail(String why) {
    result.completeExceptionally(new IOException(address + ": " + why));
  }
}
