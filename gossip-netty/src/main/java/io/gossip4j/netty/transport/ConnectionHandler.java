package io.gossip4j.netty.transport;

import io.gossip4j.netty.tls.PeerAuthenticated;
import io.gossip4j.netty.tls.PeerAuthenticationFailed;
import io.gossip4j.wire.Frame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline: it turns one channel's events into calls on the
 * connection table, answers idleness with heartbeats, and closes the channel on anything that
 * breaks the protocol, logging why.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

  private final Connection connection;
  private final PeerConnections table;

  ConnectionHandler(Connection connection, PeerConnections table) {
    this.connection = connection;
    this.table = table;
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof PeerAuthenticated authenticated) {
      table.onAuthenticated(connection, authenticated.peer());
    } else if (event instanceof PeerAuthenticationFailed failed) {
      if (connection.outbound()) {
        table.onDialRefused(connection, failed); // e.g. another node answered
      }
      ctx.close(); // the authenticator logged the reason
    } else if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        if (connection.ready() && !connection.closeSent() && !table.isClosed()) {
          ctx.writeAndFlush(ControlFrame.encode(new ControlFrame.Heartbeat(), ctx.alloc()),
              ctx.voidPromise());
        }
      } else if (idle.state() == IdleState.READER_IDLE) {
        log.info("{}: nothing received for too long, the peer is taken as dead", connection);
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!ctx.channel().isOpen()) {
      ReferenceCountUtil.release(msg);
      return; // frames decoded after we decided to close: not delivered
    }
    if (msg instanceof ControlFrame.Hello hello) {
      if (connection.peer() == null || connection.ready()) {
        violation(ctx, "unexpected HELLO");
        return;
      }
      connection.helloReceived(hello.incarnation());
      table.onReady(connection);
    } else if (!connection.ready()) {
      ReferenceCountUtil.release(msg);
      violation(ctx, "a frame before HELLO");
    } else if (msg instanceof Frame frame) {
      table.onFrame(connection, frame);
    } else if (msg instanceof ControlFrame.Close) {
      table.onCloseReceived(connection);
    } else if (!(msg instanceof ControlFrame.Heartbeat)) {
      ReferenceCountUtil.release(msg);
      violation(ctx, "unexpected message " + msg.getClass().getSimpleName());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && connection.ready()) {
      table.onWritable(connection);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    table.onInactive(connection);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      table.metrics().rejectedFrames.increment();
      table.warnings().warn(log, "{}: closing connection: frame over the size limit: {}",
          connection,
          cause.getMessage());
    } else {
      log.debug("{}: closing connection: {}", connection, cause.toString());
    }
    ctx.close();
  }

  private void violation(ChannelHandlerContext ctx, String what) {
    table.warnings().warn(log, "{}: closing connection: protocol violation: {}", connection, what);
    ctx.close();
  }
}
