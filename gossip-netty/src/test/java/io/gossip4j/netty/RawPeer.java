package io.gossip4j.netty;

import io.gossip4j.netty.tls.PeerAuthenticated;
import io.gossip4j.netty.tls.TlsSetup;
import io.gossip4j.netty.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for tests: a real TLS connection under some identity, after which the test
 * writes whatever frames it likes (raw, length prefix included) and ignores what comes back.
 */
final class RawPeer {
  private RawPeer() {}

  /** Connects to {@code target} as {@code identity} and waits until TLS authenticated both. */
  static Channel connect(EventLoopGroup group, Gossip target, Identity identity)
      throws Exception {
    TlsSetup tls = TlsSetup.forIdentity(identity);
    CompletableFuture<Void> authenticated = new CompletableFuture<>();
    Channel ch = new Bootstrap().group(group).channel(Transport.best().socketChannel())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(tls.clientHandler(c.alloc(), target.nodeId()))
                .addLast(new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof PeerAuthenticated) {
                      authenticated.complete(null);
                    }
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                  }
                });
          }
        })
        .connect(target.addr().addresses().get(0)).sync().channel();
    authenticated.get(10, TimeUnit.SECONDS);
    return ch;
  }

  /** The HELLO frame with {@code incarnation}, length prefix included. */
  static ByteBuf hello(long incarnation) {
    return Unpooled.buffer(13).writeInt(9).writeByte(0x1b).writeLong(incarnation);
  }
}
