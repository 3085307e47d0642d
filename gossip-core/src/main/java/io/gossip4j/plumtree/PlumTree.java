package io.gossip4j.plumtree;

import io.gossip4j.Id32;
import io.gossip4j.LogRateLimiter;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Gossip;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.MessageIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PlumTree broadcast for one topic (Leitão, Pereira, Rodrigues, "Epidemic Broadcast Trees",
 * SRDS 2007). Payloads go eagerly along a spanning tree (the eager set); every other neighbor
 * (the lazy set) gets an IHAVE announcement, batched per peer. A duplicate payload PRUNEs its
 * sender out of the tree; a message announced but not received in time GRAFTs the announcer
 * into it. When a lazy path is shorter by at least the optimization threshold, the tree is
 * rewired towards it.
 *
 * <p>Sans-IO: every effect goes through {@link Io}; time comes in as {@code nowNanos}.
 */
public final class PlumTree {
  private static final Logger log = LoggerFactory.getLogger(PlumTree.class);

  /** The effects PlumTree asks for. */
  public interface Io {
    /** Send a message to a peer. */
    void send(NodeId to, BroadcastMessage message);

    /** Fire {@code timer} after {@code delayNanos}. */
    void schedule(long delayNanos, BroadcastTimer timer);

    /** Hand a newly received broadcast to the application. */
    void deliver(Gossip gossip, NodeId deliveredFrom);
  }

  /** Frame bytes besides the entries of an IHAVE: type, topic, a count of up to 5 bytes. */
  private static final int IHAVE_OVERHEAD = 1 + Id32.LENGTH + 5;
  /** Largest encoding of one announcement: an id and a round of up to 5 varint bytes. */
  private static final int ANNOUNCEMENT_MAX = Id32.LENGTH + 5;

  /** A message announced by IHAVE that has not arrived yet. */
  private static final class Missing {
    final long seq;
    final ArrayDeque<Announcer> announcers = new ArrayDeque<>();

    Missing(long seq) {
      this.seq = seq;
    }
  }

  private record Announcer(NodeId peer, int round) {}

  private final NodeId me;
  private final TopicId topic;
  private final PlumTreeConfig config;
  private final MessageIds messageIds;
  private final Io io;
  private final int announcementsPerFrame;

  private final Set<NodeId> eager = new LinkedHashSet<>();
  private final Set<NodeId> lazy = new LinkedHashSet<>();
  private final ExpiringCache<MessageId, Boolean> seen;
  /** Delivered payloads, kept to answer GRAFTs; stored as they are forwarded (round + 1). */
  private final ExpiringCache<MessageId, Gossip> payloads;
  private final Map<MessageId, Missing> missing = new LinkedHashMap<>();
  private final Map<NodeId, List<Announcement>> lazyQueue = new LinkedHashMap<>();
  private final Counters counters = new Counters();
  /** A peer can send bad ids as fast as it likes: the log must not follow it. */
  private final LogRateLimiter warnings = LogRateLimiter.withDefaults();
  private boolean dispatchScheduled;
  private boolean evictionScheduled;
  private long nextNonce;
  private long nextSeq;

  public PlumTree(
      NodeId me,
      TopicId topic,
      PlumTreeConfig config,
      int maxFrameSize,
      MessageIds messageIds,
      RandomGenerator rng,
      Io io) {
    this.me = me;
    this.topic = topic;
    this.config = config;
    this.messageIds = messageIds;
    this.io = io;
    this.announcementsPerFrame = Math.max(1, (maxFrameSize - IHAVE_OVERHEAD) / ANNOUNCEMENT_MAX);
    this.seen =
        new ExpiringCache<>(
            config.seenCacheRetention().toNanos(), config.seenCacheCapacity(), Long.MAX_VALUE);
    this.payloads =
        new ExpiringCache<>(
            config.payloadCacheRetention().toNanos(),
            config.payloadCacheCapacity(),
            config.payloadCacheMaxBytes());
    // A random start, so a restarted node does not reuse the nonces (and ids) of its past life.
    this.nextNonce = rng.nextLong();
  }

  // ---- commands -------------------------------------------------------------------------

  /** Broadcasts a payload; returns its id. The origin does not deliver its own message. */
  public MessageId broadcast(byte[] payload, Scope scope, long nowNanos) {
    long nonce = nextNonce++;
    MessageId id = messageIds.of(topic, me, nonce, payload);
    Gossip gossip = new Gossip(id, me, nonce, 0, scope, payload);
    markSeen(id, nowNanos);
    if (scope == Scope.NEIGHBORS) {
      for (NodeId peer : neighbors()) {
        io.send(peer, gossip);
      }
      return id;
    }
    cachePayload(gossip, nowNanos);
    eagerPush(gossip, me);
    lazyPush(gossip, me);
    return id;
  }

  // ---- membership events ----------------------------------------------------------------

  /** A new neighbor starts in the eager set: the tree grows, then prunes itself. */
  public void neighborUp(NodeId peer) {
    lazy.remove(peer);
    eager.add(peer);
  }

  /** A neighbor left: forget it everywhere. */
  public void neighborDown(NodeId peer) {
    eager.remove(peer);
    lazy.remove(peer);
    lazyQueue.remove(peer);
  }

  // ---- inputs ---------------------------------------------------------------------------

  /** A broadcast message from {@code from}. */
  public void handle(NodeId from, BroadcastMessage message, long nowNanos) {
    // Java 17 has no pattern switch: the sealed interface keeps this chain complete.
    if (message instanceof Gossip m) {
      onGossip(from, m, nowNanos);
    } else if (message instanceof IHave m) {
      onIHave(from, m, nowNanos);
    } else if (message instanceof Graft m) {
      onGraft(from, m, nowNanos);
    } else if (message instanceof Prune) {
      onPrune(from);
    } else {
      throw new IllegalStateException("unhandled broadcast message " + message);
    }
  }

  /** A timer scheduled by this instance fired. */
  public void onTimer(BroadcastTimer timer, long nowNanos) {
    if (timer instanceof BroadcastTimer.DispatchLazyPush) {
      dispatchLazyPush();
    } else if (timer instanceof BroadcastTimer.GraftTimeout t) {
      onGraftTimeout(t);
    } else if (timer instanceof BroadcastTimer.EvictCaches) {
      evictCaches(nowNanos);
    } else {
      throw new IllegalStateException("unhandled broadcast timer " + timer);
    }
  }

  private void onGossip(NodeId from, Gossip gossip, long nowNanos) {
    if (gossip.origin().equals(me) || seen.contains(gossip.id(), nowNanos)) {
      counters.duplicates++;
      // A second copy means two tree paths reach us: cut this one.
      if (gossip.scope() == Scope.SWARM && eager.remove(from)) {
        lazy.add(from);
        io.send(from, new Prune());
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
    markSeen(gossip.id(), nowNanos);
    io.deliver(gossip, from);
    counters.delivered++;
    if (gossip.scope() == Scope.NEIGHBORS) {
      return;
    }
    Missing announced = missing.remove(gossip.id());
    Gossip forward = gossip.withRound(nextRound(gossip.round()));
    cachePayload(forward, nowNanos);
    if (isNeighbor(from)) {
      lazy.remove(from);
      eager.add(from);
      if (announced != null) {
        optimize(from, gossip.round(), announced);
      }
    }
    eagerPush(forward, from);
    lazyPush(forward, from);
  }

  /**
   * The paper's tree optimization: if a lazy neighbor announced this message at a round at
   * least {@code threshold} lower than the eager path that delivered it, swap the two.
   */
  private void optimize(NodeId deliveredFrom, int round, Missing announced) {
    Announcer best = null;
    for (Announcer a : announced.announcers) {
      if (isNeighbor(a.peer()) && (best == null || a.round() < best.round())) {
        best = a;
      }
    }
    if (best != null
        && !best.peer().equals(deliveredFrom)
        && best.round() < round
        && round - best.round() >= config.optimizationThreshold()) {
      counters.optimizations++;
      io.send(best.peer(), new Graft(Optional.empty(), best.round()));
      lazy.remove(best.peer());
      eager.add(best.peer());
      io.send(deliveredFrom, new Prune());
      eager.remove(deliveredFrom);
      lazy.add(deliveredFrom);
    }
  }

  private void onIHave(NodeId from, IHave message, long nowNanos) {
    // Grafting a stranger would open a connection the membership layer never chose.
    if (!isNeighbor(from)) {
      return;
    }
    for (Announcement a : message.announcements()) {
      if (seen.contains(a.id(), nowNanos)) {
        continue;
      }
      Missing entry = missing.get(a.id());
      if (entry == null) {
        if (missing.size() >= config.missingCapacity()) {
          counters.missingDropped++;
          continue;
        }
        entry = new Missing(nextSeq++);
        missing.put(a.id(), entry);
        io.schedule(
            config.graftTimeout1().toNanos(), new BroadcastTimer.GraftTimeout(a.id(), entry.seq));
      }
      if (entry.announcers.size() < config.announcersPerMessage()
          && entry.announcers.stream().noneMatch(x -> x.peer().equals(from))) {
        entry.announcers.add(new Announcer(from, a.round()));
      }
    }
  }

  private void onGraftTimeout(BroadcastTimer.GraftTimeout timer) {
    Missing entry = missing.get(timer.id());
    if (entry == null || entry.seq != timer.seq()) {
      return; // delivered meanwhile, or a timer of an earlier entry
    }
    Announcer next = entry.announcers.poll();
    while (next != null && !isNeighbor(next.peer())) {
      next = entry.announcers.poll();
    }
    if (next == null) {
      missing.remove(timer.id());
      counters.graftsExhausted++;
      return;
    }
    counters.graftsSent++;
    io.send(next.peer(), new Graft(Optional.of(timer.id()), next.round()));
    lazy.remove(next.peer());
    eager.add(next.peer());
    io.schedule(config.graftTimeout2().toNanos(), timer);
  }

  private void onGraft(NodeId from, Graft graft, long nowNanos) {
    if (!isNeighbor(from)) {
      return;
    }
    lazy.remove(from);
    eager.add(from);
    if (graft.id().isPresent()) {
      Gossip cached = payloads.get(graft.id().get(), nowNanos);
      if (cached != null) {
        io.send(from, cached);
      } else {
        counters.graftMisses++;
      }
    }
  }

  private void onPrune(NodeId from) {
    if (eager.remove(from)) {
      lazy.add(from);
    }
  }

  // ---- pushing --------------------------------------------------------------------------

  private void eagerPush(Gossip gossip, NodeId from) {
    for (NodeId peer : eager) {
      if (!peer.equals(from) && !peer.equals(gossip.origin())) {
        io.send(peer, gossip);
      }
    }
  }

  private void lazyPush(Gossip gossip, NodeId from) {
    Announcement announcement = new Announcement(gossip.id(), gossip.round());
    for (NodeId peer : lazy) {
      if (peer.equals(from) || peer.equals(gossip.origin())) {
        continue;
      }
      List<Announcement> queue = lazyQueue.computeIfAbsent(peer, p -> new ArrayList<>());
      if (queue.size() >= config.lazyQueueCapacity()) {
        counters.announcementsDropped++;
        continue;
      }
      queue.add(announcement);
    }
    if (!lazyQueue.isEmpty() && !dispatchScheduled) {
      dispatchScheduled = true;
      io.schedule(config.dispatchInterval().toNanos(), new BroadcastTimer.DispatchLazyPush());
    }
  }

  private void dispatchLazyPush() {
    dispatchScheduled = false;
    for (Map.Entry<NodeId, List<Announcement>> e : lazyQueue.entrySet()) {
      List<Announcement> queue = e.getValue();
      for (int from = 0; from < queue.size(); from += announcementsPerFrame) {
        int to = Math.min(queue.size(), from + announcementsPerFrame);
        io.send(e.getKey(), new IHave(queue.subList(from, to)));
      }
    }
    lazyQueue.clear();
  }

  // ---- caches ---------------------------------------------------------------------------

  private void markSeen(MessageId id, long nowNanos) {
    seen.putIfAbsent(id, Boolean.TRUE, 0, nowNanos);
    scheduleEviction();
  }

  private void cachePayload(Gossip gossip, long nowNanos) {
    payloads.putIfAbsent(gossip.id(), gossip, gossip.payload().length, nowNanos);
  }

  private void scheduleEviction() {
    if (!evictionScheduled) {
      evictionScheduled = true;
      io.schedule(config.cacheEvictionInterval().toNanos(), new BroadcastTimer.EvictCaches());
    }
  }

  private void evictCaches(long nowNanos) {
    evictionScheduled = false;
    seen.evictExpired(nowNanos);
    payloads.evictExpired(nowNanos);
    if (!seen.isEmpty() || !payloads.isEmpty()) {
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

  private boolean isNeighbor(NodeId peer) {
    return eager.contains(peer) || lazy.contains(peer);
  }

  private Set<NodeId> neighbors() {
    Set<NodeId> all = new LinkedHashSet<>(eager);
    all.addAll(lazy);
    return all;
  }

  /** Peers that get payloads from us. */
  public Set<NodeId> eagerPeers() {
    return Set.copyOf(eager);
  }

  /** Peers that get only announcements from us. */
  public Set<NodeId> lazyPeers() {
    return Set.copyOf(lazy);
  }

  /** Counters since creation. */
  public PlumTreeStats stats() {
    return new PlumTreeStats(
        counters.delivered,
        counters.duplicates,
        counters.invalidIds,
        counters.graftsSent,
        counters.graftsExhausted,
        counters.graftMisses,
        counters.optimizations,
        counters.missingDropped,
        counters.announcementsDropped,
        seen.size(),
        payloads.size(),
        payloads.weight(),
        missing.size());
  }

  /** Mutable event counts behind {@link #stats()}. */
  private static final class Counters {
    long delivered;
    long duplicates;
    long invalidIds;
    long graftsSent;
    long graftsExhausted;
    long graftMisses;
    long optimizations;
    long missingDropped;
    long announcementsDropped;
  }
}
