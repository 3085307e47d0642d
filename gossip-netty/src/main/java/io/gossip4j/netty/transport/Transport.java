package io.gossip4j.netty.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty I/O implementation carries TCP: native epoll where its library loads (Linux), the
 * JDK's NIO everywhere else. The event loops and channel classes must come from the same one.
 *
 * @param name "epoll" or "nio", for logs
 * @param ioHandlerFactory makes the event loops' I/O handlers
 * @param socketChannel the client channel class for {@code Bootstrap.channel}
 * @param serverChannel the listening channel class for {@code ServerBootstrap.channel}
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends ServerSocketChannel> serverChannel) {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /** Checks that no part is null. */
  public Transport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
    Objects.requireNonNull(socketChannel, "socketChannel");
    Objects.requireNonNull(serverChannel, "serverChannel");
  }

  /** Epoll if it is available here, NIO otherwise (the reason is logged at debug level). */
  public static Transport best() {
    if (Epoll.isAvailable()) {
      return epoll();
    }
    log.debug("native epoll unavailable, using NIO", Epoll.unavailabilityCause());
    return nio();
  }

  /** The JDK's NIO: works everywhere. */
  public static Transport nio() {
    return new Transport(
        "nio", NioIoHandler.newFactory(), NioSocketChannel.class, NioServerSocketChannel.class);
  }

  /**
   * Native epoll.
   *
   * @throws UnsupportedOperationException if the native library is not available on this system
   */
  public static Transport epoll() {
    if (!Epoll.isAvailable()) {
      throw new UnsupportedOperationException(
          "native epoll is not available: " + Epoll.unavailabilityCause(),
          Epoll.unavailabilityCause());
    }
    return new Transport(
        "epoll",
        EpollIoHandler.newFactory(),
        EpollSocketChannel.class,
        EpollServerSocketChannel.class);
  }

  /** The name, "epoll" or "nio". */
  @Override
  public String toString() {
    return name;
  }

  /** A new group of {@code threads} event loops of this transport; the caller shuts it down. */
  public EventLoopGroup newEventLoopGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
  }
}
