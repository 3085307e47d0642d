package io.gossip4j.netty.transport;

import io.gossip4j.netty.TlsProvider;
import io.gossip4j.netty.tls.TlsSetup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of every channel, dialed or accepted: the one place that says which
 * handlers a connection has and in what order.
 */
final class ChannelPipelines {
  private final TransportConfig config;
  private final TlsSetup tls;
  private final TransportMetrics metrics;
  private final PeerWarnings warnings;
  private final PeerConnections table;

  ChannelPipelines(TransportConfig config, TlsSetup tls, TransportMetrics metrics,
      PeerWarnings warnings, PeerConnections table) {
    this.config = config;
    this.tls = tls;
    this.metrics = metrics;
    this.warnings = warnings;
    this.table = table;
  }

  /**
   * From the socket up: what the customizer adds (nothing but in tests), received bytes moved
   * to the heap if TLS is the JDK's (BoringSSL reads direct memory best), TLS (with peer authentication: a dialer expects the peer it
   * dialed), splitting received bytes at the length prefixes (outbound frames carry theirs, see
   * {@link FrameLength}), idle detection, frame decoding, then the table's per-connection
   * handler.
   */
  void build(Connection connection) {
    Channel ch = connection.channel();
    ChannelHandler tlsHandler = connection.outbound()
        ? tls.clientHandler(ch.alloc(), connection.peer())
        : tls.serverHandler(ch.alloc());
    int lengthPrefix = FrameLength.BYTES;
    config.pipelineCustomizer()
        .customize(ch.pipeline(), connection.outbound() ? connection.peer() : null);
    if (tls.provider() == TlsProvider.JDK) {
      ch.pipeline().addLast("heap", HeapCiphertext.INSTANCE);
    }
    ch.pipeline()
        .addLast("tls", tlsHandler)
        .addLast(
            "framing",
            new LengthFieldBasedFrameDecoder(
                config.maxFrameSize() + lengthPrefix, 0, lengthPrefix, 0, lengthPrefix))
        .addLast(
            "idle",
            new IdleStateHandler(
                config.idleTimeout().toMillis(),
                config.heartbeatInterval().toMillis(),
                0,
                TimeUnit.MILLISECONDS))
        .addLast("frames", new InboundFrameDecoder(config.maxFrameSize(), metrics, warnings))
        .addLast("connection", new ConnectionHandler(connection, table));
  }

  /**
   * A channel that only asks which node answers: received bytes moved to the heap as above,
   * TLS that accepts whichever node proves its key, then {@code identification}, which reads the
   * outcome and closes the channel. No framing: no frame is ever read on it.
   */
  void buildIdentification(Channel ch, Identification identification) {
    if (tls.provider() == TlsProvider.JDK) {
      ch.pipeline().addLast("heap", HeapCiphertext.INSTANCE);
    }
    ch.pipeline()
        .addLast("tls", tls.clientHandlerForAnyPeer(ch.alloc()))
        .addLast("identify", identification);
  }
}
