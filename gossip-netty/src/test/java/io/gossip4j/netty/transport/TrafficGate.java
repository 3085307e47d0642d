package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.gossip4j.netty.tls.TlsSetup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One node's gate for tests of network faults: installed through the node's {@link
 * PipelineCustomizer} as the first handler of each of its pipelines, below TLS.
 *
 * <p>{@link #block} drops every byte to and from the peers a filter accepts, as a broken network
 * would. The peer is the one dialed, or the one TLS authenticated on an accepted connection (the
 * dialing side of a blocked pair already drops the handshake). {@link #freeze} makes the node
 * look like a machine that froze: its channels stop reading (so what peers write backs up in
 * TCP) and what it writes is dropped. Nothing is closed either way: the connections go silent
 * and the peers' idle and handshake timeouts do the rest.
 */
public final class TrafficGate implements PipelineCustomizer {
  private static final Predicate<NodeId> NONE = peer -> false;

  private volatile Predicate<NodeId> blocked = NONE;
  private volatile boolean frozen;
  /** The node's open channels, for {@link #freeze}. */
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

  @Override
  public void customize(ChannelPipeline pipeline, NodeId dialed) {
    pipeline.addLast("gate", new Handler(dialed));
  }

  /** From now on, drops all traffic with the peers {@code peers} accepts. */
  public void block(Predicate<NodeId> peers) {
    blocked = Objects.requireNonNull(peers, "peers");
  }

  /** Lets all traffic through again, as a healed partition would. */
  public void unblock() {
    blocked = NONE;
  }

  /** From now on, the node reads nothing and every byte it writes is dropped. */
  public void freeze() {
    frozen = true;
    for (Channel ch : channels) {
      ch.config().setAutoRead(false);
    }
  }

  private final class Handler extends ChannelDuplexHandler {
    private final NodeId dialed;

    Handler(NodeId dialed) {
      this.dialed = dialed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      channels.add(ch);
      ch.closeFuture().addListener(f -> channels.remove(ch));
      // After the add: a freeze that missed this channel in its loop is seen here.
      if (frozen) {
        ch.config().setAutoRead(false);
      }
    }

    private boolean drops(ChannelHandlerContext ctx) {
      if (frozen) {
        return true;
      }
      NodeId peer =
          dialed != null ? dialed : TlsSetup.authenticatedPeer(ctx.channel()).orElse(null);
      return peer != null && blocked.test(peer);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (drops(ctx)) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    /**
     * A frozen node asks for nothing more to read. Turning auto-read off is not enough: TLS
     * above this gate asks for more itself when a read gave it no record, which here is always.
     */
    @Override
    public void read(ChannelHandlerContext ctx) {
      if (!frozen) {
        ctx.read();
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (drops(ctx)) {
        ReferenceCountUtil.release(msg);
        promise.trySuccess();
      } else {
        ctx.write(msg, promise);
      }
    }
  }
}
