package io.gossip4j.hyparview;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.wire.MembershipMessage.Disconnect;
import io.gossip4j.wire.MembershipMessage.ForwardJoin;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.MembershipMessage.Neighbor;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MembershipMessage.Priority;
import io.gossip4j.wire.MembershipMessage.Shuffle;
import io.gossip4j.wire.MembershipMessage.ShuffleReply;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * HyParView membership for one topic (Leitão, Pereira, Rodrigues, "HyParView: a membership
 * protocol for reliable gossip-based broadcast", DSN 2007), with the fixes iroh-gossip learned:
 * a FORWARD_JOIN that stops here (ttl 0, or our active view holds only its sender) sends
 * NEIGHBOR(high) and adds the joiner on the reply; a JOIN is answered even from a peer that is
 * already active (it reconnected); the active view is refilled from the passive view with one
 * pending request per candidate, dropped on timeout.
 *
 * <p>Sans-IO: each input method queues its effects as {@link MembershipOutput}s, which the layer
 * above takes with {@link #drainOutputs} before the next input; time only enters through timers.
 */
public final class HyParView {

  /**
   * How many request timeouts a timed-out request's connection is kept for a late reply, which
   * is still taken if there is room.
   */
  static final int LATE_REPLY_FACTOR = 10;

  /** Lost peers probed per probe round: the probe rate's bound, with the rounds' spacing. */
  static final int PROBES_PER_ROUND = 2;

  /** An outstanding JOIN or NEIGHBOR request, answered by NEIGHBOR_REPLY. */
  /**
   * A JOIN or NEIGHBOR request out; {@code ours} when we chose the peer ourselves (not a joiner
   * a FORWARD_JOIN named), so that it may hold a protected slot once it accepts.
   */
  private record Pending(PeerInfo peer, long seq, boolean ours) {}

  /** A neighbor whose connection failed, kept to probe; {@code lostAt} on the probe clock. */
  private record LostPeer(PeerInfo peer, long lostAt) {}

  private final NodeId me;
  private final HyParViewConfig config;
  private final RandomGenerator rng;
  /** Effects of the inputs handled since the last {@link #drainOutputs}, in order. */
  private final ArrayDeque<MembershipOutput> outbox = new ArrayDeque<>();
  private final PeerView active;
  private final PeerView passive;
  private final Map<NodeId, Pending> pending = new LinkedHashMap<>();
  /**
   * Requests that timed out, by peer, with their sequence number: their connection is kept a
   * while longer for a late reply (the timeout includes the dial and the TLS handshake, which
   * can take longer under load), then released. At most {@code maxPendingRequests}.
   */
  private final Map<NodeId, Long> expired = new LinkedHashMap<>();
  /** Peers that refused a NEIGHBOR request since the last shuffle: not asked again before it. */
  private final Set<NodeId> refused = new HashSet<>();
  /** Peers sent in our last SHUFFLE: evicted first when the reply fills the passive view. */
  private Set<NodeId> lastShuffleSent = Set.of();
  /** Bootstrap peers, joined again if this node ever ends up knowing nobody. */
  private List<PeerInfo> bootstrap = List.of();
  private PeerData myData;
  private long nextSeq;
  private boolean retryScheduled;
  /** Delay of the next refill retry: refillInterval, doubled while nothing changes. */
  private long retryDelayNanos;
  private int shufflesSinceRotation;
  /**
   * Neighbors lost to failures (not to a clean quit or a DISCONNECT), oldest first, probed until
   * they answer or {@link HyParViewConfig#lostPeerRetention} passes: across a network partition
   * these are the only peers of the other side we know, as their dials fail and drop them from
   * the passive view. At most {@link HyParViewConfig#lostPeerCapacity}.
   */
  private final LinkedHashMap<NodeId, LostPeer> lost = new LinkedHashMap<>();
  /** Time as seen by the probe rounds: the sum of their delays, for the retention. */
  private long probeClockNanos;
  private long probeDelayNanos;
  private long scheduledProbeDelayNanos;
  private boolean probeScheduled;
  /** When (probe clock) we last asked a lost peer with HIGH priority: one per shuffle interval. */
  private long lastHighProbeAt = Long.MIN_VALUE;
  /** Who may be in this topic with us: the application's rule, everyone by default. */
  private Predicate<NodeId> admission = peer -> true;
  /**
   * Peers whose admission rule refused us, newest last: taken into no view again, so shuffles
   * do not bring them back to be asked and refused over and over. At most a passive view's
   * worth; a join through one of them (the application asks again) forgets it.
   */
  private final Set<NodeId> notAdmittedBy = new LinkedHashSet<>();
  /**
   * Neighbors we asked for ourselves, oldest first (ids no longer active are dropped lazily):
   * the first {@link HyParViewConfig#effectiveProtectedActiveSlots} of them still active are
   * never the victim of a peer's request.
   */
  private final Set<NodeId> chosen = new LinkedHashSet<>();
  /**
   * Who put each passive entry there, for {@link HyParViewConfig#passivePerSource} (entries no
   * longer passive are dropped lazily). Entries we put there ourselves have no source here.
   */
  private final Map<NodeId, NodeId> passiveSource = new HashMap<>();

  public HyParView(NodeId me, PeerData myData, HyParViewConfig config, RandomGenerator rng) {
    this.me = me;
    this.myData = myData;
    this.config = config;
    this.rng = rng;
    this.active = new PeerView(config.activeViewCapacity());
    this.passive = new PeerView(config.passiveViewCapacity());
    this.retryDelayNanos = config.refillInterval().toNanos();
    this.probeDelayNanos = firstProbeDelay();
  }

  /**
   * Hands the outputs of the inputs handled so far to {@code sink}, oldest first, and forgets
   * them. Outputs queued while draining (by an input the sink gives back) are drained too.
   */
  public void drainOutputs(Consumer<? super MembershipOutput> sink) {
    MembershipOutput output;
    while ((output = outbox.poll()) != null) {
      sink.accept(output);
    }
  }

  private void send(NodeId to, MembershipMessage message) {
    outbox.add(new MembershipOutput.Send(to, message));
  }

  private void schedule(long delayNanos, MembershipTimer timer) {
    outbox.add(new MembershipOutput.Schedule(delayNanos, timer));
  }

  private void neighborUp(NodeId peer) {
    outbox.add(new MembershipOutput.NeighborUp(peer));
  }

  private void neighborDown(NodeId peer, NeighborDownReason reason) {
    outbox.add(new MembershipOutput.NeighborDown(peer, reason));
  }

  // ---- admission ------------------------------------------------------------------------

  /**
   * Sets who may be in this topic with us. Neighbors and passive peers the new rule refuses are
   * dropped at once, neighbors with DISCONNECT (not admitted). From now on a peer it refuses is
   * put in no view, passed on to nobody, and answered DISCONNECT (not admitted) whatever it
   * sends. The rule must be quick and must not block: it runs for every id we hear of.
   */
  public void setAdmission(Predicate<NodeId> rule) {
    admission = Objects.requireNonNull(rule, "rule");
    for (NodeId peer : active.ids()) {
      if (!admits(peer)) {
        active.remove(peer);
        send(peer, new Disconnect(Disconnect.Why.NOT_ADMITTED));
        neighborDown(peer, NeighborDownReason.NOT_ADMITTED);
      }
    }
    for (NodeId peer : passive.ids()) {
      if (!admits(peer)) {
        passive.remove(peer);
      }
    }
    pending.keySet().removeIf(peer -> !admits(peer));
    lost.keySet().removeIf(peer -> !admits(peer));
    bootstrap = bootstrap.stream().filter(p -> admits(p.id())).toList();
    refill();
  }

  /** Whether the admission rule lets {@code peer} into this topic. */
  public boolean admits(NodeId peer) {
    return admission.test(peer);
  }

  /** Whether {@code peer} may enter a view: we admit it and it has not refused us. */
  private boolean mayTake(NodeId peer) {
    return !notAdmittedBy.contains(peer) && admits(peer);
  }

  /** Tells a peer our admission rule refuses it that we take nothing it sends on this topic. */
  public void refuse(NodeId peer) {
    send(peer, new Disconnect(Disconnect.Why.NOT_ADMITTED));
  }

  // ---- commands -------------------------------------------------------------------------

  /** Starts the periodic shuffle. Call once. */
  public void start() {
    schedule(config.shuffleInterval().toNanos(), new MembershipTimer.Shuffle());
  }

  /**
   * Joins through these peers: JOIN to as many as the active view holds, the rest go to the
   * passive view. Calling it again adds peers.
   */
  public void join(List<PeerInfo> peers) {
    for (PeerInfo p : peers) {
      notAdmittedBy.remove(p.id()); // asked again by the application: it may admit us now
    }
    join(peers, 0);
  }

  /** {@link #join(List)}, as its {@code attempt}-th retry (0: the first try). */
  private void join(List<PeerInfo> peers, int attempt) {
    List<PeerInfo> fresh = new ArrayList<>();
    for (PeerInfo p : peers) {
      if (!p.id().equals(me) && mayTake(p.id())) {
        fresh.add(p); // retries skip the peers that refused us since
      }
    }
    if (!fresh.isEmpty()) {
      // Kept to rejoin from when isolated: no more than a passive view's worth.
      int kept = Math.min(fresh.size(), config.passiveViewCapacity());
      bootstrap = List.copyOf(fresh.subList(0, kept));
      // Twice the request timeout: by then the JOIN's answer and the first FORWARD_JOINs are in.
      // Each retry waits twice as long as the one before, up to maxProbeInterval.
      schedule(joinRetryDelay(attempt), new MembershipTimer.JoinShuffle(attempt));
    }
    for (PeerInfo p : fresh) {
      if (active.contains(p.id()) || pending.containsKey(p.id())) {
        continue;
      }
      if (active.size() + pending.size() >= config.activeViewCapacity()
          || !request(p, new Join(myData), true)) {
        addPassive(p);
      }
    }
  }

  /** Leaves: DISCONNECT (not alive) to every active peer, and forgets everything. */
  public void quit() {
    for (NodeId peer : active.ids()) {
      send(peer, new Disconnect(false));
    }
    for (NodeId peer : active.ids()) {
      active.remove(peer);
    }
    pending.clear();
    expired.clear();
    lost.clear();
    for (NodeId peer : passive.ids()) {
      passive.remove(peer);
    }
  }

  /** Our own peer data changed; it goes out with the next JOIN, NEIGHBOR or SHUFFLE. */
  public void setLocalData(PeerData data) {
    myData = data;
  }

  // ---- inputs ---------------------------------------------------------------------------

  /** A membership message from {@code from}. */
  public void handle(NodeId from, MembershipMessage message) {
    if (from.equals(me)) {
      return;
    }
    if (!admits(from)) {
      // A DISCONNECT is taken as it is (it only ends what we had); anything else is refused.
      if (message instanceof Disconnect m) {
        onDisconnect(from, m);
      } else {
        refuse(from);
      }
      return;
    }
    if (!(message instanceof Disconnect)) {
      notAdmittedBy.remove(from); // it talks to us on the topic: its rule admits us again
    }
    // Java 17 has no pattern switch: the sealed interface keeps this chain complete.
    if (message instanceof Join m) {
      onJoin(from, m);
    } else if (message instanceof ForwardJoin m) {
      onForwardJoin(from, m);
    } else if (message instanceof Neighbor m) {
      onNeighbor(from, m);
    } else if (message instanceof NeighborReply m) {
      onNeighborReply(from, m);
    } else if (message instanceof Disconnect m) {
      onDisconnect(from, m);
    } else if (message instanceof Shuffle m) {
      onShuffle(from, m);
    } else if (message instanceof ShuffleReply m) {
      onShuffleReply(from, m);
    } else {
      throw new IllegalStateException("unhandled membership message " + message);
    }
  }

  /** A timer scheduled by this instance fired. */
  public void onTimer(MembershipTimer timer) {
    if (timer instanceof MembershipTimer.Shuffle) {
      onShuffleTimer();
    } else if (timer instanceof MembershipTimer.JoinShuffle t) {
      onJoinShuffle(t);
    } else if (timer instanceof MembershipTimer.RetryRefill) {
      onRetryRefill();
    } else if (timer instanceof MembershipTimer.RequestExpired t) {
      onRequestExpired(t);
    } else if (timer instanceof MembershipTimer.LateReplyExpired t) {
      onLateReplyExpired(t);
    } else if (timer instanceof MembershipTimer.ProbeLost) {
      onProbeLost();
    } else {
      throw new IllegalStateException("unhandled membership timer " + timer);
    }
  }

  private void onJoinShuffle(MembershipTimer.JoinShuffle timer) {
    long nextDelay = 2 * config.neighborRequestTimeout().toNanos() << (timer.attempt() + 1);
    if (!active.isEmpty()) {
      if (!active.isFull()) {
        refill();
        shuffle();
        if (passive.isEmpty() && nextDelay < config.shuffleInterval().toNanos()) {
          // Still no peer to fall back on: joined as others did, through a contact that knew
          // none of them yet. Should our few links fail we could not rejoin the rest, so ask
          // again soon, backing off, rather than a whole shuffle interval later.
          schedule(nextDelay, new MembershipTimer.JoinShuffle(timer.attempt() + 1));
        }
      }
      return;
    }
    if (pending.isEmpty()) {
      // The join failed (refused, e.g. over a handshake cap, timed out, or unreachable): try
      // again soon, backing off up to maxProbeInterval, for as long as we know nobody. A node
      // whose network was down a minute must not wait a shuffle interval more once it is back.
      join(bootstrap, timer.attempt() + 1);
    } else {
      schedule(joinRetryDelay(timer.attempt() + 1), new MembershipTimer.JoinShuffle(
          timer.attempt() + 1));
    }
  }

  /** The wait before the {@code attempt}-th join retry: doubling, capped, jittered. */
  private long joinRetryDelay(int attempt) {
    long delay = 2 * config.neighborRequestTimeout().toNanos() << Math.min(attempt, 20);
    if (attempt == 0) {
      return delay; // the first look, after the JOIN's answer and the first FORWARD_JOINs
    }
    return jitter(Math.min(delay, Math.max(config.maxProbeInterval().toNanos(),
        2 * config.neighborRequestTimeout().toNanos())));
  }

  /** Between half and all of {@code delayNanos}: nodes that lost the network together spread. */
  private long jitter(long delayNanos) {
    return delayNanos / 2 + rng.nextLong(delayNanos / 2 + 1);
  }

  /** The connection to {@code peer} is gone: if it was active or asked, it failed. */
  public void onPeerLost(NodeId peer) {
    expired.remove(peer);
    PeerData data = active.dataOf(peer);
    boolean wasPending = pending.remove(peer) != null;
    boolean wasActive = active.remove(peer);
    if (wasActive) {
      neighborDown(peer, NeighborDownReason.FAILED);
      rememberLost(new PeerInfo(peer, data));
    }
    if (wasActive || wasPending) {
      passive.remove(peer);
      refill();
    }
    // Otherwise it was a short-lived connection (a shuffle reply, a refused request): no news.
  }

  /**
   * Drops an active neighbor that misbehaved: it gets DISCONNECT (alive: we stay) and is kept
   * in neither view, so we do not ask it back; its free slot is refilled from the passive view.
   */
  public void expel(NodeId peer) {
    if (!active.remove(peer)) {
      return;
    }
    send(peer, new Disconnect(true));
    neighborDown(peer, NeighborDownReason.EXPELLED);
    pending.remove(peer);
    passive.remove(peer);
    lost.remove(peer);
    refill();
  }

  // ---- JOIN and FORWARD_JOIN ------------------------------------------------------------

  private void onJoin(NodeId from, Join join) {
    PeerInfo joiner = new PeerInfo(from, join.data());
    if (active.contains(from)) {
      // A reconnect: the peer lost its state, so confirm it without forwarding again.
      active.put(joiner);
      send(from, new NeighborReply(true, myData));
      return;
    }
    // The reply first: what our new neighbor's broadcast layer sends it on NeighborUp (its place
    // in the shared tree) is ignored by a peer that does not know yet that we took it.
    send(from, new NeighborReply(true, myData));
    addActive(joiner, false);
    for (NodeId peer : active.ids()) {
      if (!peer.equals(from)) {
        send(peer, new ForwardJoin(joiner, config.activeRandomWalkLength()));
      }
    }
  }

  private void onForwardJoin(NodeId from, ForwardJoin message) {
    PeerInfo joiner = message.peer();
    if (joiner.id().equals(me) || active.contains(joiner.id()) || !mayTake(joiner.id())) {
      return; // a joiner we do not admit (or that refused us) is neither taken nor walked on
    }
    // A sender may claim any ttl: never walk further than our own configuration allows.
    int ttl = Math.min(message.ttl(), config.activeRandomWalkLength());
    if (ttl == 0 || active.size() <= 1) {
      requestOrRemember(joiner, from);
      return;
    }
    if (ttl == config.passiveRandomWalkLength()) {
      learn(joiner, from, new ArrayList<>());
    }
    NodeId next = active.random(rng, List.of(from, joiner.id()));
    if (next == null) {
      requestOrRemember(joiner, from);
    } else {
      send(next, new ForwardJoin(joiner, ttl - 1));
    }
  }

  /**
   * Asks the joiner to be our neighbor, or, with {@link HyParViewConfig#maxPendingRequests}
   * requests out already (a flood of FORWARD_JOINs), only remembers it as a passive peer. The
   * joiner is the forwarder's word, not our choice: it takes no protected slot and counts
   * against {@code from}'s passive quota.
   */
  private void requestOrRemember(PeerInfo joiner, NodeId from) {
    if (!request(joiner, new Neighbor(Priority.HIGH, myData), false)) {
      learn(joiner, from, new ArrayList<>());
    }
  }

  // ---- NEIGHBOR -------------------------------------------------------------------------

  private void onNeighbor(NodeId from, Neighbor request) {
    PeerInfo peer = new PeerInfo(from, request.data());
    if (active.contains(from)) {
      active.put(peer);
      send(from, new NeighborReply(true, myData));
    } else if (request.priority() == Priority.HIGH || !active.isFull()) {
      send(from, new NeighborReply(true, myData)); // first, as in onJoin
      addActive(peer, false);
    } else {
      addPassive(peer);
      send(from, new NeighborReply(false, myData));
    }
  }

  private void onNeighborReply(NodeId from, NeighborReply reply) {
    Pending request = pending.remove(from);
    expired.remove(from);
    PeerInfo peer = new PeerInfo(from, reply.data());
    if (!reply.accepted()) {
      boolean wasLost = lost.remove(from) != null;
      if (wasLost && highProbeAllowed()) {
        // A lost peer answers: the network is back, but its view is full. Ask once more, HIGH,
        // so the two sides of a healed partition link now, not at the next rotation. At most
        // one such eviction per shuffle interval from us.
        lastHighProbeAt = probeClockNanos;
        request(peer, new Neighbor(Priority.HIGH, myData), true);
        return;
      }
      addPassive(peer);
      markRefused(from);
      refill();
    } else if (active.contains(from)) {
      active.put(peer);
    } else if (request != null || !active.isFull()) {
      addActive(peer, request != null && request.ours());
    } else {
      // It accepted a request we had given up on and we have no room: undo its side.
      send(from, new Disconnect(true));
      addPassive(peer);
    }
  }

  private void onRequestExpired(MembershipTimer.RequestExpired timer) {
    Pending request = pending.get(timer.peer());
    if (request == null || request.seq() != timer.seq()) {
      return;
    }
    pending.remove(timer.peer());
    passive.remove(timer.peer());
    if (expired.size() >= config.maxPendingRequests()) {
      expired.remove(expired.keySet().iterator().next());
    }
    expired.put(timer.peer(), timer.seq());
    schedule(
        LATE_REPLY_FACTOR * config.neighborRequestTimeout().toNanos(),
        new MembershipTimer.LateReplyExpired(timer.peer(), timer.seq()));
    refill();
  }

  private void onLateReplyExpired(MembershipTimer.LateReplyExpired timer) {
    Long seq = expired.get(timer.peer());
    if (seq != null && seq == timer.seq()) {
      expired.remove(timer.peer()); // no longer needed: the node releases the connection
    }
  }

  // ---- DISCONNECT -----------------------------------------------------------------------

  private void onDisconnect(NodeId from, Disconnect message) {
    PeerData data = dataOf(from);
    lost.remove(from); // it speaks: reachable, and it chose to leave us
    pending.remove(from);
    expired.remove(from); // it will not answer: it just told us so
    if (message.why() == Disconnect.Why.NOT_ADMITTED) {
      // Its rule refuses us: forget it in every view, so we neither ask it again nor pass it on.
      if (active.remove(from)) {
        neighborDown(from, NeighborDownReason.NOT_ADMITTED);
      }
      passive.remove(from);
      refused.remove(from);
      if (notAdmittedBy.add(from) && notAdmittedBy.size() > config.passiveViewCapacity()) {
        notAdmittedBy.remove(notAdmittedBy.iterator().next());
      }
      outbox.add(new MembershipOutput.Refused(from));
      refill();
      return;
    }
    if (active.remove(from)) {
      neighborDown(
          from, message.alive() ? NeighborDownReason.DISCONNECTED : NeighborDownReason.QUIT);
    }
    if (message.alive()) {
      addPassive(new PeerInfo(from, data));
      markRefused(from); // it just dropped us: do not ask it back at once
    } else {
      passive.remove(from);
    }
    refill();
  }

  // ---- lost peers: finding the other side of a partition again ---------------------------

  private long firstProbeDelay() {
    return 2 * config.neighborRequestTimeout().toNanos();
  }

  /** Keeps a failed neighbor to probe, dropping the oldest beyond the capacity. */
  private void rememberLost(PeerInfo peer) {
    if (config.lostPeerCapacity() == 0 || peer.data() == null) {
      return;
    }
    lost.remove(peer.id());
    if (lost.size() >= config.lostPeerCapacity()) {
      lost.remove(lost.keySet().iterator().next());
    }
    lost.put(peer.id(), new LostPeer(peer, probeClockNanos));
    // A new loss: probe soon again, then back off.
    probeDelayNanos = firstProbeDelay();
    scheduleProbe();
  }

  private void scheduleProbe() {
    if (!probeScheduled && !lost.isEmpty()) {
      probeScheduled = true;
      scheduledProbeDelayNanos = jitter(probeDelayNanos);
      schedule(scheduledProbeDelayNanos, new MembershipTimer.ProbeLost());
    }
  }

  /**
   * A probe round: asks up to {@link #PROBES_PER_ROUND} lost peers, the longest unasked first,
   * to be neighbors (LOW: nobody is evicted unless the peer answers and we spend our HIGH
   * budget, see {@link #onNeighborReply}). Rounds back off from twice the request timeout to
   * {@link HyParViewConfig#maxProbeInterval}, jittered, and restart fast after a new loss.
   */
  private void onProbeLost() {
    probeScheduled = false;
    probeClockNanos += scheduledProbeDelayNanos;
    long retention = config.lostPeerRetention().toNanos();
    lost.values().removeIf(p -> probeClockNanos - p.lostAt() > retention);
    List<LostPeer> due = new ArrayList<>();
    for (LostPeer p : lost.values()) {
      if (due.size() == PROBES_PER_ROUND) {
        break;
      }
      if (!active.contains(p.peer().id()) && !pending.containsKey(p.peer().id())) {
        due.add(p);
      }
    }
    for (LostPeer p : due) {
      if (!request(p.peer(), new Neighbor(Priority.LOW, myData), true)) {
        break; // maxPendingRequests out already
      }
      // To the back of the line, so every lost peer gets its turn.
      lost.remove(p.peer().id());
      lost.put(p.peer().id(), p);
    }
    probeDelayNanos = Math.min(2 * probeDelayNanos,
        Math.max(config.maxProbeInterval().toNanos(), firstProbeDelay()));
    scheduleProbe();
  }

  private boolean highProbeAllowed() {
    return lastHighProbeAt == Long.MIN_VALUE
        || probeClockNanos - lastHighProbeAt >= config.shuffleInterval().toNanos();
  }

  // ---- SHUFFLE --------------------------------------------------------------------------

  private void onShuffleTimer() {
    schedule(config.shuffleInterval().toNanos(), new MembershipTimer.Shuffle());
    if (!rejoinIfIsolated()) {
      if (!active.isFull() && passive.isEmpty() && pending.isEmpty()) {
        // Short of neighbors with no one left to ask: a few nodes that only know each other
        // would stay cut off from the rest for good. Ask the bootstrap peers in again.
        join(bootstrap, 0);
      }
      boolean everyCandidateRefused =
          !active.isFull() && pending.isEmpty() && !passive.isEmpty()
              && refused.containsAll(passive.ids());
      refused.clear();
      if (rotationDue()) {
        // A full view never dials anyone: swap a neighbor for a passive peer now and then, so
        // overlays that a partition split find each other again. HIGH, as the peer is full too.
        NodeId target = passive.random(rng, List.of());
        request(new PeerInfo(target, passive.dataOf(target)),
            new Neighbor(Priority.HIGH, myData), true);
      } else if (everyCandidateRefused) {
        // Everyone we know is full, so LOW requests cannot succeed. A HIGH one makes a peer
        // drop a random neighbor, which then looks for a new one too: the free slots wander
        // until two meet instead of staying stuck. Once a shuffle interval at most: each one
        // costs a neighbor somewhere, and broadcast trees do not like churn.
        NodeId target = passive.random(rng, List.of());
        request(new PeerInfo(target, passive.dataOf(target)),
            new Neighbor(Priority.HIGH, myData), true);
      }
      refill();
    }
    shuffle();
  }

  /**
   * Asks the refusing peers again (LOW: nobody is evicted), backing off while nothing changes:
   * a view that is not full keeps looking between shuffles without flooding its peers.
   */
  private void onRetryRefill() {
    retryScheduled = false;
    if (!rejoinIfIsolated()) {
      refused.clear();
      retryDelayNanos = Math.min(2 * retryDelayNanos, config.shuffleInterval().toNanos());
      refill();
    }
  }

  /** Joins the bootstrap peers again if we know nobody at all. */
  private boolean rejoinIfIsolated() {
    if (active.isEmpty() && passive.isEmpty() && pending.isEmpty()) {
      join(bootstrap, 0);
      return true;
    }
    return false;
  }

  private boolean rotationDue() {
    if (config.activeRotationShuffles() == 0 || !active.isFull()) {
      shufflesSinceRotation = 0;
      return false;
    }
    if (++shufflesSinceRotation < config.activeRotationShuffles()
        || !pending.isEmpty() || passive.isEmpty()) {
      return false;
    }
    shufflesSinceRotation = 0;
    return true;
  }

  /** Sends a sample of both views on a random walk, starting at a random active peer. */
  private void shuffle() {
    NodeId target = active.random(rng, List.of());
    if (target == null) {
      return;
    }
    List<PeerInfo> nodes = new ArrayList<>();
    nodes.addAll(active.sample(rng, config.shuffleActiveViewCount(), List.of(target)));
    nodes.addAll(passive.sample(rng, config.shufflePassiveViewCount(), List.of(target)));
    Set<NodeId> sent = new HashSet<>();
    for (PeerInfo p : nodes) {
      sent.add(p.id());
    }
    lastShuffleSent = sent;
    send(
        target,
        new Shuffle(new PeerInfo(me, myData), nodes, config.shuffleRandomWalkLength()));
  }

  private void onShuffle(NodeId from, Shuffle shuffle) {
    PeerInfo origin = shuffle.origin();
    if (origin.id().equals(me) || !admits(origin.id())) {
      return;
    }
    int ttl = Math.min(shuffle.ttl(), config.shuffleRandomWalkLength());
    if (ttl > 0 && active.size() > 1) {
      NodeId next = active.random(rng, List.of(from, origin.id()));
      if (next != null) {
        send(next, new Shuffle(origin, shuffle.nodes(), ttl - 1));
        return;
      }
    }
    // The walk ends here: answer with as many passive peers as we were sent, then merge.
    int count = Math.min(shuffle.nodes().size(), config.passiveViewCapacity());
    List<PeerInfo> reply = passive.sample(rng, count, List.of(origin.id()));
    Set<NodeId> replied = new HashSet<>();
    for (PeerInfo p : reply) {
      replied.add(p.id());
    }
    List<PeerInfo> received = new ArrayList<>(limit(shuffle.nodes()));
    received.add(origin);
    // The source is the authenticated peer that handed the list to us: the origin is only
    // claimed, and one claimed anew with each shuffle would escape any quota.
    integrate(received, replied, from);
    send(origin.id(), new ShuffleReply(reply));
  }

  private void onShuffleReply(NodeId from, ShuffleReply reply) {
    integrate(limit(reply.nodes()), lastShuffleSent, from);
    lastShuffleSent = Set.of();
  }

  /** A hostile peer may send any number of nodes: consider no more than a passive view. */
  private List<PeerInfo> limit(List<PeerInfo> nodes) {
    return nodes.size() <= config.passiveViewCapacity()
        ? nodes
        : nodes.subList(0, config.passiveViewCapacity());
  }

  /**
   * The paper's merge: unknown peers go to the passive view; when it is full, the ones we just
   * sent away are evicted first (the other side now knows them), then random ones.
   */
  private void integrate(List<PeerInfo> nodes, Set<NodeId> evictFirst, NodeId source) {
    List<NodeId> preferred = new ArrayList<>(evictFirst);
    boolean learned = false;
    for (PeerInfo p : nodes) {
      learned |= learn(p, source, preferred);
    }
    if (learned && !active.isFull()) {
      // A view with free slots (a small overlay, or one still forming) asks the peers it just
      // heard of now, not at the next shuffle: a node whose only neighbor fails meanwhile would
      // otherwise be known to nobody else.
      refill();
    }
  }

  /**
   * Puts a peer that {@code source} told us of into the passive view; returns whether it is new
   * there. When full, the view drops one of {@code preferred} (taking it from the list), else a
   * random entry; when {@code source} already has its quota there, one of its own.
   */
  private boolean learn(PeerInfo p, NodeId source, List<NodeId> preferred) {
    if (p.id().equals(me) || active.contains(p.id()) || !mayTake(p.id())) {
      return false;
    }
    if (passive.contains(p.id())) {
      passive.put(p);
      return false;
    }
    // Only a full view makes room, and a source past its quota makes it among its own ids: it
    // may fill free slots (a node that lost most peers learns from the few it has left), never
    // push out what others told us.
    NodeId own = passive.isFull() ? overSourceCap(source) : null;
    if (own != null) {
      passive.remove(own);
    } else if (passive.isFull()) {
      NodeId victim = null;
      while (victim == null && !preferred.isEmpty()) {
        NodeId candidate = preferred.remove(preferred.size() - 1);
        if (passive.contains(candidate)) {
          victim = candidate;
        }
      }
      passive.remove(victim != null ? victim : passive.random(rng, List.of()));
    }
    passive.put(p);
    noteSource(p.id(), source);
    return true;
  }

  // ---- views ----------------------------------------------------------------------------

  /**
   * Adds to the active view, dropping a random neighbor when full (it gets DISCONNECT, alive,
   * and goes to the passive view). When the peer asked ({@code ours} false), the neighbors we
   * chose ourselves that are protected are not dropped.
   */
  private void addActive(PeerInfo peer, boolean ours) {
    if (peer.id().equals(me) || active.contains(peer.id()) || !mayTake(peer.id())) {
      return;
    }
    if (active.isFull()) {
      List<NodeId> spared = ours ? new ArrayList<>() : protectedNeighbors();
      spared.add(peer.id());
      NodeId dropped = active.random(rng, spared);
      PeerData droppedData = active.dataOf(dropped);
      active.remove(dropped);
      send(dropped, new Disconnect(true));
      neighborDown(dropped, NeighborDownReason.REPLACED);
      addPassive(new PeerInfo(dropped, droppedData));
    }
    passive.remove(peer.id());
    pending.remove(peer.id());
    expired.remove(peer.id());
    refused.remove(peer.id());
    lost.remove(peer.id());
    active.put(peer);
    if (ours) {
      if (chosen.size() >= 2 * config.activeViewCapacity()) {
        chosen.removeIf(id -> !active.contains(id));
      }
      chosen.add(peer.id());
    } else {
      chosen.remove(peer.id()); // chosen once, but back now at its own request
    }
    retryDelayNanos = config.refillInterval().toNanos();
    neighborUp(peer.id());
  }

  /** The oldest neighbors we chose ourselves, up to the protected count. */
  private List<NodeId> protectedNeighbors() {
    List<NodeId> spared = new ArrayList<>();
    int slots = config.effectiveProtectedActiveSlots();
    for (NodeId id : chosen) {
      if (spared.size() == slots) {
        break;
      }
      if (active.contains(id)) {
        spared.add(id);
      }
    }
    return spared;
  }

  /**
   * One of {@code source}'s passive entries if it has its quota there already, else null.
   * Entries without a source (put there by us) are no one's quota.
   */
  private NodeId overSourceCap(NodeId source) {
    if (config.passivePerSource() >= config.passiveViewCapacity()) {
      return null; // no quota that a full view could reach: nothing to count
    }
    NodeId one = null;
    int count = 0;
    for (Map.Entry<NodeId, NodeId> e : passiveSource.entrySet()) {
      if (e.getValue().equals(source) && passive.contains(e.getKey())) {
        count++;
        one = e.getKey();
      }
    }
    return count >= config.passivePerSource() ? one : null;
  }

  private void noteSource(NodeId id, NodeId source) {
    if (passiveSource.size() >= 2 * config.passiveViewCapacity()) {
      passiveSource.keySet().removeIf(key -> !passive.contains(key));
    }
    passiveSource.put(id, source);
  }

  private void addPassive(PeerInfo peer) {
    if (peer.id().equals(me) || active.contains(peer.id()) || !mayTake(peer.id())) {
      return;
    }
    passiveSource.remove(peer.id()); // ours now, whoever told us of it first
    if (!passive.contains(peer.id()) && passive.isFull()) {
      passive.remove(passive.random(rng, List.of()));
    }
    passive.put(peer);
  }

  /** Asks passive peers to become neighbors until requests cover the free active slots. */
  private void refill() {
    while (active.size() + pending.size() < config.activeViewCapacity()) {
      List<NodeId> exclude = new ArrayList<>(pending.keySet());
      exclude.addAll(refused);
      List<PeerInfo> candidate = passive.sample(rng, 1, exclude);
      if (candidate.isEmpty()) {
        if (pending.isEmpty() && !retryScheduled) {
          // Nobody left to ask now: ask again soon rather than at the next shuffle.
          retryScheduled = true;
          schedule(retryDelayNanos, new MembershipTimer.RetryRefill());
        }
        return;
      }
      if (!request(candidate.get(0), new Neighbor(refillPriority(), myData), true)) {
        return;
      }
    }
  }

  /**
   * HIGH while one failure would isolate us (the paper says only when isolated): a node left
   * with one neighbor among full peers would otherwise wait up to a shuffle interval for its
   * HIGH retry. The peer that makes room evicts a neighbor, which refills in turn; with views
   * of two or fewer that chain could go round, so there only an empty view asks HIGH.
   */
  private Priority refillPriority() {
    int safe = config.activeViewCapacity() >= 3 ? 2 : 1;
    return active.size() < safe ? Priority.HIGH : Priority.LOW;
  }

  /**
   * Sends a JOIN or NEIGHBOR request and starts its timeout. Returns false, sending nothing,
   * when one is already out to that peer or {@link HyParViewConfig#maxPendingRequests} are.
   */
  private boolean request(PeerInfo peer, MembershipMessage message, boolean ours) {
    if (pending.containsKey(peer.id())) {
      return false;
    }
    if (pending.size() >= config.maxPendingRequests()) {
      return false;
    }
    long seq = nextSeq++;
    expired.remove(peer.id());
    pending.put(peer.id(), new Pending(peer, seq, ours));
    send(peer.id(), message);
    schedule(
        config.neighborRequestTimeout().toNanos(),
        new MembershipTimer.RequestExpired(peer.id(), seq));
    return true;
  }

  /**
   * Remembers that a passive peer refused us. Only passive peers matter (the set excludes
   * refill candidates), so past a passive view's worth the others are forgotten.
   */
  private void markRefused(NodeId peer) {
    if (refused.size() >= config.passiveViewCapacity()) {
      refused.retainAll(passive.ids());
    }
    if (passive.contains(peer)) {
      refused.add(peer);
    }
  }

  // ---- queries --------------------------------------------------------------------------

  /**
   * Whether this topic needs a connection to {@code peer}: it is active, asked, or was asked
   * and may still answer late.
   */
  public boolean needs(NodeId peer) {
    return active.contains(peer) || pending.containsKey(peer) || expired.containsKey(peer);
  }

  /** What we know to reach {@code peer}, or {@link PeerData#EMPTY}. */
  public PeerData dataOf(NodeId peer) {
    PeerData data = active.dataOf(peer);
    if (data == null) {
      data = passive.dataOf(peer);
    }
    if (data == null) {
      Pending request = pending.get(peer);
      data = request == null ? null : request.peer().data();
    }
    if (data == null) {
      LostPeer gone = lost.get(peer);
      data = gone == null ? null : gone.peer().data();
    }
    return data == null ? PeerData.EMPTY : data;
  }

  /** The active view's peers. */
  public List<NodeId> activeView() {
    return active.ids();
  }

  /** The passive view's peers. */
  public List<NodeId> passiveView() {
    return passive.ids();
  }

  /** Peers that refused us since the last shuffle; for tests of its bound. */
  int refusedCount() {
    return refused.size();
  }

  /** The bootstrap peers kept to rejoin from; for tests of its bound. */
  List<PeerInfo> bootstrapPeers() {
    return bootstrap;
  }

  /** Failed neighbors still being probed, oldest first. */
  public List<NodeId> lostPeers() {
    return List.copyOf(lost.keySet());
  }

  /** Peers with an unanswered JOIN or NEIGHBOR request. */
  public Set<NodeId> pendingRequests() {
    return Set.copyOf(pending.keySet());
  }
}
