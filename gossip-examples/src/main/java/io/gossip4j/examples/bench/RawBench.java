package io.gossip4j.examples.bench;

import io.gossip4j.netty.Identity;
import io.gossip4j.netty.TlsProvider;
import io.gossip4j.netty.tls.PeerAuthenticated;
import io.gossip4j.netty.tls.TlsSetup;
import io.gossip4j.netty.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: one connection on loopback, sender to receiver, the same TLS setup and framing
 * as gossip4j's, no protocol. Frames per second at the receiver is what the machine can carry.
 */
public final class RawBench {
  private static final int BATCH = 64;

  private RawBench() {}

  /**
   * Frames per second received, over {@code frames} frames of {@code size} bytes, both ends on
   * TLS {@code provider} (ignored without TLS).
   */
  public static double framesPerSecond(int frames, int size, boolean tls, TlsProvider provider)
      throws Exception {
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newEventLoopGroup(2);
    Identity serverId = Identity.generate();
    TlsSetup server =
        TlsSetup.forIdentity(serverId, TlsSetup.DEFAULT_HANDSHAKE_TIMEOUT, provider);
    TlsSetup client =
        TlsSetup.forIdentity(Identity.generate(), TlsSetup.DEFAULT_HANDSHAKE_TIMEOUT, provider);
    CompletableFuture<Long> done = new CompletableFuture<>();
    long[] firstAt = new long[1];
    try {
      Channel listener = new ServerBootstrap().group(group).channel(transport.serverChannel())
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (tls) {
                ch.pipeline().addLast(server.serverHandler(ch.alloc()));
              }
              ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 24, 0, 4, 0, 4))
                  .addLast(new ChannelInboundHandlerAdapter() {
                    int received;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ReferenceCountUtil.release(msg);
                      if (received++ == 0) {
                        firstAt[0] = System.nanoTime();
                      }
                      if (received == frames) {
                        done.complete(System.nanoTime());
                      }
                    }
                  });
            }
          })
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
      CompletableFuture<Channel> ready = new CompletableFuture<>();
      new Bootstrap().group(group).channel(transport.socketChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
              new WriteBufferWaterMark(256 << 10, 1 << 20))
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (tls) {
                ch.pipeline().addLast(client.clientHandler(ch.alloc(), serverId.nodeId()));
              }
              ch.pipeline().addLast(new Sender(frames, size, tls, ready));
            }
          })
          .connect(listener.localAddress()).sync();
      Long end = done.get(120, TimeUnit.SECONDS);
      listener.close().sync();
      ready.get().close().sync();
      return (frames - 1) / ((end - firstAt[0]) / 1e9);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Writes frames while the channel is writable, resuming when it drains. */
  private static final class Sender extends ChannelInboundHandlerAdapter {
    private final int frames;
    private final int size;
    private final boolean tls;
    private final CompletableFuture<Channel> ready;
    private int sent;

    Sender(int frames, int size, boolean tls, CompletableFuture<Channel> ready) {
      this.frames = frames;
      this.size = size;
      this.tls = tls;
      this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (!tls) {
        start(ctx);
      }
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof PeerAuthenticated) {
        start(ctx);
      }
      ctx.fireUserEventTriggered(evt);
    }

    private void start(ChannelHandlerContext ctx) {
      ready.complete(ctx.channel());
      pump(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
      while (sent < frames && ctx.channel().isWritable()) {
        for (int i = 0; i < BATCH && sent < frames; i++, sent++) {
          // Length prefix and body in one buffer, as gossip-netty writes its frames.
          ByteBuf frame = ctx.alloc().buffer(4 + size);
          frame.writeInt(size).writeZero(size);
          ctx.write(frame, ctx.voidPromise());
        }
        ctx.flush();
      }
    }
  }
}
