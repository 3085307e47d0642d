package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.netty.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real Netty on 127.0.0.1 with ephemeral ports: a listener whose accepted channels each get a
 * {@link Recorder}, and clients that get one too.
 */
final class Loopback implements AutoCloseable {
  private static final int THREADS = 2;

  private final Transport transport;
  private final EventLoopGroup group;
  private final BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();

  Loopback(Transport transport) {
    this.transport = transport;
    this.group = transport.newEventLoopGroup(THREADS);
  }

  /** Listens; each accepted channel's pipeline is {@code first} then a recorder. */
  InetSocketAddress listen(Function<Channel, ChannelHandler> first) throws Exception {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    Recorder recorder = new Recorder();
                    ch.pipeline().addLast("first", first.apply(ch)).addLast(recorder);
                    accepted.add(recorder);
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    assertThat(bound.await(Recorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(bound.isSuccess()).as("bound: %s", bound.cause()).isTrue();
    return (InetSocketAddress) bound.channel().localAddress();
  }

  /** Connects to {@code address} with pipeline {@code first} then the returned recorder. */
  Recorder connect(InetSocketAddress address, Function<Channel, ChannelHandler> first)
      throws Exception {
    return connect(address, first, new Recorder());
  }

  /** Connects to {@code address} with pipeline {@code first} then {@code recorder}. */
  Recorder connect(
      InetSocketAddress address, Function<Channel, ChannelHandler> first, Recorder recorder)
      throws Exception {
    ChannelFuture connected =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("first", first.apply(ch)).addLast(recorder);
                  }
                })
            .connect(address);
    assertThat(connected.await(Recorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(connected.isSuccess()).as("connected: %s", connected.cause()).isTrue();
    return recorder;
  }

  /** The recorder of the next accepted channel, waiting up to the deadline. */
  Recorder nextAccepted() throws Exception {
    Recorder recorder = accepted.poll(Recorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(recorder).as("a connection was accepted").isNotNull();
    return recorder;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, Recorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
  }
}
