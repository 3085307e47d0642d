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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials a peer at its addresses, staggered as RFC 8305 ("Happy Eyeballs") does: the first
 * address at once, each next one {@link #STAGGER_MILLIS} later or as soon as every attempt so
 * far has failed, so an address that does not answer delays the dial by a quarter second, not
 * by the connect timeout. The table keeps the first attempt that authenticates and closes the
 * others before the one-channel rule sees them. Runs on the node's event loop.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  /** RFC 8305's recommended connection attempt delay. */
  static final long STAGGER_MILLIS = 250;

  /** The table's side of one dial. */
  interface Attempts {
    /** An attempt for the next address exists, not yet connected: the table takes it in. */
    void started(Connection attempt);

    /** Whether the table still waits for this attempt; if not, its failure is ignored. */
    boolean awaits(Connection attempt);

    /** Whether the dial goes on: the peer is still wanted and no attempt has won yet. */
    boolean goesOn();

    /** The last attempt failed, and no address is left. */
    void failed(Connection attempt);

    /** Connecting to {@code address} failed, for {@code why}. */
    void addressFailed(InetSocketAddress address, Throwable why);

    /** The attempt will not win: its connect failed (a handshake failure comes another way). */
    void ended(Connection attempt);
  }

  /** One dial: the addresses not tried yet, and the attempts still running. */
  final class Run {
    private final NodeId peer;
    private final List<InetSocketAddress> addresses;
    private final Attempts attempts;
    private final EventLoop loop;
    private int next;
    private int running;

    private Run(NodeId peer, List<InetSocketAddress> addresses, Attempts attempts,
        EventLoop loop) {
      this.peer = peer;
      this.addresses = addresses;
      this.attempts = attempts;
      this.loop = loop;
    }

    /** Starts the first attempt. */
    void start() {
      startNext();
    }

    private void startNext() {
      InetSocketAddress address = addresses.get(next++);
      // Registered first (inline: we are on the loop), so the attempt is known before it
      // connects; the table then builds its pipeline like every other one.
      Channel ch = newChannel();
      Connection attempt = new Connection(ch, true);
      attempt.authenticated(peer); // the expected peer: TLS refuses any other
      running++;
      attempts.started(attempt);
      ch.connect(address).addListener((ChannelFuture f) -> {
        if (f.isSuccess() || !attempts.awaits(attempt)) {
          return;
        }
        log.debug("dial {} at {} failed: {}", peer.shortHex(), address, f.cause().toString());
        attempts.addressFailed(address, f.cause());
        f.channel().close();
        attempts.ended(attempt);
      });
      if (next < addresses.size()) {
        loop.schedule(() -> {
          if (attempts.goesOn() && next < addresses.size() && running > 0) {
            startNext();
          }
        }, STAGGER_MILLIS, TimeUnit.MILLISECONDS);
      }
    }

    /**
     * An attempt of this dial ended without winning (its connect or its handshake failed): the
     * next address goes at once if none is running, and the dial fails when none is left.
     */
    void attemptEnded(Connection attempt) {
      running--;
      if (running > 0) {
        return;
      }
      if (next < addresses.size() && attempts.goesOn()) {
        startNext();
      } else {
        attempts.failed(attempt);
      }
    }
  }

  private final Bootstrap bootstrap;
  private final EventLoop loop;

  Dialer(EventLoop loop, Transport transport, TransportConfig config) {
    this.loop = loop;
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

  /** A channel registered on the loop, not connected, with an empty pipeline. */
  Channel newChannel() {
    return bootstrap.register().channel();
  }

  /**
   * A dial of {@code peer} at {@code addresses} (not empty), in order, staggered; it begins with
   * {@link Run#start}, once the caller holds it (an attempt may end at once).
   */
  Run dial(NodeId peer, List<InetSocketAddress> addresses, Attempts attempts) {
    return new Run(peer, addresses, attempts, loop);
  }
}
