package io.gossip4j.proto;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.plumtree.BroadcastGuard;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.WireCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's gossip protocol: a swarm (HyParView + PlumTree) per topic over shared peer
 * connections. Pure and deterministic: no threads, no I/O, no clock; time and randomness come
 * in, {@link Output}s go out. The same inputs, times and seed give the same outputs.
 *
 * <p>It also decides when a connection is needed: before the first message to a peer it has no
 * connection with it emits {@link Output.Dial}, and once no topic needs a peer any more (none
 * has it in its active view or has a request out to it) it emits {@link Output.Disconnect}.
 *
 * <p>Not thread-safe: a driver calls it from one thread.
 */
public final class Protocol {
  private static final Logger log = LoggerFactory.getLogger(Protocol.class);

  private final NodeId me;
  private final ProtocolConfig config;
  private final RandomGenerator rng;
  private final BroadcastGuard guard;
  private final MessageIds messageIds = new MessageIds();
  private final Map<TopicId, Swarm> topics = new LinkedHashMap<>();
  /** The swarm found last: most nodes are in one topic, and this spares a map lookup per input. */
  private Swarm lastSwarm;
  /** Peers the driver has, or is making, a connection to, as far as we know. */
  private final PeerLinks links = new PeerLinks();
  /**
   * Peers sent to or heard from during the current {@link #handle} call, in that order: a
   * handful, so an array beats a set, and this runs for every message.
   */
  private final NodeId[] touched = new NodeId[16];
  private int touchedCount;
  /** Whether the current input may have ended requests without a message: check every link. */
  private boolean touchedAll;
  /**
   * Whether the current input can change which peers a topic needs. Broadcast traffic cannot
   * (but for {@link #membershipChanged}), so then only the links it opens are checked, not every
   * peer it sent to or heard from: that check, on every IHAVE and payload, read each topic's
   * views for nothing.
   */
  private boolean membershipInput;
  private PeerData myData;
  private long nextEpoch;
  private Consumer<Output> out;
  private long now;

  /**
   * A protocol that neither signs nor checks broadcasts ({@link BroadcastGuard#ACCEPT_ALL}).
   *
   * @param me this node's id
   * @param myData what peers need to reach us (our listen addresses), sent with our requests
   * @param config the protocol parameters
   * @param rng the only source of randomness; seed it for reproducible runs
   */
  public Protocol(NodeId me, PeerData myData, ProtocolConfig config, RandomGenerator rng) {
    this(me, myData, config, rng, BroadcastGuard.ACCEPT_ALL);
  }

  /**
   * @param me this node's id
   * @param myData what peers need to reach us (our listen addresses), sent with our requests
   * @param config the protocol parameters
   * @param rng the only source of randomness; seed it for reproducible runs
   * @param guard seals the broadcasts we originate and judges the ones we receive, on every
   *     topic
   */
  public Protocol(
      NodeId me, PeerData myData, ProtocolConfig config, RandomGenerator rng,
      BroadcastGuard guard) {
    this.me = me;
    this.myData = myData;
    this.config = config;
    this.rng = rng;
    this.guard = java.util.Objects.requireNonNull(guard, "guard");
  }

  /** Handles one input at time {@code nowNanos} (any monotonic origin), pushing outputs. */
  public void handle(Input input, long nowNanos, Consumer<Output> sink) {
    this.out = sink;
    this.now = nowNanos;
    this.membershipInput = !isBroadcastTraffic(input);
    try {
      if (input instanceof Input.Received r) {
        onReceived(r);
      } else if (input instanceof Input.Command c) {
        onCommand(c);
      } else if (input instanceof Input.TimerFired t) {
        onTimer(t.timer());
      } else if (input instanceof Input.PeerLost p) {
        onPeerLost(p.peer());
      } else if (input instanceof Input.Judged j) {
        Swarm swarm = swarmOf(j.topic());
        if (swarm != null) {
          swarm.onJudged(j.id(), j.decision(), now);
        }
      } else if (input instanceof Input.LocalDataChanged d) {
        myData = d.data();
        topics.values().forEach(s -> s.setLocalData(d.data()));
      } else {
        throw new IllegalStateException("unhandled input " + input);
      }
      releaseUnneeded();
    } finally {
      this.out = null;
      Arrays.fill(touched, 0, touchedCount, null);
      touchedCount = 0;
      touchedAll = false;
    }
  }

  private static boolean isBroadcastTraffic(Input input) {
    return input instanceof Input.Received r && r.message() instanceof BroadcastMessage
        || input instanceof Input.TimerFired t && t.timer() instanceof Timer.Broadcast
        || input instanceof Input.Judged;
  }

  private void onReceived(Input.Received r) {
    if (links.add(r.from()) || membershipInput) {
      touch(r.from());
    }
    Swarm swarm = swarmOf(r.topic());
    if (swarm == null) {
      // Not ours: dropping it also lets the connection close if nothing else uses it.
      log.debug("dropped {} from {}: not subscribed to topic {}", kind(r.message()), r.from(),
          r.topic());
      return;
    }
    swarm.onMessage(r.from(), r.message(), now);
  }

  private void onCommand(Input.Command c) {
    TopicCommand command = c.command();
    Swarm swarm = topics.get(c.topic());
    // A command may end requests without a message to their peer (a quit forgets pending
    // JOINs): every connection is checked for whether it is still needed.
    touchedAll = true;
    if (command instanceof TopicCommand.Join join) {
      swarm = swarm != null ? swarm : open(c.topic());
      if (swarm != null) {
        swarm.join(join.bootstrap());
      }
    } else if (command instanceof TopicCommand.Admit admit) {
      swarm = swarm != null ? swarm : open(c.topic());
      if (swarm != null) {
        swarm.admit(admit.rule());
      }
    } else if (command instanceof TopicCommand.Broadcast b) {
      int limit = Push.maxPayloadSize(config.maxFrameSize());
      if (swarm == null) {
        log.warn("broadcast on topic {} dropped: not joined", c.topic());
      } else if (b.payload().length > limit) {
        log.warn("broadcast of {} bytes on topic {} dropped: the limit is {} "
            + "(ProtocolConfig.maxFrameSize)", b.payload().length, c.topic(), limit);
      } else {
        swarm.broadcast(b.payload(), b.scope(), now);
      }
    } else if (command instanceof TopicCommand.Quit) {
      if (swarm != null) {
        swarm.quit();
        topics.remove(c.topic());
        lastSwarm = null;
      }
    } else {
      throw new IllegalStateException("unhandled command " + command);
    }
  }

  /** A topic's state, made on its first command; null past {@code maxTopics}. */
  private Swarm open(TopicId topic) {
    if (topics.size() >= config.maxTopics()) {
      log.warn("join of topic {} refused: already in {} topics (ProtocolConfig.maxTopics)",
          topic, topics.size());
      return null;
    }
    Swarm swarm = new Swarm(topic, nextEpoch++, me, myData, config, rng, messageIds, guard, this);
    topics.put(topic, swarm);
    return swarm;
  }

  private void onTimer(Timer timer) {
    if (timer instanceof Timer.Membership m) {
      // A request's timers end it without a message to its peer: its connection may be
      // unneeded. PlumTree's timers change no view, so they need no such sweep.
      touchedAll = true;
      Swarm swarm = current(m.topic(), m.epoch());
      if (swarm != null) {
        swarm.onMembershipTimer(m.timer());
      }
    } else if (timer instanceof Timer.Broadcast b) {
      Swarm swarm = current(b.topic(), b.epoch());
      if (swarm != null) {
        swarm.onBroadcastTimer(b.timer(), now);
      }
    } else {
      throw new IllegalStateException("unhandled timer " + timer);
    }
  }

  private Swarm swarmOf(TopicId topic) {
    Swarm swarm = lastSwarm;
    if (swarm != null && swarm.topic().equals(topic)) {
      return swarm;
    }
    swarm = topics.get(topic);
    if (swarm != null) {
      lastSwarm = swarm;
    }
    return swarm;
  }

  /** The topic's swarm if the timer belongs to it, null for a timer of a topic since left. */
  private Swarm current(TopicId topic, long epoch) {
    Swarm swarm = swarmOf(topic);
    return swarm != null && swarm.epoch() == epoch ? swarm : null;
  }

  private void onPeerLost(NodeId peer) {
    links.remove(peer);
    for (Swarm swarm : List.copyOf(topics.values())) {
      swarm.onPeerLost(peer);
    }
  }

  /** Closes the connections this input left unneeded by every topic. */
  private void releaseUnneeded() {
    if (touchedAll) {
      for (NodeId peer : links.toArray()) {
        release(peer);
      }
    } else {
      for (int i = 0; i < touchedCount; i++) {
        release(touched[i]);
      }
    }
  }

  private void release(NodeId peer) {
    if (links.contains(peer) && !needed(peer)) {
      links.remove(peer);
      out.accept(new Output.Disconnect(peer));
    }
  }

  private void touch(NodeId peer) {
    if (touchedAll) {
      return;
    }
    for (int i = 0; i < touchedCount; i++) {
      if (touched[i].equals(peer)) {
        return;
      }
    }
    if (touchedCount == touched.length) {
      // Many peers in one input (a broadcast to a wide view): sweeping every link is cheaper
      // than keeping this list free of duplicates.
      touchedAll = true;
      return;
    }
    touched[touchedCount++] = peer;
  }

  private boolean needed(NodeId peer) {
    for (Swarm swarm : topics.values()) {
      if (swarm.needs(peer)) {
        return true;
      }
    }
    return false;
  }

  // ---- effects, called by the swarms ------------------------------------------------------

  void send(Swarm from, NodeId to, Message message) {
    if (to.equals(me)) {
      return;
    }
    if (message instanceof MembershipMessage m) {
      message = fitToFrame(from.topic(), m);
      if (message == null) {
        return;
      }
    }
    if (links.add(to)) {
      out.accept(new Output.Dial(to, from.dataOf(to)));
      touch(to);
    } else if (membershipInput) {
      touch(to);
    }
    out.accept(new Output.Send(to, from.topic(), message));
  }

  /**
   * Membership messages carry peer data of up to {@link PeerData#MAX_LENGTH} bytes per peer, so
   * with a small frame limit a SHUFFLE may not fit: send fewer peers then. Anything else that
   * does not fit is dropped with a warning (broadcasts were checked already, IHAVEs are split).
   */
  private MembershipMessage fitToFrame(TopicId topic, MembershipMessage message) {
    int limit = config.maxFrameSize();
    while (WireCodec.encodedSize(new Frame(topic, message)) > limit) {
      if (message instanceof MembershipMessage.Shuffle s && !s.nodes().isEmpty()) {
        message = new MembershipMessage.Shuffle(
            s.origin(), s.nodes().subList(0, s.nodes().size() - 1), s.ttl());
      } else if (message instanceof MembershipMessage.ShuffleReply r && !r.nodes().isEmpty()) {
        message = new MembershipMessage.ShuffleReply(r.nodes().subList(0, r.nodes().size() - 1));
      } else {
        log.warn("{} on topic {} dropped: larger than the frame limit {} "
            + "(ProtocolConfig.maxFrameSize)", kind(message), topic, limit);
        return null;
      }
    }
    return message;
  }

  /** A topic changed its views during broadcast traffic (a peer expelled): check every link. */
  void membershipChanged() {
    touchedAll = true;
  }

  void judge(Swarm from, Push push) {
    out.accept(new Output.Judge(from.topic(), push));
  }

  void schedule(long delayNanos, Timer timer) {
    out.accept(new Output.Schedule(delayNanos, timer));
  }

  void emit(TopicId topic, TopicEvent event) {
    out.accept(new Output.Emit(topic, event));
  }

  // ---- queries --------------------------------------------------------------------------

  /** This node's id. */
  public NodeId me() {
    return me;
  }

  /** The configuration. */
  public ProtocolConfig config() {
    return config;
  }

  /** The topics joined and not quit, in joining order. */
  public List<TopicId> topics() {
    return new ArrayList<>(topics.keySet());
  }

  /** A picture of one topic's state, or empty if not joined. */
  public Optional<TopicSnapshot> snapshot(TopicId topic) {
    Swarm swarm = topics.get(topic);
    if (swarm == null) {
      return Optional.empty();
    }
    return Optional.of(
        new TopicSnapshot(
            topic,
            swarm.membership().activeView(),
            swarm.membership().passiveView(),
            swarm.membership().pendingRequests(),
            swarm.broadcastTree().neighbors(),
            swarm.broadcastTree().trees(),
            swarm.broadcastTree().sharedTreeRoot(),
            swarm.broadcastTree().sharedTreeParent(),
            swarm.broadcastTree().sharedTreeLinks(),
            swarm.broadcastTree().stats()));
  }

  /** Peers we hold (or are making) a connection to. */
  public Set<NodeId> connectedPeers() {
    return links.toSet();
  }

  private static String kind(Message message) {
    return message.getClass().getSimpleName();
  }

  /** The time of the input being handled, for the swarms' callbacks that carry none. */
  long now() {
    return now;
  }
}
