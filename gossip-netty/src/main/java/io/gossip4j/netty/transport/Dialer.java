package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials a peer: a TCP connect to each of its addresses in turn until one succeeds. The table
 * decides through {@link Attempts} whether a failed attempt is followed by the next. Runs on
 * the node's event loop.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  /** The table's side of one dial. */
  interface Attempts {
    /** A channel for the next address exists, not yet connected: the table takes it in. */
    void started(Connection attempt);

    /** Whether the table still waits for this attempt; if not, its failure is ignored. */
    boolean awaits(Connection attempt);

    /** Whether the table still wants the peer at all: if not, a failed attempt is the last. */
    boolean wantsPeer();

    /** The last attempt failed. */
    void failed(Connection attempt);

    /** Connecting to {@code address} failed, for {@code why}; the next may follow. */
    void addressFailed(InetSocketAddress address, Throwable why);
  }

  private final Bootstrap bootstrap;

  Dialer(EventLoop loop, Transport transport, TransportConfig config) {
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerConnections.WATER_MARK)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
            .handler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {}
            });
  }

  /** Connects to {@code peer} at {@code addresses} (not empty), in order. */
  void dial(NodeId peer, List<InetSocketAddress> addresses, Attempts attempts) {
    connect(peer, addresses, 0, attempts);
  }

  private void connect(NodeId peer, List<InetSocketAddress> addresses, int i,
      Attempts attempts) {
    InetSocketAddress address = addresses.get(i);
    // Registered first (inline: we are on the loop), so the attempt is known before it
    // connects; the table then builds its pipeline like every other one.
    Channel ch = bootstrap.register().channel();
    Connection attempt = new Connection(ch, true);
    attempt.authenticated(peer); // the expected peer: TLS refuses any other
    attempts.started(attempt);
    ch.connect(address).addListener((ChannelFuture f) -> {
      if (f.isSuccess() || !attempts.awaits(attempt)) {
        return;
      }
      log.debug("dial {} at {} failed: {}", peer.shortHex(), address, f.cause().toString());
      attempts.addressFailed(address, f.cause());
      f.channel().close();
      if (i + 1 < addresses.size() && attempts.wantsPeer()) {
        connect(peer, addresses, i + 1, attempts);
      } else {
        attempts.failed(attempt);
      }
    });
  }
}
