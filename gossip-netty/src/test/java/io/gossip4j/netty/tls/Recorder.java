package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Last handler of a test pipeline: records the first authentication outcome (or, in pipelines
 * without a {@link PeerAuthenticator}, the raw handshake outcome), the first message and whether
 * the channel closed. Exceptions stop here so that they do not reach Netty's tail as warnings.
 */
final class Recorder extends ChannelInboundHandlerAdapter {
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private final CompletableFuture<Object> outcome = new CompletableFuture<>();
  private final CompletableFuture<String> firstMessage = new CompletableFuture<>();
  private final CompletableFuture<Channel> channel = new CompletableFuture<>();
  private final String greeting;

  Recorder() {
    this(null);
  }

  /** A recorder that writes {@code greeting} the moment it sees {@link PeerAuthenticated}. */
  Recorder(String greeting) {
    this.greeting = greeting;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel.complete(ctx.channel());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof PeerAuthenticated
        || event instanceof PeerAuthenticationFailed
        || event instanceof SslHandshakeCompletionEvent) {
      outcome.complete(event);
    }
    if (event instanceof PeerAuthenticated && greeting != null) {
      ctx.writeAndFlush(Unpooled.copiedBuffer(greeting, StandardCharsets.UTF_8));
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      firstMessage.complete(buf.toString(StandardCharsets.UTF_8));
    } finally {
      buf.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  Channel channel() throws Exception {
    return await(channel);
  }

  /** The outcome, waiting up to the deadline, checked to be of {@code type}. */
  <T> T outcome(Class<T> type) throws Exception {
    Object value = await(outcome);
    assertThat(value).isInstanceOf(type);
    return type.cast(value);
  }

  String firstMessage() throws Exception {
    return await(firstMessage);
  }

  /** Waits, up to the deadline, for the channel to close; true if it did. */
  boolean awaitClosed() throws Exception {
    return channel().closeFuture().await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
