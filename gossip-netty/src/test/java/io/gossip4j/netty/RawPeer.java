package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.netty.tls.PeerAuthenticated;
import io.gossip4j.netty.tls.TlsSetup;
import io.gossip4j.netty.transport.Transport;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.CodecException;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.WireCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for tests of hostile input: an authenticated TLS connection to a node,
 * HELLO sent, then whatever protocol frames the test crafts. It signs with its own identity,
 * correctly or not as the test wants, and records the protocol frames the node sends it.
 */
final class RawPeer implements AutoCloseable {
  private static final MessageIds IDS = new MessageIds();

  final Identity identity = Identity.generate();
  final List<Message> received = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group = Transport.best().newEventLoopGroup(1);
  private final Channel channel;

  /** Connects to {@code target} and says HELLO. */
  RawPeer(Gossip target) throws Exception {
    TlsSetup tls = TlsSetup.forIdentity(identity);
    CompletableFuture<Void> authenticated = new CompletableFuture<>();
    int maxFrame = 64 << 10;
    ChannelInboundHandlerAdapter reader = new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PeerAuthenticated) {
          authenticated.complete(null);
        }
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf body = (ByteBuf) msg;
        try {
          int type = body.getUnsignedByte(body.readerIndex()) & 0x0f;
          if (type < WireCodec.FIRST_TRANSPORT_TYPE) {
            received.add(WireCodec.decode(body.nioBuffer(), maxFrame).message());
          }
        } catch (CodecException e) {
          throw new AssertionError("the node sent a frame that does not decode", e);
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
    };
    channel = new Bootstrap().group(group).channel(Transport.best().socketChannel())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(tls.clientHandler(c.alloc(), target.nodeId()))
                .addLast(new LengthFieldBasedFrameDecoder(maxFrame + 4, 0, 4, 0, 4))
                .addLast(reader);
          }
        })
        .connect(target.addr().addresses().get(0)).sync().channel();
    authenticated.get(10, TimeUnit.SECONDS);
    byte[] hello = {(byte) (WireCodec.VERSION << 4 | WireCodec.FIRST_TRANSPORT_TYPE),
        0, 0, 0, 0, 0, 0, 0, 42};
    sendRaw(withLength(hello));
  }

  NodeId nodeId() {
    return identity.nodeId();
  }

  /** Sends one protocol frame. */
  void send(TopicId topic, Message message) throws InterruptedException {
    sendRaw(withLength(WireCodec.encode(new Frame(topic, message))));
  }

  /** Sends these bytes as they are: a frame with its length prefix, or garbage. */
  void sendRaw(ByteBuf bytes) throws InterruptedException {
    channel.writeAndFlush(bytes).sync();
  }

  /**
   * A GOSSIP of {@code text} claiming {@code origin}, sealed with this peer's key at
   * {@code timestampMillis}: a valid message when {@code origin} is this peer.
   */
  BroadcastMessage.Push gossip(TopicId topic, NodeId origin, String text, long nonce, long timestampMillis) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    OriginSigner signer = new OriginSigner(identity, () -> timestampMillis);
    Optional<Seal> seal = signer.seal(topic, origin, nonce, Scope.SWARM, payload);
    return new BroadcastMessage.Push(IDS.of(topic, origin, nonce, payload), origin, nonce, 0, Scope.SWARM,
        seal, payload);
  }

  /** Whether the node closed the connection within {@code timeout}. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return channel.closeFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
  }

  private static ByteBuf withLength(byte[] body) {
    return Unpooled.buffer(4 + body.length).writeInt(body.length).writeBytes(body);
  }

  /**
   * A bare authenticated connection to {@code target} as {@code identity}, no HELLO sent: the
   * test writes raw frames (length prefix included) and what comes back is dropped.
   */
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
    return Unpooled.buffer(13).writeInt(9)
        .writeByte((WireCodec.VERSION << 4) | WireCodec.FIRST_TRANSPORT_TYPE)
        .writeLong(incarnation);
  }
}
