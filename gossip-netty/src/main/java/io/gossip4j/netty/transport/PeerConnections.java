package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.gossip4j.netty.TlsProvider;
import io.gossip4j.netty.tls.PeerAuthenticationFailed;
import io.gossip4j.netty.tls.TlsSetup;
import io.gossip4j.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection table: exactly one channel per peer.
 *
 * <p>Everything here runs on the node's one event loop, which also carries every channel, so
 * no state is shared between threads. Frames for a peer wait in a bounded per-peer queue while
 * its channel is not writable; a peer whose queue overflows is disconnected, never waited for.
 * When a second connection to a peer becomes ready, {@link TieBreak} picks the survivor on both
 * sides; the loser stops taking writes (the per-peer queue moves on to the winner), gets a CLOSE
 * after what was already written to it, and is read until the peer's CLOSE arrives or the close
 * timeout passes. Nothing written is lost on the way.
 *
 * <p>Its channels come from the {@link Acceptor} and the {@link Dialer}, with pipelines built by
 * {@link ChannelPipelines}; its {@link ConnectionHandler}s report their events here.
 */
public final class PeerConnections {
  private static final Logger log = LoggerFactory.getLogger(PeerConnections.class);
  /**
   * Every channel's write buffer marks: above the high one a channel is not writable and its
   * peer's frames wait in the peer's queue, until the buffer is below the low one again.
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 << 10, 1 << 20);

  /** What the table tells its owner; called on the event loop. */
  public interface Listener {
    /** A protocol frame arrived from an authenticated peer. */
    void onFrame(NodeId peer, Frame frame);

    /** The peer has no connection left, or could not be reached. */
    void onPeerLost(NodeId peer);

    /**
     * Dialing {@code peer} at {@code address} failed: {@code why} says how (refused, timed
     * out, unreachable, or the TLS handshake's refusal, such as another node answering).
     */
    default void onDialFailed(NodeId peer, InetSocketAddress address, String why) {}
  }

  /**
   * One peer: its connection, the losers still draining, a dial in progress with its attempts
   * (one per address tried so far), the queue.
   */
  private static final class PeerState {
    Connection active;
    Dialer.Run dial;
    final List<Connection> dialing = new ArrayList<>(1);
    final List<Connection> retiring = new ArrayList<>(1);
    final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    long queuedBytes;

    boolean owns(Connection c) {
      return c == active || dialing.contains(c) || retiring.contains(c);
    }

    /**
     * Ends the dial in progress. Its attempts still open are returned for the caller to close:
     * closed after this, their connect failures no longer count as the dial's.
     */
    List<Connection> endDial() {
      List<Connection> attempts = List.copyOf(dialing);
      dialing.clear();
      dial = null;
      return attempts;
    }
  }

  private final NodeId me;
  private final long incarnation;
  private final EventLoop loop;
  private final TransportConfig config;
  private final Listener listener;
  private final TransportMetrics metrics = new TransportMetrics();
  private final Map<NodeId, PeerState> peers = new HashMap<>();
  private final Set<Channel> unflushed = new LinkedHashSet<>();
  /** The batch {@link #flush()} is flushing now, apart from what that flush writes anew. */
  private final List<Channel> flushing = new ArrayList<>();
  private final Set<Channel> all = new LinkedHashSet<>();
  private final ChannelPipelines pipelines;
  private final TlsProvider tlsProvider;
  private final Acceptor acceptor;
  private final Dialer dialer;
  private final PeerWarnings warnings = new PeerWarnings();
  private boolean closed;

  public PeerConnections(
      NodeId me,
      long incarnation,
      EventLoop loop,
      Transport transport,
      TlsSetup tls,
      TransportConfig config,
      Listener listener) {
    this.me = me;
    this.incarnation = incarnation;
    this.loop = loop;
    this.config = config;
    this.listener = listener;
    this.pipelines = new ChannelPipelines(config, tls, metrics, warnings, this);
    this.tlsProvider = tls.provider();
    this.acceptor = new Acceptor(loop, transport, config, metrics, warnings, this);
    this.dialer = new Dialer(loop, transport, config);
  }

  // ---- listening ------------------------------------------------------------------------

  /** Binds the listening socket; completes with the bound address. */
  public ChannelFuture bind(SocketAddress address) {
    return acceptor.bind(address);
  }

  /** The bound listening address, once bound. */
  public InetSocketAddress localAddress() {
    return acceptor.localAddress();
  }

  // ---- channels -------------------------------------------------------------------------

  /**
   * Takes a new channel, dialed or accepted, into the table: close and abort reach it from now
   * on, and its pipeline is built.
   */
  void adopt(Connection connection) {
    Channel ch = connection.channel();
    all.add(ch);
    ch.closeFuture().addListener(f -> all.remove(ch));
    pipelines.build(connection);
  }

  // ---- dialing --------------------------------------------------------------------------

  /**
   * Makes sure a connection to {@code peer} exists or is being made, trying the addresses in
   * order, staggered ({@link Dialer}). A no-op while one is live or being dialed: never two
   * dials to one peer, and of one dial's attempts only the first that authenticates is kept.
   */
  public void dial(NodeId peer, List<InetSocketAddress> addresses) {
    if (closed) {
      return;
    }
    PeerState state = peers.computeIfAbsent(peer, p -> new PeerState());
    if (state.active != null || state.dial != null) {
      return;
    }
    if (addresses.isEmpty()) {
      log.debug("cannot dial {}: no known address", peer.shortHex());
      metrics.failed.increment();
      lose(peer);
      return;
    }
    state.dial = dialer.dial(peer, addresses, new PeerDial(peer, state));
    state.dial.start();
  }

  /**
   * Finds out which node listens at {@code address}: a TLS handshake that proves the node's key
   * and nothing more ({@link Identification}). Completes on the loop with the node's id, or
   * fails with an {@link IOException} saying why (refused, timed out, TLS refusal);
   * bounded by the connect and handshake timeouts.
   */
  public CompletableFuture<NodeId> identify(InetSocketAddress address) {
    CompletableFuture<NodeId> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IOException(address + ": the node is closed"));
      return result;
    }
    Channel ch = dialer.newChannel();
    all.add(ch);
    ch.closeFuture().addListener(f -> all.remove(ch));
    Identification identification = new Identification(me, address, result);
    pipelines.buildIdentification(ch, identification);
    ch.connect(address).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        identification.connectFailed(f.cause());
        f.channel().close();
      }
    });
    return result;
  }

  /** One dial as the table sees it: the peer's state holds the attempt it waits for. */
  private final class PeerDial implements Dialer.Attempts {
    private final NodeId peer;
    private final PeerState state;

    PeerDial(NodeId peer, PeerState state) {
      this.peer = peer;
      this.state = state;
    }

    @Override
    public void started(Connection attempt) {
      state.dialing.add(attempt);
      adopt(attempt);
    }

    @Override
    public boolean awaits(Connection attempt) {
      return state.dialing.contains(attempt);
    }

    @Override
    public boolean goesOn() {
      return peers.get(peer) == state && state.dial != null && !closed;
    }

    @Override
    public void failed(Connection attempt) {
      dialFailed(peer, state, attempt);
    }

    @Override
    public void addressFailed(InetSocketAddress address, Throwable why) {
      listener.onDialFailed(peer, address, DialFailure.describe(why));
    }

    @Override
    public void ended(Connection attempt) {
      attemptEnded(state, attempt);
    }
  }

  /** An attempt of the peer's dial will not win: the dial goes on without it, or fails. */
  private void attemptEnded(PeerState state, Connection attempt) {
    if (state.dialing.remove(attempt) && state.dial != null) {
      state.dial.attemptEnded(attempt);
    }
  }

  private void dialFailed(NodeId peer, PeerState state, Connection attempt) {
    if (state.dial == null) {
      return;
    }
    state.endDial();
    metrics.failed.increment();
    if (state.active == null && peers.get(peer) == state) {
      lose(peer);
    }
  }

  // ---- connection events, from ConnectionHandler ------------------------------------------

  /** The TLS handshake of a connection we dialed failed: the dialer's caller hears why. */
  void onDialRefused(Connection connection, PeerAuthenticationFailed failed) {
    if (connection.peer() != null
        && connection.channel().remoteAddress() instanceof InetSocketAddress address) {
      listener.onDialFailed(connection.peer(), address,
          "TLS " + failed.reason() + ": " + failed.detail());
    }
  }

  /** TLS authenticated the peer of {@code connection}: greet it. */
  void onAuthenticated(Connection connection, NodeId peer) {
    acceptor.handshakeDone(connection.channel());
    connection.authenticated(peer);
    write(connection, ControlFrame.encode(new ControlFrame.Hello(incarnation),
        connection.channel().alloc()));
    connection.channel().flush();
  }

  /** The peer's HELLO arrived: the connection is ready and takes part in the tie-break. */
  void onReady(Connection connection) {
    if (closed) {
      connection.channel().close();
      return;
    }
    NodeId peer = connection.peer();
    PeerState state = peers.computeIfAbsent(peer, p -> new PeerState());
    if (state.dialing.remove(connection)) {
      // The first attempt of a dial to authenticate: the others go before the tie-break.
      for (Connection other : state.endDial()) {
        other.channel().close();
      }
    }
    Connection current = state.active;
    if (current == null) {
      state.active = connection;
      metrics.opened.increment();
      log.debug("connected {}", connection);
      drain(state);
      return;
    }
    Connection winner = TieBreak.winner(me, current, connection);
    Connection loser = winner == connection ? current : connection;
    state.active = winner;
    metrics.replaced.increment();
    if (loser.peerIncarnation() != winner.peerIncarnation()) {
      log.debug("{} replaces stale {}: the peer restarted", winner, loser);
      loser.channel().close();
    } else {
      log.debug("{} wins the tie-break over {}", winner, loser);
      retire(state, loser);
    }
    drain(state);
  }

  /** Sends CLOSE on a losing connection and closes it once the peer's CLOSE arrives. */
  private void retire(PeerState state, Connection loser) {
    if (state.retiring.size() >= TransportConfig.MAX_RETIRING_PER_PEER) {
      // A peer that keeps opening connections and never sends CLOSE: stop waiting for it.
      Connection oldest = state.retiring.remove(0);
      warnings.warn(log, "{}: closing a retired connection at once: {} already wait for the "
          + "peer's CLOSE", oldest, TransportConfig.MAX_RETIRING_PER_PEER);
      oldest.channel().close();
    }
    state.retiring.add(loser);
    write(loser, ControlFrame.encode(new ControlFrame.Close(), loser.channel().alloc()));
    loser.channel().flush();
    loser.markCloseSent();
    if (loser.closeReceived()) {
      loser.channel().close();
      return;
    }
    loop.schedule(
        () -> {
          if (loser.channel().isOpen()) {
            log.debug("{}: no CLOSE from the peer within {}, closing", loser,
                config.closeTimeout());
            loser.channel().close();
          }
        },
        config.closeTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void onCloseReceived(Connection connection) {
    connection.markCloseReceived();
    // An active connection whose peer sent CLOSE is still written to: the peer reads it until
    // our own CLOSE, which goes out once the connection that replaces it here is ready.
    if (connection.closeSent()) {
      connection.channel().close();
    }
  }

  void onFrame(Connection connection, Frame frame) {
    listener.onFrame(connection.peer(), frame);
  }

  void onWritable(Connection connection) {
    PeerState state = peers.get(connection.peer());
    if (state != null && state.active == connection) {
      drain(state);
    }
  }

  void onInactive(Connection connection) {
    NodeId peer = connection.peer();
    PeerState state = peer == null ? null : peers.get(peer);
    if (state == null || !state.owns(connection)) {
      return; // an inbound connection that never authenticated, or one we already let go
    }
    if (state.dialing.contains(connection)) {
      attemptEnded(state, connection);
      return;
    }
    state.retiring.remove(connection);
    if (state.active == connection) {
      state.active = null;
      log.debug("connection lost: {}", connection);
      if (state.dial == null) {
        lose(peer);
      }
    }
  }

  // ---- writing --------------------------------------------------------------------------

  /**
   * Queues a frame body for {@code peer} (taking ownership of {@code body}). Dropped when the
   * peer has no connection and none is being made: the owner hears {@link Listener#onPeerLost}.
   */
  public void send(NodeId peer, ByteBuf body) {
    PeerState state = peers.get(peer);
    if (state == null || closed) {
      body.release();
      return;
    }
    if (state.active != null && state.queue.isEmpty() && state.active.channel().isWritable()) {
      write(state.active, body);
      return;
    }
    if (state.queue.size() >= config.maxQueuedFrames()
        || state.queuedBytes + body.readableBytes() > config.maxQueuedBytes()) {
      body.release();
      metrics.overflowed.increment();
      warnings.warn(log, "peer {} is not keeping up: {} frames ({} bytes) queued, "
          + "disconnecting it", peer.shortHex(), state.queue.size(), state.queuedBytes);
      lose(peer);
      return;
    }
    state.queue.add(body);
    state.queuedBytes += body.readableBytes();
  }

  private void drain(PeerState state) {
    Connection target = state.active;
    while (target != null && !state.queue.isEmpty() && target.channel().isWritable()) {
      ByteBuf body = state.queue.poll();
      state.queuedBytes -= body.readableBytes();
      write(target, body);
    }
    if (target != null) {
      target.channel().flush();
      unflushed.remove(target.channel());
    }
  }

  private void write(Connection connection, ByteBuf frame) {
    metrics.countOut(FrameLength.type(frame), FrameLength.bodyLength(frame));
    connection.channel().write(frame, connection.channel().voidPromise());
    unflushed.add(connection.channel());
  }

  /**
   * Flushes every channel written since the last call: one flush per loop batch. A flush can
   * write more (a channel that turns writable again takes its peer's queue), so it goes on
   * until nothing is left unflushed.
   */
  public void flush() {
    while (!unflushed.isEmpty()) {
      flushing.addAll(unflushed);
      unflushed.clear();
      for (Channel ch : flushing) {
        ch.flush();
      }
      flushing.clear();
    }
  }

  // ---- closing --------------------------------------------------------------------------

  /**
   * The owner no longer needs {@code peer}: writes what is queued, then closes its connections
   * once flushed. No {@link Listener#onPeerLost} follows.
   */
  public void disconnect(NodeId peer) {
    PeerState state = peers.remove(peer);
    if (state == null) {
      return;
    }
    Connection target = state.active;
    while (!state.queue.isEmpty()) {
      ByteBuf body = state.queue.poll();
      if (target != null) {
        write(target, body);
      } else {
        body.release();
      }
    }
    state.queuedBytes = 0;
    for (Connection c : closingAll(state)) {
      if (c.ready()) {
        closeAfterWrites(c.channel());
      } else {
        c.channel().close(); // nothing of ours can be on it yet: not even our HELLO was read
      }
    }
  }

  /**
   * Closes once everything written so far is on the wire: a last heartbeat goes after it, and
   * the close follows that write's completion (a plain close would drop what is still queued).
   */
  private static void closeAfterWrites(Channel ch) {
    ch.writeAndFlush(ControlFrame.encode(new ControlFrame.Heartbeat(), ch.alloc()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Forgets the peer, closes its connections and tells the owner. */
  private void lose(NodeId peer) {
    PeerState state = peers.remove(peer);
    if (state == null) {
      return;
    }
    release(state);
    for (Connection c : closingAll(state)) {
      c.channel().close();
    }
    listener.onPeerLost(peer);
  }

  private static void release(PeerState state) {
    for (ByteBuf body : state.queue) {
      body.release();
    }
    state.queue.clear();
    state.queuedBytes = 0;
  }

  /** The peer's connections, for the caller to close, with its dial ended first. */
  private static List<Connection> closingAll(PeerState state) {
    List<Connection> list = connectionsOf(state);
    state.endDial();
    return list;
  }

  private static List<Connection> connectionsOf(PeerState state) {
    List<Connection> list = new ArrayList<>(state.retiring);
    if (state.active != null) {
      list.add(state.active);
    }
    list.addAll(state.dialing);
    return list;
  }

  /** Closes the listener and every connection, flushing what was written. */
  public void close() {
    closed = true;
    for (PeerState state : peers.values()) {
      release(state);
    }
    peers.clear();
    flush();
    acceptor.close();
    for (Channel ch : List.copyOf(all)) {
      ConnectionHandler handler = ch.pipeline().get(ConnectionHandler.class);
      if (handler != null && handler.connection().ready()) {
        closeAfterWrites(ch);
      } else {
        ch.close();
      }
    }
  }

  /** Closes everything at once, flushing nothing: what a crash looks like to the peers. */
  public void abort() {
    closed = true;
    for (PeerState state : peers.values()) {
      release(state);
    }
    peers.clear();
    unflushed.clear();
    acceptor.close();
    for (Channel ch : List.copyOf(all)) {
      ch.close();
    }
  }

  /** Futures completing when every channel is closed. */
  public List<Future<?>> closeFutures() {
    List<Future<?>> futures = new ArrayList<>();
    for (Channel ch : all) {
      futures.add(ch.closeFuture());
    }
    if (acceptor.closeFuture() != null) {
      futures.add(acceptor.closeFuture());
    }
    return futures;
  }

  // ---- queries --------------------------------------------------------------------------

  /** Whether the table was closed or aborted: it writes nothing more. */
  boolean isClosed() {
    return closed;
  }

  public TransportMetrics metrics() {
    return metrics;
  }

  /** The TLS implementation of this table's connections: JDK or OPENSSL. */
  public TlsProvider tlsProvider() {
    return tlsProvider;
  }

  /** This node's rate-limited warnings about its peers. */
  PeerWarnings warnings() {
    return warnings;
  }

  /** Open channels, in and out, authenticated or not. */
  public int openChannels() {
    return all.size();
  }

  // ---- read-only state for tests of the caps and the one-channel rule ----------------------

  /** Accepted connections still in their TLS handshake, and the addresses they come from. */
  public int[] pendingHandshakes() {
    return acceptor.pendingHandshakes();
  }

  /** Connections still waiting for a peer's CLOSE after losing the tie-break. */
  public int retiringTo(NodeId peer) {
    PeerState state = peers.get(peer);
    return state == null ? 0 : state.retiring.size();
  }

  /**
   * The open, authenticated channels to {@code peer}: those retiring, then the active one. Each
   * entry is local and remote address.
   */
  public List<SocketAddress[]> channelsTo(NodeId peer) {
    List<SocketAddress[]> list = new ArrayList<>();
    PeerState state = peers.get(peer);
    if (state == null) {
      return list;
    }
    for (Connection c : connectionsOf(state)) {
      if (c.ready() && c.channel().isActive()) {
        list.add(new SocketAddress[] {c.channel().localAddress(), c.channel().remoteAddress()});
      }
    }
    return list;
  }
}
