package io.gossip4j.scalecube;

import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.cluster.transport.api.TransportFactory;
import io.scalecube.transport.netty.Receiver;
import io.scalecube.transport.netty.Sender;
import io.scalecube.transport.netty.TransportImpl;
import io.scalecube.transport.netty.TransportImpl.ReceiverContext;
import io.scalecube.transport.netty.TransportImpl.SenderContext;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * ScaleCube's TCP transport ({@code TransportImpl} with the receiver and sender of
 * {@code io.scalecube.transport.netty.tcp}), bound to 127.0.0.1 and dialing 127.0.0.1 only.
 *
 * <p>ScaleCube's own {@code TcpReceiver} binds every interface and advertises
 * {@code InetAddress.getLocalHost()}; its receiver and sender classes cannot be configured or
 * reused (package-private constructors), so this copies them with a host: the same options
 * (TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR, the connect timeout) and the same framing (a 4-byte
 * length prefix, {@code maxFrameLength}).
 */
final class LoopbackTransportFactory implements TransportFactory {
  static final String LOOPBACK = "127.0.0.1";
  private static final int LENGTH_FIELD_BYTES = 4;

  @Override
  public Transport createTransport(TransportConfig config) {
    return new TransportImpl(config.messageCodec(), new LoopbackReceiver(config),
        new LoopbackSender(config), config.addressMapper());
  }

  /** ScaleCube's framing, as its {@code TcpChannelInitializer} adds it. */
  private static void addFraming(ChannelPipeline pipeline, int maxFrameLength) {
    pipeline.addFirst(new LengthFieldBasedFrameDecoder(
        maxFrameLength, 0, LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES));
    pipeline.addFirst(new LengthFieldPrepender(LENGTH_FIELD_BYTES));
  }

  private record LoopbackReceiver(TransportConfig config) implements Receiver {
    @Override
    public Mono<DisposableServer> bind() {
      return Mono.deferContextual(context -> Mono.just(context.get(ReceiverContext.class)))
          .flatMap(context -> TcpServer.create()
              .runOn(context.loopResources())
              .host(LOOPBACK)
              .port(config.port())
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childOption(ChannelOption.SO_REUSEADDR, true)
              .doOnChannelInit((observer, channel, remote) ->
                  addFraming(channel.pipeline(), config.maxFrameLength()))
              .handle((in, out) -> in.receive().retain().doOnNext(context::onMessage).then())
              .bind()
              .cast(DisposableServer.class));
    }
  }

  private record LoopbackSender(TransportConfig config) implements Sender {
    @Override
    public Mono<Connection> connect(String address) {
      String host = Transport.parseHost(address);
      if (!LOOPBACK.equals(host)) {
        return Mono.error(new IllegalArgumentException(
            "the bench dials " + LOOPBACK + " only, was asked for " + address));
      }
      return Mono.deferContextual(context -> Mono.just(context.get(SenderContext.class)))
          .flatMap(context -> TcpClient.newConnection()
              .runOn(context.loopResources())
              .host(host)
              .port(Transport.parsePort(address))
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.SO_KEEPALIVE, true)
              .option(ChannelOption.SO_REUSEADDR, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeout())
              .doOnChannelInit((observer, channel, remote) ->
                  addFraming(channel.pipeline(), config.maxFrameLength()))
              .connect());
    }

    @Override
    public Mono<Void> send(Message message) {
      return Mono.deferContextual(context -> {
        Connection connection = context.get(Connection.class);
        SenderContext senderContext = context.get(SenderContext.class);
        return connection.outbound()
            .sendObject(Mono.just(message).map(senderContext.messageEncoder()), buf -> true)
            .then();
      });
    }
  }
}
