package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.FrameLength;
import io.gossip4j.netty.transport.PeerConnections;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.LogRateLimiter;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.proto.TopicEvent;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import io.gossip4j.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node's protocol core on its event loop: inputs from channels, timers and the API go
 * in, outputs become dials, writes, closes, timers and events for subscribers. Everything here
 * runs on that one thread, so nothing is locked.
 */
final class Driver implements PeerConnections.Listener {
  private static final Logger log = LoggerFactory.getLogger(Driver.class);

  /** The subscribers and the live neighbor set of one topic. */
  static final class TopicState {
    final List<Subscriber> subscribers = new ArrayList<>();
    final Set<NodeId> neighbors = ConcurrentHashMap.newKeySet();
    final List<CompletableFuture<Void>> joinWaiters = new ArrayList<>();
    /** The bootstrap peers' addresses and, while the topic has no neighbor, why they failed. */
    final Map<InetSocketAddress, NodeId> bootstrap = new LinkedHashMap<>();
    final Map<InetSocketAddress, String> dialFailures = new LinkedHashMap<>();
    /** Bootstrap addresses whose node refused us (not admitted) since they were last given. */
    final Set<InetSocketAddress> notAdmitted = new HashSet<>();
  }

  /** Bootstrap addresses remembered per topic, for the reasons a join failed. */
  static final int MAX_BOOTSTRAP_ADDRESSES = 64;

  private final EventLoop loop;
  private final Protocol protocol;
  private final OriginSigner signer;
  private final BroadcastJudges judges;
  private final ByteBufAllocator alloc;
  private final int maxSubscribersPerTopic;
  private final Duration joinTimeout;
  private final Consumer<ConnectionFailure> connectionFailures;
  // Written on the loop only; concurrent so that Topic.neighbors() can read it from any thread.
  private final Map<TopicId, TopicState> topics = new ConcurrentHashMap<>();
  /** What the core asked for and has not been carried out yet. */
  private final ArrayDeque<Output> outputs = new ArrayDeque<>();
  private PeerConnections connections;
  private boolean flushScheduled;
  /** Listener subscribers given events since the last flush: woken once per loop turn. */
  private final java.util.Set<Subscriber> toWake = new java.util.LinkedHashSet<>();
  /** The subscribers being woken now: a listener on the loop may deliver more meanwhile. */
  private final List<Subscriber> waking = new ArrayList<>();
  private final Runnable flushTask = () -> {
    flushScheduled = false;
    try {
      connections.flush();
    } finally {
      waking.addAll(toWake);
      toWake.clear();
      for (Subscriber s : waking) {
        s.wake();
      }
      waking.clear();
    }
  };
  /** The last message encoded in this batch: a broadcast to many peers is encoded once. */
  private Message encodedMessage;
  private ByteBuf encoded;

  Driver(EventLoop loop, Protocol protocol, OriginSigner signer, BroadcastJudges judges,
      ByteBufAllocator alloc, int maxSubscribersPerTopic, Duration joinTimeout,
      Consumer<ConnectionFailure> connectionFailures) {
    this.connectionFailures = connectionFailures;
    this.joinTimeout = joinTimeout;
    this.loop = loop;
    this.protocol = protocol;
    this.signer = signer;
    this.judges = judges;
    this.alloc = alloc;
    this.maxSubscribersPerTopic = maxSubscribersPerTopic;
  }

  void attach(PeerConnections peerConnections) {
    this.connections = peerConnections;
  }

  EventLoop loop() {
    return loop;
  }

  Protocol protocol() {
    return protocol;
  }

  PeerConnections connections() {
    return connections;
  }

  // ---- inputs ---------------------------------------------------------------------------

  /**
   * Hands an input to the core, on the loop, then carries out what it asked for, in order. The
   * core has returned before the first output is applied, so an input that applying one raises
   * (a peer lost on a failed write) is handled then and there without re-entering it; its
   * outputs join the same queue, behind the ones still waiting.
   */
  void submit(Input input) {
    assert loop.inEventLoop();
    try {
      protocol.handle(input, System.nanoTime(), outputs::add);
    } catch (RuntimeException e) {
      // A bug must not take the node down: log it and carry out what was asked before it.
      log.error("protocol failed on {}", input, e);
    }
    try {
      Output output;
      while ((output = outputs.poll()) != null) {
        try {
          apply(output);
        } catch (RuntimeException e) {
          log.error("failed to carry out {}", output, e);
        }
      }
    } finally {
      releaseEncoded();
      scheduleFlush();
    }
  }

  /**
   * Flushes once per turn of the event loop rather than once per input: every frame read in
   * one turn is handled first, then all their writes leave together, in fewer TLS records and
   * system calls.
   */
  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(flushTask);
    }
  }

  /** Hands an input made on another thread (a judging thread) to the loop. */
  private void submitFromElsewhere(Input input) {
    if (loop.inEventLoop()) {
      submit(input);
      return;
    }
    try {
      loop.execute(() -> submit(input));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("{} dropped: the node is closing", input);
    }
  }

  @Override
  public void onFrame(NodeId peer, Frame frame) {
    submit(new Input.Received(peer, frame.topic(), frame.message()));
  }

  @Override
  public void onPeerLost(NodeId peer) {
    submit(new Input.PeerLost(peer));
  }

  // ---- outputs --------------------------------------------------------------------------

  private void apply(Output output) {
    if (output instanceof Output.Send send) {
      connections.send(send.to(), encode(send.topic(), send.message()));
    } else if (output instanceof Output.Dial dial) {
      connections.dial(dial.peer(), addressesOf(dial.peer(), dial.data()));
    } else if (output instanceof Output.Disconnect disconnect) {
      connections.disconnect(disconnect.peer());
    } else if (output instanceof Output.Schedule schedule) {
      loop.schedule(
          () -> submit(new Input.TimerFired(schedule.timer())),
          schedule.delayNanos(),
          TimeUnit.NANOSECONDS);
    } else if (output instanceof Output.Judge judge) {
      judges.judge(judge.topic(), judge.push(), this::submitFromElsewhere);
    } else if (output instanceof Output.Emit emit) {
      deliver(emit.topic(), emit.event());
    } else {
      throw new IllegalStateException("unhandled output " + output);
    }
  }

  private ByteBuf encode(TopicId topic, Message message) {
    if (message != encodedMessage) {
      releaseEncoded();
      Frame frame = new Frame(topic, message);
      int size = WireCodec.encodedSize(frame);
      int total = FrameLength.BYTES + size;
      ByteBuf buf = alloc.buffer(total, total);
      buf.writeInt(size);
      WireCodec.encode(frame, buf.nioBuffer(FrameLength.BYTES, size));
      buf.writerIndex(total);
      encoded = buf;
      encodedMessage = message;
    }
    return encoded.retainedDuplicate();
  }

  private void releaseEncoded() {
    if (encoded != null) {
      encoded.release();
      encoded = null;
      encodedMessage = null;
    }
  }

  private static List<java.net.InetSocketAddress> addressesOf(NodeId peer, PeerData data) {
    try {
      return NodeAddr.fromPeerData(peer, data).addresses();
    } catch (IllegalArgumentException e) {
      log.debug("peer {} published unusable addresses: {}", peer.shortHex(), e.getMessage());
      return List.of();
    }
  }

  private void deliver(TopicId topic, TopicEvent event) {
    TopicState state = topics.get(topic);
    if (state == null) {
      return;
    }
    GossipEvent published;
    if (event instanceof TopicEvent.NeighborUp up) {
      state.neighbors.add(up.peer());
      for (CompletableFuture<Void> waiter : state.joinWaiters) {
        waiter.complete(null);
      }
      state.joinWaiters.clear();
      state.dialFailures.clear();
      published = new GossipEvent.NeighborUp(up.peer());
    } else if (event instanceof TopicEvent.NeighborDown down) {
      state.neighbors.remove(down.peer());
      published = new GossipEvent.NeighborDown(down.peer(), down.reason());
    } else if (event instanceof TopicEvent.Received r) {
      published = new GossipEvent.Received(
          r.payload(), r.origin(), r.deliveredFrom(), r.scope(), r.verified(), r.late());
    } else if (event instanceof TopicEvent.Gap gap) {
      published = new GossipEvent.Gap(gap.origin(), gap.missed());
    } else if (event instanceof TopicEvent.Refused refused) {
      refusedBy(topic, state, refused.peer());
      return;
    } else {
      throw new IllegalStateException("unhandled event " + event);
    }
    for (Subscriber s : state.subscribers) {
      if (s.offer(published)) {
        toWake.add(s);
      }
    }
  }

  // ---- API operations, on the loop ------------------------------------------------------

  /**
   * Broadcasts for {@code sender}; the topic's other subscriptions on this node get it as a
   * peer's broadcast reaches theirs, once, since the protocol never delivers a node its own.
   */
  void broadcast(TopicId topic, byte[] payload, Scope scope, Subscriber sender) {
    submit(new Input.Command(topic, new TopicCommand.Broadcast(payload, scope)));
    TopicState state = topics.get(topic);
    if (state == null || state.subscribers.size() < 2) {
      return;
    }
    NodeId me = protocol.me();
    GossipEvent own =
        new GossipEvent.Received(payload, me, me, scope, signer.options(topic).signed());
    for (Subscriber s : state.subscribers) {
      if (s != sender && s.offer(own)) {
        toWake.add(s);
      }
    }
  }

  /**
   * Adds a subscriber to a topic, joining it on first use.
   *
   * @throws IllegalArgumentException if the topic is subscribed with other options
   * @throws IllegalStateException past the topic or subscriber limits
   */
  void subscribe(
      TopicId topic, TopicOptions options, Subscriber subscriber, Collection<NodeAddr> peers) {
    int maxTopics = protocol.config().maxTopics();
    if (!topics.containsKey(topic) && topics.size() >= maxTopics) {
      throw new IllegalStateException("cannot subscribe to topic " + topic + ": already in "
          + topics.size() + " topics, the limit (Gossip.Builder.maxTopics) is " + maxTopics);
    }
    TopicState existing = topics.get(topic);
    if (existing != null && existing.subscribers.size() >= maxSubscribersPerTopic) {
      throw new IllegalStateException("cannot subscribe to topic " + topic + " again: it has "
          + existing.subscribers.size() + " subscribers, the limit (Gossip.Builder."
          + "maxSubscribersPerTopic)");
    }
    TopicState state = topics.get(topic);
    if (state == null) {
      state = new TopicState();
      topics.put(topic, state);
      signer.configure(topic, options);
      admit(topic, options.admission()); // before the join, so bootstrap peers are checked
    } else if (!signer.options(topic).sameRulesAs(options)) {
      throw new IllegalArgumentException("topic " + topic + " is already subscribed with "
          + signer.options(topic) + "; every subscription of a topic must use the same options,"
          + " got " + options);
    } else if (options.admissionSet()) {
      admit(topic, options.admission());
    }
    state.subscribers.add(subscriber);
    join(topic, peers);
  }

  /**
   * Sets the topic's admission rule. The application's rule runs on this loop: one that throws
   * refuses the peer rather than break the loop, and says so in the log.
   */
  void admit(TopicId topic, Predicate<NodeId> rule) {
    if (!topics.containsKey(topic)) {
      return; // closed meanwhile: an Admit must not bring the topic's state back
    }
    LogRateLimiter failures = LogRateLimiter.withDefaults();
    Predicate<NodeId> guarded = peer -> {
      try {
        return rule.test(peer);
      } catch (RuntimeException e) {
        // It runs for every id the topic hears of: a broken rule must not flood the log.
        if (failures.tryAcquire(System.nanoTime())) {
          log.warn("topic {}: the admission rule failed for {}, which is refused ({} similar "
              + "suppressed)", topic, peer.shortHex(), failures.drainSuppressed(), e);
        }
        return false;
      }
    };
    submit(new Input.Command(topic, new TopicCommand.Admit(guarded)));
  }

  void join(TopicId topic, Collection<NodeAddr> peers) {
    List<PeerInfo> bootstrap = new ArrayList<>();
    TopicState state = topics.get(topic);
    if (state == null) {
      return; // closed meanwhile: a join must not bring the topic's state back
    }
    for (NodeAddr addr : peers) {
      bootstrap.add(new PeerInfo(addr.id(), addr.toPeerData()));
      for (InetSocketAddress address : addr.addresses()) {
        state.notAdmitted.remove(address); // given again: it may admit us now
        if (state.bootstrap.size() < MAX_BOOTSTRAP_ADDRESSES) {
          state.bootstrap.put(address, addr.id());
        }
      }
    }
    submit(new Input.Command(topic, new TopicCommand.Join(bootstrap)));
  }

  /** Removes a subscriber; the last one leaving quits the topic. */
  void unsubscribe(TopicId topic, Subscriber subscriber) {
    TopicState state = topics.get(topic);
    if (state == null || !state.subscribers.remove(subscriber)) {
      return;
    }
    subscriber.ended();
    if (state.subscribers.isEmpty()) {
      topics.remove(topic);
      signer.forget(topic);
      for (CompletableFuture<Void> waiter : state.joinWaiters) {
        waiter.cancel(false);
      }
      submit(new Input.Command(topic, new TopicCommand.Quit()));
    }
  }

  /** Completes when the topic has a neighbor. */
  void whenJoined(TopicId topic, CompletableFuture<Void> future) {
    TopicState state = topics.get(topic);
    if (state == null) {
      future.cancel(false);
    } else if (!state.neighbors.isEmpty()) {
      future.complete(null);
    } else if (everyBootstrapRefused(state)) {
      future.completeExceptionally(refusal(topic, state));
    } else {
      state.joinWaiters.add(future);
      loop.schedule(() -> joinTimedOut(topic, state, future), joinTimeout.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /** No neighbor came in time: the waiter learns why each bootstrap address failed. */
  private void joinTimedOut(TopicId topic, TopicState state, CompletableFuture<Void> future) {
    if (future.isDone() || !state.joinWaiters.remove(future)) {
      return;
    }
    Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
    for (InetSocketAddress address : state.bootstrap.keySet()) {
      failures.put(address, state.dialFailures.getOrDefault(address, "no answer"));
    }
    future.completeExceptionally(new JoinFailedException(topic, joinTimeout, failures));
  }

  /**
   * {@code peer} does not admit us: a join through it cannot succeed. When every bootstrap
   * address has refused us so, the waiters fail now rather than at the join timeout.
   */
  private void refusedBy(TopicId topic, TopicState state, NodeId peer) {
    if (!state.neighbors.isEmpty()) {
      return;
    }
    String why = "refused: node " + peer.shortHex() + " does not admit this node to the topic";
    for (Map.Entry<InetSocketAddress, NodeId> e : state.bootstrap.entrySet()) {
      if (e.getValue().equals(peer)) {
        state.dialFailures.put(e.getKey(), why);
        state.notAdmitted.add(e.getKey());
      }
    }
    if (everyBootstrapRefused(state)) {
      for (CompletableFuture<Void> waiter : state.joinWaiters) {
        waiter.completeExceptionally(refusal(topic, state));
      }
      state.joinWaiters.clear();
    }
  }

  private static boolean everyBootstrapRefused(TopicState state) {
    if (state.bootstrap.isEmpty()) {
      return false;
    }
    return state.notAdmitted.containsAll(state.bootstrap.keySet());
  }

  private static JoinFailedException refusal(TopicId topic, TopicState state) {
    return new JoinFailedException(topic, new LinkedHashMap<>(state.dialFailures));
  }

  @Override
  public void onDialFailed(NodeId peer, InetSocketAddress address, String why) {
    connectionFailures.accept(new ConnectionFailure(peer, address, why));
    for (TopicState state : topics.values()) {
      if (state.neighbors.isEmpty() && peer.equals(state.bootstrap.get(address))) {
        state.dialFailures.put(address, why);
      }
    }
  }

  TopicState topicState(TopicId topic) {
    return topics.get(topic);
  }

  Collection<TopicId> topicIds() {
    return List.copyOf(topics.keySet());
  }

  /** Leaves every topic (DISCONNECT to every neighbor), then closes every connection. */
  void shutdown() {
    for (TopicId topic : List.copyOf(topics.keySet())) {
      TopicState state = topics.remove(topic);
      for (CompletableFuture<Void> waiter : state.joinWaiters) {
        waiter.cancel(false);
      }
      for (Subscriber s : state.subscribers) {
        s.ended();
      }
      submit(new Input.Command(topic, new TopicCommand.Quit()));
    }
    connections.close();
  }
}
