package io.gossip4j.netty.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket and the admission of what it accepts: a connection over the cap of open
 * connections, or of handshakes in progress in total or from its address, is closed before any
 * TLS work is done; an admitted one goes to the table. Runs on the node's event loop.
 */
final class Acceptor {
  private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
  /** Set on an accepted channel while it holds a {@link HandshakeSlots} slot. */
  private static final AttributeKey<Boolean> HANDSHAKE_SLOT =
      AttributeKey.valueOf(Acceptor.class, "handshakeSlot");

  private final EventLoop loop;
  private final Transport transport;
  private final TransportConfig config;
  private final TransportMetrics metrics;
  private final PeerWarnings warnings;
  private final PeerConnections table;
  private final HandshakeSlots handshakes;
  private Channel server;

  Acceptor(EventLoop loop, Transport transport, TransportConfig config, TransportMetrics metrics,
      PeerWarnings warnings, PeerConnections table) {
    this.loop = loop;
    this.transport = transport;
    this.config = config;
    this.metrics = metrics;
    this.warnings = warnings;
    this.table = table;
    this.handshakes =
        new HandshakeSlots(config.maxPendingHandshakes(), config.maxPendingHandshakesPerAddress());
  }

  /** Binds the listening socket; completes with the bound address. */
  ChannelFuture bind(SocketAddress address) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerConnections.WATER_MARK)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (admit(ch)) {
                      table.adopt(new Connection(ch, false));
                    }
                  }
                });
    ChannelFuture future = bootstrap.bind(address);
    server = future.channel();
    return future;
  }

  /** The bound listening address, once bound. */
  InetSocketAddress localAddress() {
    return server == null ? null : (InetSocketAddress) server.localAddress();
  }

  /**
   * The accept path's caps: open connections in total, handshakes in progress in total and
   * from the caller's address. A connection over a cap is closed before any TLS work is done.
   */
  private boolean admit(SocketChannel ch) {
    InetAddress address = ch.remoteAddress().getAddress();
    String refusal = null;
    if (table.isClosed()) {
      refusal = "the node is closing";
    } else if (table.openChannels() >= config.maxConnections()) {
      refusal = table.openChannels() + " connections open (Gossip.Builder.maxConnections)";
    } else if (!handshakes.tryAcquire(address)) {
      refusal = handshakes.total() + " handshakes pending in total (Gossip.Builder."
          + "maxPendingHandshakes " + config.maxPendingHandshakes() + ") or "
          + config.maxPendingHandshakesPerAddress() + " from " + address.getHostAddress()
          + " (Gossip.Builder.maxPendingHandshakesPerAddress)";
    }
    if (refusal != null) {
      metrics.refused.increment();
      warnings.warn(log, "refused connection from {}: {}", ch.remoteAddress(), refusal);
      ch.close();
      return false;
    }
    ch.closeFuture().addListener(f -> handshakeDone(ch));
    ch.attr(HANDSHAKE_SLOT).set(Boolean.TRUE);
    return true;
  }

  /**
   * Releases an accepted connection's handshake slot, once: authenticated or closed. A no-op
   * for a dialed one.
   */
  void handshakeDone(Channel ch) {
    if (ch.attr(HANDSHAKE_SLOT).getAndSet(null) != null) {
      handshakes.release(((InetSocketAddress) ch.remoteAddress()).getAddress());
    }
  }

  /** Accepted connections still in their TLS handshake, and the addresses they come from. */
  int[] pendingHandshakes() {
    return new int[] {handshakes.total(), handshakes.addresses()};
  }

  /** Stops listening. */
  void close() {
    if (server != null) {
      server.close();
    }
  }

  /** Completes when the listening socket is closed; null if it was never bound. */
  Future<?> closeFuture() {
    return server == null ? null : server.closeFuture();
  }
}
