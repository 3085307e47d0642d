package io.gossip4j.plumtree;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.proto.LogRateLimiter;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Sync;
import io.gossip4j.wire.BroadcastMessage.Want;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.SyncRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PlumTree broadcast for one topic (Leitão, Pereira, Rodrigues, "Epidemic Broadcast Trees",
 * SRDS 2007). Payloads go eagerly along a spanning tree; every other neighbor gets an IHAVE
 * announcement, batched per peer; a message announced but not received in time is asked for
 * with a GRAFT.
 *
 * <p>Two kinds of tree carry the payloads. Most origins send now and then, and their messages
 * ride the topic's {@link SharedTree}, a shortest-path spanning tree rooted at the smallest
 * member id that a small protocol of its own keeps: no duplicate or graft of theirs changes it,
 * so no origin's message can undo the tree another's needs. An origin that broadcasts {@code
 * ownTreeAfter} messages within {@code ownTreeWindow} flags the next ones for a tree of its own,
 * kept as in the paper: its first flagged message floods, a duplicate payload PRUNEs its sender
 * out of the tree, a GRAFT adds the announcer, a new neighbor joins it, and when a lazy path is
 * shorter by at least the optimization threshold the tree is rewired towards it, so a heavy
 * sender's messages take the shortest paths from it. The most recently used {@code maxTrees}
 * own trees are remembered; a forgotten one floods once again.
 *
 * <p>Two nodes that become neighbors catch up: the smaller id opens a {@link Reconciliation}
 * of the messages each delivered within {@code catchUpWindow}, and each side pulls what it
 * lacks with a WANT. The answers are marked late, are delivered and judged like any message, and
 * ride the shared tree on, so the rest of a healed partition's side gets them from there.
 *
 * <p>Each new message is judged once by the node's {@link BroadcastGuard} (its origin's
 * signature, its age, the application's validator) before it is delivered or forwarded; a
 * neighbor that sends {@link PlumTreeConfig#invalidMessageLimit()} messages with bad signatures
 * or that the validator rejects is reported as {@link BroadcastOutput.Expel}.
 *
 * <p>Sans-IO: each input method queues its effects as {@link BroadcastOutput}s, which the layer
 * above takes with {@link #drainOutputs} before the next input; time comes in as {@code
 * nowNanos}.
 */
public final class PlumTree {
  private static final Logger log = LoggerFactory.getLogger(PlumTree.class);

  /** Frame bytes besides the entries of an IHAVE: type, topic, a count of up to 5 bytes. */
  private static final int IHAVE_OVERHEAD = 1 + Id32.LENGTH + 5;
  /**
   * How long the largest recent lateness takes to halve when no payload is late. Long: the
   * shared tree's lateness comes from its shape, which a swarm that sends every few seconds
   * would otherwise forget between two messages and pay for in grafts each time.
   */
  private static final long LATENESS_HALF_LIFE_NANOS = 10_000_000_000L;

  /** Each GRAFT after the first waits twice as long as the one before, up to this factor. */
  private static final int MAX_GRAFT_BACKOFF_SHIFT = 4;

  /** How far back, and how many, delivered messages a new neighbor hears of. */
  private static final long RECENT_WINDOW_NANOS = 1_000_000_000L;
  private static final int RECENT_MAX = 256;

  /** Largest encoding of one announcement: an id and a round of up to 5 varint bytes. */
  private static final int ANNOUNCEMENT_MAX = Id32.LENGTH + 5;

  /** Grafted messages whose late tree copy is watched for, to learn how late it comes. */
  private static final int GRAFTED_MAX = 256;

  /**
   * SYNC frames one neighbor may send us per catch-up window: an honest exchange of even 100,000
   * differences takes a few dozen; past it the neighbor's SYNCs are dropped unanswered until
   * the window has passed.
   */
  static final int SYNC_FRAMES_PER_LINK = 256;

  /**
   * What one neighbor's catch-up requests cost us since {@code since}: SYNC frames answered and
   * payloads sent to its WANTs. Starts over each catch-up window and on each new link.
   */
  private static final class CatchUpBudget {
    long since;
    int syncFrames;
    int served;

    CatchUpBudget(long since) {
      this.since = since;
    }
  }
  /**
   * How often a node with messages missing looks whether one has been missing since the last
   * look, and if so reconciles with a neighbor: longer than a GRAFT takes to bring a message
   * (maxGraftTimeout1, 1 s, and its answer), so only what the tree and the grafts lost counts.
   */
  private static final long HOLE_TICK_NANOS = 1_500_000_000L;
  /**
   * A link this young gets late copies announced, not pushed: its reconciliation (a dispatch and
   * a few round trips) is under way or just over.
   */
  private static final long YOUNG_LINK_NANOS = 2_000_000_000L;
  /** How long a snapshot of the catch-up set answers SYNCs while the payload cache is unchanged. */
  private static final long SNAPSHOT_MAX_AGE_NANOS = 1_000_000_000L;

  /** A copy of a message being judged, and who sent it. */
  private record Copy(Push push, NodeId from) {}

  /** A new message handed out to be judged: its first copy, and the copies since. */
  private static final class Judging {
    final Push first;
    final NodeId from;
    final long arrivedAt;
    final ArrayDeque<Copy> copies = new ArrayDeque<>(2);

    Judging(Push first, NodeId from, long arrivedAt) {
      this.first = first;
      this.from = from;
      this.arrivedAt = arrivedAt;
    }
  }

  /** A message announced by IHAVE that has not arrived yet. */
  private static final class Missing {
    final long seq;
    /** The neighbor whose announcement opened it: its share of the table counts it. */
    NodeId openedBy;
    final ArrayDeque<Announcer> announcers = new ArrayDeque<>();
    /** GRAFTs sent for it so far. */
    int grafts;
    /** When its first IHAVE came. */
    long announcedAt;

    Missing(long seq) {
      this.seq = seq;
    }

    boolean announcedBy(NodeId peer) {
      for (Announcer a : announcers) {
        if (a.peer().equals(peer)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Announcer(NodeId peer, int round) {}

  /** A message we asked for with a GRAFT: when it was first announced, and whom we asked. */
  private record Grafted(long announcedAt, NodeId asked) {}

  /** A message delivered (or originated) lately, announced to neighbors that come up. */
  private record Recent(Announcement announcement, long deliveredAt) {}

  private final NodeId me;
  private final TopicId topic;
  private final PlumTreeConfig config;
  private final MessageIds messageIds;
  private final BroadcastGuard guard;
  /** Effects of the inputs handled since the last {@link #drainOutputs}, in order. */
  private final ArrayDeque<BroadcastOutput> outbox = new ArrayDeque<>();
  private final int announcementsPerFrame;
  private final int maxFrameSize;

  private final Neighbors neighbors = new Neighbors();
  /**
   * Per origin with a tree of its own, the links pruned from it; access-ordered, bounded by
   * maxTrees.
   */
  private final LinkedHashMap<NodeId, PeerSet> ownTrees;
  /** Origins whose broadcasts we take: the topic's admission rule, everyone by default. */
  private Predicate<NodeId> admission = origin -> true;
  /**
   * The origin whose own tree was looked up last, and that tree: successive messages mostly
   * share their origin, and the map's lookup (which, access-ordered, also relinks the entry)
   * was a cache miss or three per message. The entry is the map's most recent, so skipping the
   * relinking keeps its order.
   */
  private NodeId lastOrigin;
  private PeerSet lastTree;
  /** The tree of the origins without one of their own. */
  private final SharedTree shared;
  private boolean beaconScheduled;
  /** When our last {@code ownTreeAfter} broadcasts were made, oldest first. */
  private final ArrayDeque<Long> recentBroadcasts = new ArrayDeque<>();
  /** Ids delivered, with their origin: a GRAFT names a message, the tree is its origin's. */
  private final SeenIds seen;
  private final ArrayDeque<Recent> recent = new ArrayDeque<>();
  /** Largest recent delay from first IHAVE to the tree's copy of a payload, as of latenessAt. */
  private long latenessNanos;
  private long latenessAt;
  /** Delivered payloads, kept to answer GRAFTs; stored as they are forwarded (round + 1). */
  private final ExpiringCache<MessageId, Push> payloads;
  private final Map<MessageId, Missing> missing = new LinkedHashMap<>();
  /** Messages we asked for with a GRAFT, until a copy from elsewhere shows how late it was. */
  private final Map<MessageId, Grafted> grafted = new LinkedHashMap<>();
  /**
   * New messages whose judgement runs elsewhere ({@link BroadcastGuard#judgesElsewhere}), with
   * the copies that came meanwhile. At most {@code missingCapacity}.
   */
  private final Map<MessageId, Judging> judging = new LinkedHashMap<>();
  private final Map<NodeId, List<Announcement>> lazyQueue = new LinkedHashMap<>();
  /** New neighbors we open a reconciliation with at the next dispatch. */
  private final Set<NodeId> syncsToOpen = new java.util.LinkedHashSet<>();
  /** Ids a SYNC showed we lack, and the neighbor that holds each: WANTed at the next dispatch. */
  private final Map<MessageId, NodeId> wanted = new LinkedHashMap<>();
  /** Per neighbor, what its catch-up requests cost us within the current window. */
  private final Map<NodeId, CatchUpBudget> catchUpBudget = new LinkedHashMap<>();
  /** Which neighbor the next hole tick reconciles with, round robin. */
  private int nextSyncPeer;
  /** Our catch-up set as of {@link #snapshotVersion} and {@link #snapshotAt}. */
  private Reconciliation snapshot;
  private long snapshotVersion = -1;
  private long snapshotAt;
  /** Invalid or rejected messages per neighbor; only neighbors have an entry. */
  private final Map<NodeId, Integer> strikes = new LinkedHashMap<>();
  /** Missing entries each announcer opened and that are still open ({@code missingPerNeighbor}). */
  private final Map<NodeId, Integer> missingOpened = new HashMap<>();
  /** Per neighbor: GRAFT answers it may still have, and when they were last topped up. */
  private final Map<NodeId, long[]> graftAnswers = new HashMap<>();
  private final Counters counters = new Counters();
  /** A peer can send bad ids as fast as it likes: the log must not follow it. */
  private final LogRateLimiter warnings = LogRateLimiter.withDefaults();
  private boolean dispatchScheduled;
  private boolean evictionScheduled;
  /**
   * Our next swarm nonce: one after another, so receivers see a skipped one as a missed
   * message. Neighbors-only broadcasts count apart, as they reach only some nodes.
   */
  private long nextNonce;
  private long nextNeighborNonce;
  private long nextSeq;
  /** Which origins' broadcasts never reached us. */
  private final OriginGaps gaps = new OriginGaps();
  private boolean gapCheckScheduled;
  private boolean holeTickScheduled;

  /** A PlumTree that seals nothing and accepts every broadcast ({@link BroadcastGuard#ACCEPT_ALL}). */
  public PlumTree(
      NodeId me,
      TopicId topic,
      PlumTreeConfig config,
      int maxFrameSize,
      MessageIds messageIds,
      RandomGenerator rng) {
    this(me, topic, config, maxFrameSize, messageIds, BroadcastGuard.ACCEPT_ALL, rng);
  }

  public PlumTree(
      NodeId me,
      TopicId topic,
      PlumTreeConfig config,
      int maxFrameSize,
      MessageIds messageIds,
      BroadcastGuard guard,
      RandomGenerator rng) {
    this.me = me;
    this.topic = topic;
    this.config = config;
    this.messageIds = messageIds;
    this.guard = guard;
    this.announcementsPerFrame = Math.max(1, (maxFrameSize - IHAVE_OVERHEAD) / ANNOUNCEMENT_MAX);
    this.maxFrameSize = maxFrameSize;
    this.seen = new SeenIds(config.seenCacheRetention().toNanos(), config.seenCacheCapacity());
    this.payloads =
        new ExpiringCache<>(
            config.payloadCacheRetention().toNanos(),
            config.payloadCacheCapacity(),
            config.payloadCacheMaxBytes());
    int maxTrees = config.maxTrees();
    this.ownTrees =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<NodeId, PeerSet> eldest) {
            return size() > maxTrees;
          }
        };
    this.shared =
        new SharedTree(
            me,
            config.treeBeaconInterval().toNanos(),
            config.treeRootTimeout().toNanos(),
            this::send,
            delayNanos -> schedule(delayNanos, new BroadcastTimer.TreeSeqRequest()));
    // A random start, so a restarted node does not reuse the nonces (and ids) of its past life.
    this.nextNonce = rng.nextLong();
    this.nextNeighborNonce = rng.nextLong();
  }

  /**
   * Hands the outputs of the inputs handled so far to {@code sink}, oldest first, and forgets
   * them. Outputs queued while draining (by an input the sink gives back) are drained too.
   */
  public void drainOutputs(Consumer<? super BroadcastOutput> sink) {
    BroadcastOutput output;
    while ((output = outbox.poll()) != null) {
      sink.accept(output);
    }
  }

  private void send(NodeId to, BroadcastMessage message) {
    outbox.add(new BroadcastOutput.Send(to, message));
  }

  private void schedule(long delayNanos, BroadcastTimer timer) {
    outbox.add(new BroadcastOutput.Schedule(delayNanos, timer));
  }

  private void deliver(Push push, NodeId deliveredFrom, boolean verified) {
    outbox.add(new BroadcastOutput.Deliver(push, deliveredFrom, verified));
  }

  private void expel(NodeId peer) {
    outbox.add(new BroadcastOutput.Expel(peer));
  }

  private void judge(Push push) {
    outbox.add(new BroadcastOutput.Judge(push));
    scheduleEviction();
  }

  // ---- commands -------------------------------------------------------------------------

  /** Broadcasts a payload; returns its id. The origin does not deliver its own message. */
  public MessageId broadcast(byte[] payload, Scope scope, long nowNanos) {
    long nonce = scope == Scope.NEIGHBORS ? nextNeighborNonce++ : nextNonce++;
    MessageId id = messageIds.of(topic, me, nonce, payload);
    boolean ownTree = scope == Scope.SWARM && sendsOnOwnTree(nowNanos);
    Push gossip = new Push(id, me, nonce, 0, scope, ownTree,
        guard.seal(topic, me, nonce, scope, payload), payload);
    markSeen(id, me, nowNanos);
    if (scope == Scope.NEIGHBORS) {
      for (int i = 0; i < neighbors.size(); i++) {
        send(neighbors.get(i), gossip);
      }
      return id;
    }
    cachePayload(gossip, nowNanos);
    push(gossip, me, remember(gossip, nowNanos), null, nowNanos);
    return id;
  }

  /**
   * Whether this broadcast, made now, takes our own tree: once {@code ownTreeAfter} of ours
   * fall within {@code ownTreeWindow}, our traffic pays for the one flood that builds a tree.
   */
  private boolean sendsOnOwnTree(long nowNanos) {
    if (recentBroadcasts.size() == config.ownTreeAfter()) {
      recentBroadcasts.poll();
    }
    recentBroadcasts.add(nowNanos);
    return recentBroadcasts.size() == config.ownTreeAfter()
        && nowNanos - recentBroadcasts.peek() <= config.ownTreeWindow().toNanos();
  }

  // ---- membership events ----------------------------------------------------------------

  /**
   * A new neighbor: it learns our place in the shared tree, and is eager in every origin's own
   * tree (those grow, then prune themselves).
   */
  public void neighborUp(NodeId peer, long nowNanos) {
    neighbors.add(peer, nowNanos);
    for (PeerSet tree : ownTrees.values()) {
      tree.remove(peer);
    }
    // Flooding needs no tree, and its baseline counts no TREE frames.
    if (!config.eagerOnly()) {
      shared.neighborUp(peer, nowNanos);
      if (!beaconScheduled) {
        beaconScheduled = true;
        schedule(shared.beaconNanos(), new BroadcastTimer.TreeBeacon());
      }
    }
    // One side opens the reconciliation: the smaller id, as both see the link come up. At the
    // next dispatch, not now: the membership's own reply that makes us a neighbor on the other
    // side must reach it first, or it ignores a SYNC from a stranger.
    if (catchUpOn() && me.compareTo(peer) < 0) {
      syncsToOpen.add(peer);
      scheduleDispatch();
    }
    // A message that was on its way while this link came up went to our old neighbors only,
    // and may have passed the new one by. Catch-up's reconciliation finds it; without
    // catch-up, announce what we delivered lately, so the new neighbor can graft it.
    forgetOldRecent(nowNanos);
    if (!catchUpOn() && !recent.isEmpty()) {
      List<Announcement> queue = lazyQueue.computeIfAbsent(peer, p -> new ArrayList<>());
      for (Recent r : recent) {
        if (queue.size() < config.lazyQueueCapacity()) {
          queue.add(r.announcement());
        }
      }
      scheduleDispatch();
    }
  }

  /**
   * The announcement of a message we deliver, also kept (without catch-up) to announce to
   * neighbors that come up within the next second.
   */
  private Announcement remember(Push gossip, long nowNanos) {
    Announcement announcement = new Announcement(gossip.id(), gossip.round());
    if (catchUpOn()) {
      return announcement; // a new neighbor reconciles instead of hearing the last second
    }
    forgetOldRecent(nowNanos);
    if (recent.size() == RECENT_MAX) {
      recent.poll();
    }
    recent.add(new Recent(announcement, nowNanos));
    return announcement;
  }

  private void forgetOldRecent(long nowNanos) {
    while (!recent.isEmpty() && nowNanos - recent.peek().deliveredAt() > RECENT_WINDOW_NANOS) {
      recent.poll();
    }
  }

  /** A neighbor left: forget it everywhere. */
  public void neighborDown(NodeId peer, NeighborDownReason reason, long nowNanos) {
    neighbors.remove(peer);
    for (PeerSet tree : ownTrees.values()) {
      tree.remove(peer);
    }
    lazyQueue.remove(peer);
    strikes.remove(peer);
    graftAnswers.remove(peer);
    catchUpBudget.remove(peer);
    syncsToOpen.remove(peer);
    shared.neighborDown(
        peer, reason == NeighborDownReason.FAILED || reason == NeighborDownReason.QUIT, nowNanos);
  }

  // ---- inputs ---------------------------------------------------------------------------

  /**
   * Sets who may be in this topic: broadcasts from an origin the rule refuses are neither
   * delivered nor forwarded from now on (on a signed topic the origin is proved; on an unsigned
   * one it is only claimed).
   */
  public void setAdmission(Predicate<NodeId> rule) {
    admission = Objects.requireNonNull(rule, "rule");
  }

  /** A broadcast message from {@code from}. */
  public void handle(NodeId from, BroadcastMessage message, long nowNanos) {
    // Java 17 has no pattern switch: the sealed interface keeps this chain complete.
    if (message instanceof Push m) {
      onGossip(from, m, nowNanos);
    } else if (message instanceof IHave m) {
      onIHave(from, m, nowNanos);
    } else if (message instanceof Graft m) {
      onGraft(from, m, nowNanos);
    } else if (message instanceof Prune m) {
      onPrune(from, m);
    } else if (message instanceof BroadcastMessage.Tree m) {
      shared.onTree(from, m, nowNanos);
    } else if (message instanceof Sync m) {
      onSync(from, m, nowNanos);
    } else if (message instanceof Want m) {
      onWant(from, m, nowNanos);
    } else {
      throw new IllegalStateException("unhandled broadcast message " + message);
    }
  }

  /** A timer scheduled by this instance fired. */
  public void onTimer(BroadcastTimer timer, long nowNanos) {
    if (timer instanceof BroadcastTimer.DispatchLazyPush) {
      dispatchLazyPush();
      dispatchWants(nowNanos);
      for (NodeId peer : syncsToOpen) {
        openSync(peer, nowNanos);
      }
      syncsToOpen.clear();
    } else if (timer instanceof BroadcastTimer.GraftTimeout t) {
      onGraftTimeout(t);
    } else if (timer instanceof BroadcastTimer.EvictCaches) {
      evictCaches(nowNanos);
    } else if (timer instanceof BroadcastTimer.CheckGaps) {
      gapCheckScheduled = false;
      for (OriginGaps.Gap gap : gaps.check()) {
        reportGap(gap);
      }
      scheduleGapCheck();
    } else if (timer instanceof BroadcastTimer.HoleTick) {
      holeTickScheduled = false;
      if (gaps.staleHoles() && catchUpOn() && neighbors.size() > 0) {
        // A message missing for a tick while our links stayed up (a copy lost in flight as the
        // network split, and no new neighbor to reconcile with): ask a neighbor, one a tick.
        nextSyncPeer = (nextSyncPeer + 1) % neighbors.size();
        openSync(neighbors.get(nextSyncPeer), nowNanos);
      }
      scheduleGapCheck();
    } else if (timer instanceof BroadcastTimer.TreeSeqRequest) {
      shared.onSeqRequestDue(nowNanos);
    } else if (timer instanceof BroadcastTimer.TreeBeacon) {
      beaconScheduled = false;
      if (neighbors.size() > 0) {
        shared.onBeacon(nowNanos);
        beaconScheduled = true;
        schedule(shared.beaconNanos(), timer);
      }
    } else {
      throw new IllegalStateException("unhandled broadcast timer " + timer);
    }
  }

  private void onGossip(NodeId from, Push gossip, long nowNanos) {
    if (gossip.origin().equals(me) || seen.contains(gossip.id(), nowNanos)) {
      counters.duplicates++;
      noteGraftedCopy(gossip, from, nowNanos, false);
      // A second copy means two paths of this origin's tree reach us: cut this one. Even if
      // we pruned the sender already: it sends, so its side did not hear of it (a GRAFT it
      // answered after the payload came another way leaves it so), and would go on for good.
      // The shared tree is not cut by duplicates: its links follow no message.
      if (gossip.ownTree() && gossip.scope() == Scope.SWARM && !config.eagerOnly()
          && neighbors.contains(from)) {
        ownTreeOf(gossip.origin()).add(from);
        send(from, new Prune(gossip.origin()));
      }
      return;
    }
    if (gossip.late() && gossip.scope() == Scope.SWARM && catchUpOn()
        && gaps.accountedFor(gossip.origin(), gossip.nonce(), nowNanos,
            config.catchUpWindow().toNanos())) {
      // A copy fetched late that we had (or gave up on) before our seen cache forgot it.
      counters.staleLate++;
      return;
    }
    Judging pending = judging.get(gossip.id());
    if (pending != null) {
      // Kept until the judgement: if the first copy's signature is bad, this one may be good.
      if (pending.copies.size() < config.announcersPerMessage()) {
        pending.copies.add(new Copy(gossip, from));
      }
      return;
    }
    // Recomputed only for new messages, so duplicates cost no hashing.
    if (!messageIds
        .of(topic, gossip.origin(), gossip.nonce(), gossip.payload())
        .equals(gossip.id())) {
      counters.invalidIds++;
      if (warnings.tryAcquire(nowNanos)) {
        log.warn("GOSSIP from {} on topic {} dropped: its id does not match its content "
            + "({} similar suppressed)", from.shortHex(), topic, warnings.drainSuppressed());
      }
      return;
    }
    if (!admission.test(gossip.origin())) {
      // The topic's admission rule refuses the origin: not delivered, not passed on. The
      // forwarder is not blamed, as its rule may differ from ours.
      counters.originsRefused++;
      removeMissing(gossip.id());
      markSeen(gossip.id(), gossip.origin(), nowNanos);
      return;
    }
    if (guard.judgesElsewhere(topic)) {
      if (judging.size() >= config.missingCapacity()) {
        // Not seen: a later copy, or an IHAVE and GRAFT, brings it again.
        counters.missingDropped++;
        return;
      }
      judging.put(gossip.id(), new Judging(gossip, from, nowNanos));
      judge(gossip);
      return;
    }
    // Judged once per id: its copies are dropped above, unless a bad signature left it unseen.
    accept(gossip, from, guard.judge(topic, gossip), nowNanos, nowNanos);
  }

  /**
   * The decision on a message handed out as {@link BroadcastOutput.Judge}. A bad signature
   * passes the judgement on to the next copy that came meanwhile (a forged first copy must not
   * hide the genuine one); any other decision is taken, and the copies are then duplicates.
   */
  public void onJudged(MessageId id, GuardDecision decision, long nowNanos) {
    Judging pending = judging.remove(id);
    if (pending == null) {
      return; // evicted, or the topic was left and joined again
    }
    if (decision == GuardDecision.INVALID_SIGNATURE) {
      refuse(pending.from, id, decision, nowNanos);
      Copy next = pending.copies.poll();
      if (next != null) {
        Judging retry = new Judging(next.push(), next.from(), pending.arrivedAt);
        retry.copies.addAll(pending.copies);
        judging.put(id, retry);
        judge(next.push());
      }
      return;
    }
    accept(pending.first, pending.from, decision, pending.arrivedAt, nowNanos);
    for (Copy copy : pending.copies) {
      onGossip(copy.from(), copy.push(), nowNanos);
    }
  }

  /**
   * Acts on the guard's decision about a new message that arrived at {@code arrivedAt}: marks
   * it seen, delivers and forwards it, or refuses it.
   */
  private void accept(
      Push gossip, NodeId from, GuardDecision judgement, long arrivedAt, long nowNanos) {
    if (judgement.marksSeen()) {
      markSeen(gossip.id(), gossip.origin(), nowNanos);
      if (gossip.scope() == Scope.SWARM) {
        noteArrival(gossip.origin(), gossip.nonce(), nowNanos);
      }
    }
    if (!judgement.delivers()) {
      refuse(from, gossip.id(), judgement, nowNanos);
      return;
    }
    deliver(gossip, from, judgement.verified());
    counters.delivered++;
    if (gossip.late()) {
      counters.deliveredLate++;
    }
    if (gossip.scope() == Scope.NEIGHBORS) {
      return;
    }
    Missing announced = removeMissing(gossip.id());
    if (announced != null && announced.grafts == 0) {
      noteLateness(arrivedAt - announced.announcedAt, nowNanos);
    }
    noteGraftedCopy(gossip, from, arrivedAt, true);
    Push forward = gossip.withRound(nextRound(gossip.round()));
    cachePayload(forward, nowNanos);
    Announcement announcement = remember(forward, nowNanos);
    PeerSet own =
        gossip.ownTree() && !config.eagerOnly() ? ownTreeOf(gossip.origin()) : null;
    if (own != null && neighbors.contains(from)) {
      if (own.contains(from)) {
        // It sent this before our PRUNE reached it, and the copy from our other parent, still
        // to come, will be pruned as a duplicate: the PRUNE must not leave us with no parent
        // at all. A GRAFT behind it on the same connection keeps this one sending.
        send(from, new Graft(gossip.id(), gossip.round(), false));
      }
      own.remove(from); // the paper: whoever delivers first is in the tree
      if (announced != null) {
        optimize(gossip, from, announced);
      }
    }
    push(forward, from, announcement, announced, nowNanos);
  }

  /** Drops a message the guard did not accept, counting it and perhaps its sender. */
  private void refuse(NodeId from, MessageId id, GuardDecision judgement, long nowNanos) {
    switch (judgement) {
      case REJECT -> counters.rejected++;
      case IGNORE -> counters.ignored++;
      case INVALID_SIGNATURE -> counters.invalidSignatures++;
      case REPLAY -> counters.replays++;
      default -> throw new IllegalStateException("not a refusal: " + judgement);
    }
    if (judgement.marksSeen()) {
      removeMissing(id); // no GRAFT for a message already judged
    }
    if (judgement.strikesSender() && neighbors.contains(from)) {
      int count = strikes.merge(from, 1, Integer::sum);
      if (count >= config.invalidMessageLimit()) {
        counters.neighborsExpelled++;
        neighborDown(from, NeighborDownReason.EXPELLED, nowNanos);
        expel(from);
      }
    }
  }

  /**
   * The paper's tree optimization: if a lazy neighbor announced this message at a round at
   * least {@code threshold} lower than the eager path that delivered it, swap the two for this
   * message's origin. Not for a message fetched by a GRAFT: the grafted link is the earliest
   * path, and swapping it for a fewer-hop but later one would only be grafted back next time.
   */
  private void optimize(Push gossip, NodeId deliveredFrom, Missing announced) {
    if (announced.grafts > 0 || config.eagerOnly()) {
      return;
    }
    Announcer best = null;
    for (Announcer a : announced.announcers) {
      if (neighbors.contains(a.peer()) && (best == null || a.round() < best.round())) {
        best = a;
      }
    }
    int round = gossip.round();
    if (best != null
        && !best.peer().equals(deliveredFrom)
        && best.round() < round
        && round - best.round() >= config.optimizationThreshold()) {
      counters.optimizations++;
      NodeId origin = gossip.origin();
      send(best.peer(), new Graft(gossip.id(), best.round(), false));
      unprune(origin, best.peer());
      send(deliveredFrom, new Prune(origin));
      prune(origin, deliveredFrom);
    }
  }

  private void onIHave(NodeId from, IHave message, long nowNanos) {
    // Grafting a stranger would open a connection the membership layer never chose.
    if (!neighbors.contains(from)) {
      return;
    }
    for (Announcement a : message.announcements()) {
      if (seen.contains(a.id(), nowNanos)) {
        continue;
      }
      Missing entry = missing.get(a.id());
      if (entry == null) {
        if (missing.size() >= config.missingCapacity()
            || missingOpened.getOrDefault(from, 0) >= config.effectiveMissingPerNeighbor()) {
          counters.missingDropped++;
          continue;
        }
        entry = new Missing(nextSeq++);
        entry.announcedAt = nowNanos;
        entry.openedBy = from;
        missingOpened.merge(from, 1, Integer::sum);
        missing.put(a.id(), entry);
        schedule(graftTimeout1(nowNanos), new BroadcastTimer.GraftTimeout(a.id(), entry.seq));
      }
      if (entry.announcers.size() < config.announcersPerMessage() && !entry.announcedBy(from)) {
        entry.announcers.add(new Announcer(from, a.round()));
      }
    }
  }

  /**
   * The wait before the first GRAFT: graftTimeout1, or a quarter more than the payloads'
   * recent lateness when that is longer, up to maxGraftTimeout1 (see {@link
   * PlumTreeConfig#maxGraftTimeout1}).
   */
  private long graftTimeout1(long nowNanos) {
    long base = config.graftTimeout1().toNanos();
    long ceiling = config.maxGraftTimeout1().toNanos();
    long late = lateness(nowNanos);
    return ceiling <= base ? base : Math.min(ceiling, Math.max(base, late + late / 4));
  }

  /**
   * The largest recent lateness: the latest of the payloads that came after an IHAVE, halved
   * for every ten seconds since. A mean would let every tree copy later than average graft, and
   * each graft costs a payload; the tree's copies are late by how far the tree's path is from
   * the lazy one's, which a receiver sees again and again.
   */
  private long lateness(long nowNanos) {
    long halvings = (nowNanos - latenessAt) / LATENESS_HALF_LIFE_NANOS;
    return halvings >= Long.SIZE - 1 ? 0 : latenessNanos >> halvings;
  }

  /**
   * Keeps when a message we graft was first announced, and whom we asked, so the copy the tree
   * still brings tells how late it was. Bounded: the oldest is forgotten first.
   */
  private void rememberGrafted(MessageId id, long announcedAt, NodeId asked) {
    if (grafted.size() >= GRAFTED_MAX) {
      grafted.remove(grafted.keySet().iterator().next());
    }
    grafted.putIfAbsent(id, new Grafted(announcedAt, asked));
  }

  /**
   * A copy ({@code first}: the first) of a message we grafted came from {@code from}. On the
   * shared tree, whose links a GRAFT does not change: from anyone but the peer we asked, it is
   * the tree's copy, and how late it came is what the next graft timeout must cover (without
   * it, only the payloads that beat the timeout would count, and a deep tree would be grafted
   * from for good). The GRAFT's answer coming first counts as a lower bound: the tree's copy may
   * never come (our answer, passed on, can reach our parent before the tree does), and the bound
   * lets the next timeout grow until the tree's copy wins.
   */
  private void noteGraftedCopy(Push gossip, NodeId from, long arrivedAt, boolean first) {
    Grafted g = grafted.get(gossip.id());
    if (g == null) {
      return;
    }
    if (gossip.ownTree()) {
      // An own tree mends itself: the GRAFT made the peer we asked our parent, and a later copy
      // prunes its sender. Its lateness is that of a path we no longer use, and counted, it held
      // the timeout at its ceiling while the trees of a mass failure's survivors settled.
      grafted.remove(gossip.id());
      return;
    }
    if (!g.asked().equals(from)) {
      grafted.remove(gossip.id());
      noteLateness(arrivedAt - g.announcedAt(), arrivedAt);
    } else if (first) {
      noteLateness(arrivedAt - g.announcedAt(), arrivedAt);
    }
  }

  /** A payload came {@code lateNanos} after its first IHAVE. */
  private void noteLateness(long lateNanos, long nowNanos) {
    long current = lateness(nowNanos);
    latenessNanos = Math.max(current, lateNanos);
    latenessAt = nowNanos;
  }

  private void onGraftTimeout(BroadcastTimer.GraftTimeout timer) {
    Missing entry = missing.get(timer.id());
    if (entry == null || entry.seq != timer.seq()) {
      return; // delivered meanwhile, or a timer of an earlier entry
    }
    if (judging.containsKey(timer.id())) {
      // A copy is being judged: ask for another only if that one turns out forged.
      schedule(config.graftTimeout2().toNanos(), timer);
      return;
    }
    Announcer next = entry.announcers.poll();
    while (next != null && !neighbors.contains(next.peer())) {
      next = entry.announcers.poll();
    }
    if (next == null) {
      removeMissing(timer.id());
      counters.graftsExhausted++;
      return;
    }
    counters.graftsSent++;
    // The origin is unknown until the payload comes; its arrival puts the announcer in the
    // origin's tree on our side, the GRAFT does so on the announcer's.
    send(next.peer(), new Graft(timer.id(), next.round(), true));
    rememberGrafted(timer.id(), entry.announcedAt, next.peer());
    // Backing off: a payload late because every link is congested would otherwise be asked of
    // one announcer after another, each answer adding to the congestion that delayed it.
    int shift = Math.min(entry.grafts++, MAX_GRAFT_BACKOFF_SHIFT);
    schedule(config.graftTimeout2().toNanos() << shift, timer);
  }

  private void onGraft(NodeId from, Graft graft, long nowNanos) {
    if (!neighbors.contains(from)) {
      return;
    }
    NodeId origin = seen.get(graft.id(), nowNanos);
    Push cached = payloads.get(graft.id(), nowNanos);
    if (origin != null && (cached == null || cached.ownTree())) {
      unprune(origin, from); // a message on the shared tree leaves every tree as it is
    }
    if (graft.resend()) {
      if (cached == null) {
        counters.graftMisses++;
      } else if (!takeGraftAnswer(from, nowNanos)) {
        counters.graftsOverBudget++; // it grafts another announcer, or asks again later
      } else {
        send(from, cached);
      }
    }
  }

  /**
   * Takes one of {@code peer}'s GRAFT answers: a bucket of {@code graftAnswersPerSecond}
   * tokens, topped up at that rate.
   */
  private boolean takeGraftAnswer(NodeId peer, long nowNanos) {
    long rate = config.graftAnswersPerSecond();
    long[] bucket = graftAnswers.computeIfAbsent(peer, p -> new long[] {rate, nowNanos});
    long elapsed = nowNanos - bucket[1];
    // A second or more refills it whole (and keeps the product below from overflowing).
    long earned = elapsed >= 1_000_000_000L ? rate : elapsed * rate / 1_000_000_000L;
    if (earned > 0) {
      bucket[0] = Math.min(rate, bucket[0] + earned);
      // The clock moves on by what the earned tokens cost, not to now: the remainder counts
      // towards the next token (else a peer asking just above the rate got half of it).
      bucket[1] = bucket[0] == rate ? nowNanos : bucket[1] + earned * 1_000_000_000L / rate;
    }
    if (bucket[0] == 0) {
      return false;
    }
    bucket[0]--;
    return true;
  }

  /** Forgets a missing message, and that its announcer opened it. */
  private Missing removeMissing(MessageId id) {
    Missing entry = missing.remove(id);
    if (entry != null && entry.openedBy != null) {
      missingOpened.computeIfPresent(entry.openedBy, (peer, n) -> n == 1 ? null : n - 1);
    }
    return entry;
  }

  /**
   * Only origins with their own tree are pruned, so the sender has one for this origin: so do
   * we from now on, or its link would stay eager here and lazy there.
   */
  private void onPrune(NodeId from, Prune prune) {
    if (neighbors.contains(from) && !config.eagerOnly()) {
      ownTreeOf(prune.origin()).add(from);
    }
  }

  // ---- catch-up -------------------------------------------------------------------------

  private boolean catchUpOn() {
    return !config.catchUpWindow().isZero();
  }

  /** The ids of the payloads we hold from the catch-up window, rebuilt when they changed. */
  private Reconciliation snapshot(long nowNanos) {
    if (snapshot == null || snapshotVersion != payloads.version()
        || nowNanos - snapshotAt > SNAPSHOT_MAX_AGE_NANOS) {
      // Late copies too: a node whose neighbors all fetched a message late gets it from them.
      // Passed from fetcher to fetcher, such a copy may outlive the seen caches of the nodes
      // that had it first; they drop it by its origin's numbering (onGossip).
      snapshot = new Reconciliation(payloads.keysInsertedSince(
          nowNanos - config.catchUpWindow().toNanos(), nowNanos));
      snapshotVersion = payloads.version();
      snapshotAt = nowNanos;
    }
    return snapshot;
  }

  /** Starts a reconciliation with {@code peer}: our set, as one fingerprint or its ids. */
  private void openSync(NodeId peer, long nowNanos) {
    sendSync(peer, snapshot(nowNanos).opening());
  }

  /** Sends {@code ranges} to {@code peer} in as many SYNC frames as they need. */
  private void sendSync(NodeId peer, List<SyncRange> ranges) {
    for (List<SyncRange> frame : Reconciliation.frames(ranges, maxFrameSize)) {
      send(peer, new Sync(frame));
    }
  }

  /** The neighbor's catch-up budget, started over if a window has passed. */
  private CatchUpBudget budget(NodeId peer, long nowNanos) {
    CatchUpBudget budget = catchUpBudget.computeIfAbsent(peer, p -> new CatchUpBudget(nowNanos));
    if (nowNanos - budget.since >= config.catchUpWindow().toNanos()) {
      budget.since = nowNanos;
      budget.syncFrames = 0;
      budget.served = 0;
    }
    return budget;
  }

  /**
   * A step of a reconciliation: answer the ranges we disagree on, and note the ids it showed we
   * lack for the next dispatch (by then a copy already on its way has come, and is not pulled).
   */
  private void onSync(NodeId from, Sync sync, long nowNanos) {
    if (!catchUpOn() || !neighbors.contains(from)) {
      return;
    }
    if (++budget(from, nowNanos).syncFrames > SYNC_FRAMES_PER_LINK) {
      counters.syncRefused++;
      if (warnings.tryAcquire(nowNanos)) {
        log.warn("SYNC from {} on topic {} dropped: more than {} on one link ({} similar "
            + "suppressed)", from.shortHex(), topic, SYNC_FRAMES_PER_LINK,
            warnings.drainSuppressed());
      }
      return;
    }
    Reconciliation.Answer answer =
        snapshot(nowNanos).answer(sync.ranges(), id -> isKnown(id, nowNanos));
    for (MessageId id : answer.wanted()) {
      if (wanted.size() >= config.missingCapacity()) {
        counters.missingDropped++;
        break;
      }
      wanted.putIfAbsent(id, from);
    }
    if (!answer.reply().isEmpty()) {
      sendSync(from, answer.reply());
    }
    scheduleDispatch();
  }

  /** Whether we have this message or it is on its way to us: then it is not pulled. */
  private boolean isKnown(MessageId id, long nowNanos) {
    return hasOrJudges(id, nowNanos) || wanted.containsKey(id);
  }

  /** Whether this message is delivered (or refused) here, or being judged. */
  private boolean hasOrJudges(MessageId id, long nowNanos) {
    return seen.contains(id, nowNanos) || judging.containsKey(id);
  }

  /**
   * A neighbor pulls messages it lacks: each one we still hold goes to it, marked late, up to
   * the payload cache's count per link (so no neighbor makes us send more than we hold, again
   * and again).
   */
  private void onWant(NodeId from, Want want, long nowNanos) {
    if (!catchUpOn() || !neighbors.contains(from)) {
      return;
    }
    CatchUpBudget budget = budget(from, nowNanos);
    for (MessageId id : want.ids()) {
      if (budget.served >= config.payloadCacheCapacity()) {
        counters.syncRefused++;
        return;
      }
      Push cached = payloads.get(id, nowNanos);
      if (cached == null) {
        counters.graftMisses++;
        continue;
      }
      budget.served++;
      send(from, cached.asLate());
    }
  }

  /** Sends the WANTs noted since the last dispatch, one or more frames per neighbor. */
  private void dispatchWants(long nowNanos) {
    if (wanted.isEmpty()) {
      return;
    }
    Map<NodeId, List<MessageId>> byPeer = new LinkedHashMap<>();
    for (Map.Entry<MessageId, NodeId> e : wanted.entrySet()) {
      if (!hasOrJudges(e.getKey(), nowNanos) && neighbors.contains(e.getValue())) {
        byPeer.computeIfAbsent(e.getValue(), p -> new ArrayList<>()).add(e.getKey());
      }
    }
    wanted.clear();
    int perFrame = Math.max(1, (maxFrameSize - IHAVE_OVERHEAD - 1) / Id32.LENGTH);
    for (Map.Entry<NodeId, List<MessageId>> e : byPeer.entrySet()) {
      List<MessageId> ids = e.getValue();
      counters.wantsSent += ids.size();
      for (int from = 0; from < ids.size(); from += perFrame) {
        send(e.getKey(), new Want(ids.subList(from, Math.min(ids.size(), from + perFrame))));
      }
    }
  }

  // ---- gaps -----------------------------------------------------------------------------

  /** A broadcast of {@code origin} numbered {@code nonce} arrived (delivered or refused). */
  private void noteArrival(NodeId origin, long nonce, long nowNanos) {
    if (config.gapTimeout().isZero() && !catchUpOn()) {
      return; // the numbering serves gap reports, and catch-up's check of late copies
    }
    OriginGaps.Gap gap = gaps.arrived(origin, nonce, nowNanos);
    if (gap != null) {
      reportGap(gap);
    }
    scheduleGapCheck();
  }

  private void reportGap(OriginGaps.Gap gap) {
    if (config.gapTimeout().isZero()) {
      return;
    }
    counters.missedInGaps += gap.missed();
    outbox.add(new BroadcastOutput.Gap(gap.origin(), gap.missed()));
  }

  private void scheduleGapCheck() {
    if (!gaps.hasHoles()) {
      return;
    }
    if (!gapCheckScheduled && !config.gapTimeout().isZero()) {
      gapCheckScheduled = true;
      schedule(config.gapTimeout().toNanos() / OriginGaps.CHECKS,
          new BroadcastTimer.CheckGaps());
    }
    if (!holeTickScheduled && catchUpOn()) {
      holeTickScheduled = true;
      schedule(HOLE_TICK_NANOS, new BroadcastTimer.HoleTick());
    }
  }

  // ---- trees ----------------------------------------------------------------------------

  /**
   * The origin's own tree, started with every neighbor eager if it has none, as the paper
   * starts its tree: the first message floods, its duplicates prune the links it did not need,
   * and what is left is the tree of the earliest arrivals from this origin. (Started as a copy
   * of the shared tree instead, it is deep from this origin, its payloads come late, and grafts
   * and the paper's hop-count optimization pull it back and forth for hundreds of messages.)
   */
  private PeerSet ownTreeOf(NodeId origin) {
    if (!origin.equals(lastOrigin)) {
      lastTree = ownTrees.computeIfAbsent(origin, o -> new PeerSet());
      lastOrigin = origin;
    }
    return lastTree;
  }

  /** The origin's own tree's pruned links, or null if it rides the shared tree. */
  private PeerSet ownTree(NodeId origin) {
    if (origin.equals(lastOrigin)) {
      return lastTree;
    }
    PeerSet tree = ownTrees.get(origin);
    if (tree == null) {
      return null; // not remembered: the last one looked up stays the most recent
    }
    lastOrigin = origin;
    lastTree = tree;
    return tree;
  }

  private void prune(NodeId origin, NodeId peer) {
    PeerSet own = ownTree(origin);
    if (own != null) {
      own.add(peer);
    }
  }

  private void unprune(NodeId origin, NodeId peer) {
    PeerSet own = ownTree(origin);
    if (own != null) {
      own.remove(peer);
    }
  }

  /** Whether {@code peer} gets {@code origin}'s payloads from us (else its announcements). */
  private boolean isEager(PeerSet own, NodeId peer) {
    if (config.eagerOnly()) {
      return true;
    }
    return own != null ? !own.contains(peer) : shared.isTreeLink(peer);
  }

  // ---- pushing --------------------------------------------------------------------------

  /**
   * Payload to the message's tree, {@code announcement} to the other neighbors, but for those
   * that announced the message to us ({@code announced}, if any): they have it. (On an own
   * tree the payload still goes, as its duplicate is what prunes a link the two sides see
   * differently.) A late copy is only announced on a link younger than {@link
   * #YOUNG_LINK_NANOS}: that neighbor has just reconciled with us, so it most likely has the
   * message (a joiner's neighbors all hold the window it pulls), and the IHAVE brings it if not.
   */
  private void push(
      Push gossip, NodeId from, Announcement announcement, Missing announced, long nowNanos) {
    PeerSet own =
        gossip.ownTree() && !config.eagerOnly() ? ownTreeOf(gossip.origin()) : null;
    int fromHash = from.hashCode();
    int originHash = gossip.origin().hashCode();
    for (int i = 0; i < neighbors.size(); i++) {
      if (neighbors.is(i, from, fromHash) || neighbors.is(i, gossip.origin(), originHash)) {
        continue;
      }
      NodeId peer = neighbors.get(i);
      boolean hasIt = announced != null && announced.announcedBy(peer);
      boolean young = gossip.late() && nowNanos - neighbors.upAt(i) < YOUNG_LINK_NANOS;
      if (isEager(own, peer) && !young) {
        if (own != null || !hasIt) {
          send(peer, gossip);
        }
        continue;
      }
      if (hasIt) {
        continue;
      }
      List<Announcement> queue = lazyQueue.computeIfAbsent(peer, p -> new ArrayList<>());
      if (queue.size() >= config.lazyQueueCapacity()) {
        counters.announcementsDropped++;
        continue;
      }
      queue.add(announcement);
    }
    scheduleDispatch();
  }

  private void scheduleDispatch() {
    if ((!lazyQueue.isEmpty() || !wanted.isEmpty() || !syncsToOpen.isEmpty())
        && !dispatchScheduled) {
      dispatchScheduled = true;
      schedule(config.dispatchInterval().toNanos(), new BroadcastTimer.DispatchLazyPush());
    }
  }

  private void dispatchLazyPush() {
    dispatchScheduled = false;
    for (Map.Entry<NodeId, List<Announcement>> e : lazyQueue.entrySet()) {
      List<Announcement> queue = e.getValue();
      for (int from = 0; from < queue.size(); from += announcementsPerFrame) {
        int to = Math.min(queue.size(), from + announcementsPerFrame);
        send(e.getKey(), new IHave(queue.subList(from, to)));
      }
    }
    lazyQueue.clear();
  }

  // ---- caches ---------------------------------------------------------------------------

  private void markSeen(MessageId id, NodeId origin, long nowNanos) {
    seen.putIfAbsent(id, origin, nowNanos);
    scheduleEviction();
  }

  private void cachePayload(Push gossip, long nowNanos) {
    payloads.putIfAbsent(gossip.id(), gossip, gossip.payload().length, nowNanos);
  }

  private void scheduleEviction() {
    if (!evictionScheduled) {
      evictionScheduled = true;
      schedule(config.cacheEvictionInterval().toNanos(), new BroadcastTimer.EvictCaches());
    }
  }

  private void evictCaches(long nowNanos) {
    evictionScheduled = false;
    seen.evictExpired(nowNanos);
    payloads.evictExpired(nowNanos);
    // A judgement the driver never answered (it shut down) must not hold its slot for good.
    long judgingDeadline = nowNanos - config.payloadCacheRetention().toNanos();
    judging.values().removeIf(j -> j.arrivedAt < judgingDeadline);
    if (!seen.isEmpty() || !payloads.isEmpty() || !judging.isEmpty()) {
      scheduleEviction();
    }
  }

  /**
   * The round after {@code round}, saturating: a peer may send any round the wire holds, up to
   * {@link Integer#MAX_VALUE}, and counting one more hop must not wrap it negative.
   */
  public static int nextRound(int round) {
    return round == Integer.MAX_VALUE ? round : round + 1;
  }

  // ---- queries --------------------------------------------------------------------------

  /** Neighbors that get {@code origin}'s payloads from us. */
  public Set<NodeId> eagerPeers(NodeId origin) {
    PeerSet own = ownTree(origin);
    Set<NodeId> eager = neighbors.toSet();
    eager.removeIf(peer -> !isEager(own, peer));
    return eager;
  }

  /** Neighbors that get only announcements of {@code origin}'s messages from us. */
  public Set<NodeId> lazyPeers(NodeId origin) {
    PeerSet own = ownTree(origin);
    Set<NodeId> lazy = neighbors.toSet();
    lazy.removeIf(peer -> isEager(own, peer));
    return lazy;
  }

  /** Whether {@code origin} has a tree of its own here (else its messages ride the shared tree). */
  public boolean hasOwnTree(NodeId origin) {
    return ownTree(origin) != null;
  }

  /** The shared tree's root as this node sees it. */
  public NodeId sharedTreeRoot() {
    return shared.root();
  }

  /** The neighbors that get shared-tree payloads from us. */
  public Set<NodeId> sharedTreeLinks() {
    Set<NodeId> links = neighbors.toSet();
    links.removeIf(peer -> !shared.isTreeLink(peer));
    return links;
  }

  /** This node's parent in the shared tree; empty at the root or while it has no path. */
  public Optional<NodeId> sharedTreeParent() {
    return Optional.ofNullable(shared.parent());
  }

  /** Our neighbors: every one is eager for an origin until pruned for it. */
  public Set<NodeId> neighbors() {
    return Set.copyOf(neighbors.toSet());
  }

  /** Origins with a tree of their own (at most {@code maxTrees}). */
  public int trees() {
    return ownTrees.size();
  }

  /** Counters since creation. */
  public PlumTreeStats stats() {
    return new PlumTreeStats(
        counters.delivered,
        counters.duplicates,
        counters.invalidIds,
        counters.invalidSignatures,
        counters.rejected,
        counters.ignored,
        counters.replays,
        counters.neighborsExpelled,
        counters.graftsSent,
        counters.graftsExhausted,
        counters.graftMisses,
        counters.optimizations,
        counters.missingDropped,
        counters.announcementsDropped,
        counters.deliveredLate,
        counters.wantsSent,
        counters.syncRefused,
        counters.missedInGaps,
        counters.staleLate,
        counters.originsRefused,
        counters.graftsOverBudget,
        seen.size(),
        payloads.size(),
        payloads.weight(),
        missing.size());
  }

  /** Mutable event counts behind {@link #stats()}. */
  private static final class Counters {
    long originsRefused;
    long graftsOverBudget;
    long delivered;
    long duplicates;
    long invalidIds;
    long invalidSignatures;
    long rejected;
    long ignored;
    long replays;
    long neighborsExpelled;
    long graftsSent;
    long graftsExhausted;
    long graftMisses;
    long optimizations;
    long missingDropped;
    long announcementsDropped;
    long deliveredLate;
    long wantsSent;
    long syncRefused;
    long missedInGaps;
    long staleLate;
  }
}
