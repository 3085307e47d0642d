package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import io.gossip4j.wire.BroadcastMessage.Tree;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * One topic's shared broadcast tree: a shortest-path spanning tree of the neighbor links, rooted
 * at the member with the smallest node id. Messages of origins without a tree of their own ride
 * it, so a spanning tree carries them whoever sent them, each payload once per receiver.
 *
 * <p>PlumTree's own way of building a tree (prune a duplicate's link, graft a missing message's)
 * does not converge when every message comes from another origin: a tree that grew from one
 * origin is deep from most others, their payloads come late, the lazy paths graft, and every
 * graft and the duplicate behind it rewire the tree towards that origin (RMR 0.78 at 2,000
 * nodes with random senders). A tree whose shape follows no message cannot be rewired by one.
 *
 * <p>The protocol is a distance vector, kept loop-free as Babel (RFC 8966) keeps its routes:
 * each node tells each neighbor, in a TREE message, the root it follows, the newest sequence
 * number of that root it has heard, its distance from the root, whether it has a path at all,
 * and whether the neighbor is its parent. A node takes as parent the neighbor nearest to the
 * smallest root it hears of, among the feasible ones: a neighbor offering a newer sequence
 * number, or the same one at a distance below the smallest this node has had since that number
 * came. Nodes below this one always offer more, so a parent is never a descendant. A node left
 * with no feasible neighbor says it has no path, and its subtree looks elsewhere, until the next
 * sequence number, which the root raises every {@code beaconNanos}, reaches it. A node that hears
 * no new sequence number for {@code rootTimeoutNanos} (two beacons, while it has no path) takes
 * the root for gone (it remembers it, to ignore stale offers of it) and becomes a root itself; the
 * smallest id left wins again, and after a partition heals the smaller of the two roots does. The
 * root's neighbors do not wait: a root that fails or leaves is given up at once, and a node
 * without a path gives its root up as soon as a neighbor that followed it does, so the next root
 * is elected in a round of messages. A failed link to a root that is still alive costs one such
 * election, which the root's next number undoes (a given-up root is taken back when it offers a
 * newer number); waiting to be sure would cost every real failure two beacons of flooding.
 *
 * <p>Waiting for the next beacon would leave a node that lost its parent without a path for up to
 * a beacon interval, and its links flood meanwhile. So, as in Babel, it asks for a newer number
 * at once: it sets the seq-request flag on its offer to the neighbors that still have a path,
 * each passes the request to its parent once per sequence number, and the root raises its number
 * when a request for its current one arrives, at most once per {@code beaconNanos / 4}. Such a
 * number is flagged an answer: it travels down the tree and to the nodes that asked, one message
 * per node rather than one per link, since only the asker needs its neighbors' new numbers (the
 * next beacon brings everyone's). It makes the asker's neighbors feasible parents again.
 *
 * <p>The tree's links are a node's parent and the neighbors that named it their parent. Both
 * sides of a link learn of a change one message apart; a payload lost in between is grafted.
 */
final class SharedTree {
  /** Offers farther than this are ignored: a tree this deep is not a tree of a gossip swarm. */
  static final int MAX_DISTANCE = 1_000;
  /** Gone roots remembered, to ignore what a slower neighbor still says of them. */
  private static final int GONE_ROOTS = 16;
  /** The root raises its number on request at most once per this share of a beacon interval. */
  private static final int REQUESTED_SEQS_PER_BEACON = 4;

  /** What a neighbor last told us. {@code null} fields until its first TREE. */
  private static final class Offer {
    Tree tree;
    /** The root it followed before this one, and that root's newest number it had then. */
    NodeId left;
    int leftSeq;
  }

  /** A root taken for gone, and its last sequence number. */
  private record Gone(int seq, long at) {}

  private final NodeId me;
  private final long beaconNanos;
  private final long rootTimeoutNanos;
  private final BiConsumer<NodeId, Tree> send;
  /** Asks for {@link #onSeqRequestDue} after the given nanoseconds. */
  private final LongConsumer wakeIn;
  /** Per neighbor, in the order they came up. */
  private final Map<NodeId, Offer> offers = new LinkedHashMap<>();
  private final Map<NodeId, Gone> gone =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Gone> eldest) {
          return size() > GONE_ROOTS;
        }
      };

  private NodeId root;
  private int seq;
  private int distance;
  /** The smallest distance since {@link #seq} came: only offers below it are feasible. */
  private int feasible;
  private boolean routed = true;
  private NodeId parent;
  /** When {@link #seq} last advanced (or the root changed). */
  private long seqAt;
  /** The sequence number this node sends while it is the root. */
  private int ownSeq;
  /** When the root last raised {@link #ownSeq}, and whether a request waits for the next time. */
  private long raisedAt = Long.MIN_VALUE / 2;
  private boolean raisePending;
  /** The root and number this node last asked (or passed on a request) for: once each. */
  private NodeId requestedRoot;
  private int requestedSeq;
  /** Whether {@link #seq} answers a request, and the neighbors that asked us for a newer one. */
  private boolean seqAnswers;
  private final Set<NodeId> askers = new LinkedHashSet<>();

  SharedTree(NodeId me, long beaconNanos, long rootTimeoutNanos, BiConsumer<NodeId, Tree> send,
      LongConsumer wakeIn) {
    this.me = me;
    this.beaconNanos = beaconNanos;
    this.rootTimeoutNanos = rootTimeoutNanos;
    this.send = send;
    this.wakeIn = wakeIn;
    this.root = me;
  }

  /** Time between two beacons; the caller schedules {@link #onBeacon} this far apart. */
  long beaconNanos() {
    return beaconNanos;
  }

  /**
   * Whether the link to this neighbor carries payloads: it is our parent or one of our
   * children, or the tree around it is not settled: we do not know the neighbor's place yet (it
   * has not told us, or follows another root), or one of the two has lost its path to the root.
   * As in the paper, a link carries payloads until it is known to be redundant, so where a swarm
   * has just formed or the tree is being repaired, messages flood for that while instead of
   * waiting for IHAVEs and GRAFTs.
   */
  boolean isTreeLink(NodeId peer) {
    if (peer.equals(parent) || !routed) {
      return true;
    }
    Offer offer = offers.get(peer);
    if (offer == null) {
      return false;
    }
    Tree t = offer.tree;
    return t == null || t.parentIsYou() || !t.routed() || !t.root().equals(root);
  }

  NodeId root() {
    return root;
  }

  /** Hops from the root, or -1 while this node has no path to it. */
  int distance() {
    return routed ? distance : -1;
  }

  NodeId parent() {
    return parent;
  }

  void neighborUp(NodeId peer, long nowNanos) {
    if (offers.putIfAbsent(peer, new Offer()) == null) {
      send.accept(peer, advert(peer));
    }
  }

  /**
   * @param failed whether the neighbor failed or left, rather than dropped the link alive
   */
  void neighborDown(NodeId peer, boolean failed, long nowNanos) {
    if (offers.remove(peer) == null) {
      return;
    }
    askers.remove(peer);
    if (failed && peer.equals(root)) {
      // The root itself is gone: no new number will come from it, so waiting for one (or for
      // the timeout) would only leave the swarm without a tree for that long.
      giveUpRoot(nowNanos);
    } else if (peer.equals(parent)) {
      reselect(nowNanos);
    }
  }

  void onTree(NodeId from, Tree tree, long nowNanos) {
    Offer offer = offers.get(from);
    if (offer == null) {
      return; // not a neighbor: its place in the tree is none of ours
    }
    if (offer.tree != null && !offer.tree.root().equals(tree.root())) {
      offer.left = offer.tree.root();
      offer.leftSeq = offer.tree.seq();
    }
    offer.tree = tree;
    reselect(nowNanos);
    if (tree.seqRequest() && tree.root().equals(root)) {
      if (tree.seq() != seq) {
        // The asker lacks a number we have (answers go down the tree, not to every link):
        // ours may already make us a feasible parent for it.
        send.accept(from, advert(from));
      } else {
        askers.add(from);
        if (root.equals(me)) {
          raiseOnRequest(nowNanos);
        } else if (routed && !alreadyRequested()) {
          markRequested();
          send.accept(parent, advert(parent, true));
        }
      }
    }
  }

  /** The root's answer to a request: a new number now, or as soon as the rate allows. */
  private void raiseOnRequest(long nowNanos) {
    long minGap = beaconNanos / REQUESTED_SEQS_PER_BEACON;
    if (nowNanos - raisedAt >= minGap) {
      raise(nowNanos, true);
    } else if (!raisePending) {
      raisePending = true;
      wakeIn.accept(raisedAt + minGap - nowNanos);
    }
  }

  /** The wake-up {@link #raiseOnRequest} asked for. */
  void onSeqRequestDue(long nowNanos) {
    if (!raisePending || !root.equals(me)) {
      raisePending = false;
      return;
    }
    long minGap = beaconNanos / REQUESTED_SEQS_PER_BEACON;
    if (nowNanos - raisedAt >= minGap) {
      raise(nowNanos, true);
    } else {
      // A beacon raised the number since this wake-up was asked for: wait for the gap again.
      wakeIn.accept(raisedAt + minGap - nowNanos);
    }
  }

  /**
   * Every {@code beaconNanos}: the root raises its sequence number; any other node checks that
   * its root still does.
   */
  void onBeacon(long nowNanos) {
    if (root.equals(me)) {
      raise(nowNanos, false);
      return;
    }
    // Without a path, the payloads around us flood: after two beacons that brought nothing new
    // the root is gone or out of reach, and waiting the full timeout would only flood longer.
    long timeout = routed ? rootTimeoutNanos : Math.min(rootTimeoutNanos, 2 * beaconNanos);
    if (nowNanos - seqAt >= timeout) {
      giveUpRoot(nowNanos);
    }
  }

  /** Takes the root for gone (ignoring what others still say of it) and starts over as one. */
  private void giveUpRoot(long nowNanos) {
    gone.put(root, new Gone(seq, nowNanos));
    becomeRoot(nowNanos);
    reselect(nowNanos); // announces if it follows another root now
    if (root.equals(me)) {
      announce();
    }
  }

  /** A new number: a beacon's goes over every link, an answer's down the tree and to askers. */
  private void raise(long nowNanos, boolean answer) {
    ownSeq = ownSeq == Integer.MAX_VALUE ? 0 : ownSeq + 1;
    seq = ownSeq;
    seqAt = nowNanos;
    raisedAt = nowNanos;
    raisePending = false;
    seqAnswers = answer;
    if (answer) {
      passAnswer(null, null);
    } else {
      askers.clear();
      announce();
    }
  }

  private void becomeRoot(long nowNanos) {
    root = me;
    seq = ownSeq;
    seqAt = nowNanos;
    distance = 0;
    feasible = 0;
    routed = true;
    parent = null;
    seqAnswers = false;
    askers.clear();
  }

  /** Picks the best feasible parent, and tells the neighbors if anything they see changed. */
  private void reselect(long nowNanos) {
    NodeId oldRoot = root;
    int oldSeq = seq;
    int oldDistance = distance;
    boolean oldRouted = routed;
    NodeId oldParent = parent;

    NodeId bestPeer = null;
    Tree best = null;
    for (Map.Entry<NodeId, Offer> e : offers.entrySet()) {
      Tree t = e.getValue().tree;
      if (t == null || !t.routed() || t.distance() >= MAX_DISTANCE || isGone(t, nowNanos)
          || !feasible(t)) {
        continue;
      }
      if (best == null || better(t, e.getKey(), best, bestPeer)) {
        best = t;
        bestPeer = e.getKey();
      }
    }
    if (best != null) {
      if (!best.root().equals(root) || best.seq() != seq) {
        seqAt = nowNanos;
        seq = best.seq();
        feasible = best.distance() + 1;
        seqAnswers = best.seqAnswer();
      }
      root = best.root();
      distance = best.distance() + 1;
      feasible = Math.min(feasible, distance);
      routed = true;
      parent = bestPeer;
    } else if (root.equals(me)) {
      parent = null;
    } else {
      // No feasible neighbor: say so, so the subtree below looks elsewhere, and wait for a
      // newer sequence number (or time the root out).
      parent = null;
      routed = false;
    }
    if (!routed && abandonedByANeighbor()) {
      // A neighbor that followed our root gave up on it (it saw the root fail, or timed it
      // out), and we have no path either: give up too, so the swarm elects the next root in a
      // round of messages rather than a timeout at every node.
      giveUpRoot(nowNanos);
      return;
    }
    // Lost the path: ask the neighbors that still have one for a newer number, once per number.
    boolean request = !routed && !root.equals(me) && !alreadyRequested()
        && offers.keySet().stream().anyMatch(this::canPassRequest);
    if (request) {
      markRequested();
    }
    if (seq != oldSeq && seqAnswers && root.equals(oldRoot) && distance == oldDistance
        && routed == oldRouted) {
      // Only the number changed, and it answers a request: pass it down and to the askers.
      passAnswer(oldParent, parent);
    } else if (!root.equals(oldRoot) || seq != oldSeq || distance != oldDistance
        || routed != oldRouted) {
      askers.clear();
      announce(request);
    } else if (request) {
      for (NodeId peer : offers.keySet()) {
        if (canPassRequest(peer)) {
          send.accept(peer, advert(peer, true));
        }
      }
    } else if (!Objects.equals(parent, oldParent)) {
      if (oldParent != null && offers.containsKey(oldParent)) {
        send.accept(oldParent, advert(oldParent));
      }
      if (parent != null) {
        send.accept(parent, advert(parent));
      }
    }
  }

  /**
   * Sends an answer's number to our children, the neighbors that asked for it, and the old and
   * new parent if the parent changed with it.
   */
  private void passAnswer(NodeId oldParent, NodeId newParent) {
    for (Map.Entry<NodeId, Offer> e : offers.entrySet()) {
      NodeId peer = e.getKey();
      Tree t = e.getValue().tree;
      boolean child = t != null && t.parentIsYou();
      boolean parentChanged = !Objects.equals(oldParent, newParent)
          && (peer.equals(oldParent) || peer.equals(newParent));
      if (child || askers.contains(peer) || parentChanged) {
        send.accept(peer, advert(peer));
      }
    }
    askers.clear();
  }

  private boolean abandonedByANeighbor() {
    for (Offer offer : offers.values()) {
      Tree t = offer.tree;
      // Only a neighbor that gave the root up at our number or later: one that left it before
      // a number we have since heard gave up too early, and proves nothing now.
      if (root.equals(offer.left) && offer.leftSeq >= seq && t != null && t.routed()
          && t.root().compareTo(root) > 0) {
        return true;
      }
    }
    return false;
  }

  private boolean alreadyRequested() {
    return root.equals(requestedRoot) && seq == requestedSeq;
  }

  private void markRequested() {
    requestedRoot = root;
    requestedSeq = seq;
  }

  /** A neighbor that follows our root and has a path to it can pass our request on. */
  private boolean canPassRequest(NodeId peer) {
    Offer offer = offers.get(peer);
    Tree t = offer == null ? null : offer.tree;
    return t != null && t.routed() && t.root().equals(root);
  }

  /** Whether following {@code t} cannot make a loop: see the class comment. */
  private boolean feasible(Tree t) {
    int byRoot = t.root().compareTo(root);
    if (byRoot < 0) {
      return true;
    }
    if (byRoot > 0 || root.equals(me)) {
      return false;
    }
    return t.seq() > seq || (t.seq() == seq && t.distance() < feasible);
  }

  /** Smaller root, then nearer, then the current parent (no needless change), then smaller id. */
  private boolean better(Tree t, NodeId peer, Tree best, NodeId bestPeer) {
    int byRoot = t.root().compareTo(best.root());
    if (byRoot != 0) {
      return byRoot < 0;
    }
    if (t.distance() != best.distance()) {
      return t.distance() < best.distance();
    }
    if (peer.equals(parent) != bestPeer.equals(parent)) {
      return peer.equals(parent);
    }
    if (t.seq() != best.seq()) {
      return t.seq() > best.seq();
    }
    return peer.compareTo(bestPeer) < 0;
  }

  private boolean isGone(Tree t, long nowNanos) {
    Gone g = gone.get(t.root());
    if (g == null) {
      return false;
    }
    if (nowNanos - g.at() > 3 * rootTimeoutNanos) {
      gone.remove(t.root());
      return false;
    }
    return t.seq() <= g.seq();
  }

  private void announce() {
    announce(false);
  }

  private void announce(boolean request) {
    for (NodeId peer : offers.keySet()) {
      send.accept(peer, advert(peer, request && canPassRequest(peer)));
    }
  }

  private Tree advert(NodeId to) {
    return advert(to, false);
  }

  private Tree advert(NodeId to, boolean request) {
    return new Tree(root, seq, routed ? distance : 0, routed, to.equals(parent), request,
        seqAnswers);
  }
}
