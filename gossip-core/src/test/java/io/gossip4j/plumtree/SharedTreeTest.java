package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.wire.BroadcastMessage.Tree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shared tree's protocol on whole graphs: it converges to the shortest-path tree rooted at
 * the smallest id, no parent pointer ever makes a loop on the way, and it recovers from a lost
 * link, a lost root and a partition.
 */
class SharedTreeTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long BEACON = SECOND;
  private static final long ROOT_TIMEOUT = 5 * SECOND;

  private record InFlight(NodeId from, NodeId to, Tree tree) {}

  private record Wake(NodeId node, long at) {}

  /** Nodes, links and the TREE messages between them, delivered in order, one at a time. */
  private static final class Graph {
    final Map<NodeId, SharedTree> nodes = new LinkedHashMap<>();
    final Map<NodeId, Set<NodeId>> links = new HashMap<>();
    final ArrayDeque<InFlight> wire = new ArrayDeque<>();
    final List<Wake> wakes = new ArrayList<>();
    long now;
    int loopChecks;
    int seqRequests;
    int sent;

    SharedTree add(NodeId id) {
      SharedTree t = new SharedTree(id, BEACON, ROOT_TIMEOUT,
          (to, tree) -> {
            wire.add(new InFlight(id, to, tree));
            seqRequests += tree.seqRequest() ? 1 : 0;
            sent++;
          },
          delay -> wakes.add(new Wake(id, now + delay)));
      nodes.put(id, t);
      links.put(id, new HashSet<>());
      return t;
    }

    void link(NodeId a, NodeId b) {
      if (a.equals(b) || !links.get(a).add(b)) {
        return;
      }
      links.get(b).add(a);
      nodes.get(a).neighborUp(b, now);
      nodes.get(b).neighborUp(a, now);
    }

    /** A link dropped with both ends alive. */
    void unlink(NodeId a, NodeId b) {
      if (links.get(a).remove(b)) {
        links.get(b).remove(a);
        nodes.get(a).neighborDown(b, false, now);
        nodes.get(b).neighborDown(a, false, now);
      }
    }

    /**
     * A node gone: its neighbors see it fail ({@code failed}), or only see their links to it
     * drop, as when it is cut off.
     */
    void remove(NodeId id, boolean failed) {
      for (NodeId peer : List.copyOf(links.get(id))) {
        links.get(peer).remove(id);
        nodes.get(peer).neighborDown(id, failed, now);
      }
      nodes.remove(id);
      links.remove(id);
    }

    NodeId smallestId() {
      return nodes.keySet().stream().min(NodeId::compareTo).orElseThrow();
    }

    /** Delivers every message in flight (and those they cause), checking for loops after each. */
    void settle() {
      InFlight m;
      while ((m = wire.poll()) != null) {
        SharedTree to = nodes.get(m.to());
        if (to != null && links.get(m.to()).contains(m.from())) {
          to.onTree(m.from(), m.tree(), now);
          assertNoParentLoop();
        }
      }
    }

    /** Lets {@code nanos} pass without a beacon: the wake-ups due meanwhile fire, each settled. */
    void elapse(long nanos) {
      now += nanos;
      for (Wake w : List.copyOf(wakes)) {
        if (w.at() <= now) {
          wakes.remove(w);
          SharedTree t = nodes.get(w.node());
          if (t != null) {
            t.onSeqRequestDue(now);
            settle();
          }
        }
      }
    }

    /** {@code seconds} beacon intervals, each settled. */
    void run(int seconds) {
      for (int i = 0; i < seconds; i++) {
        now += BEACON;
        for (SharedTree t : List.copyOf(nodes.values())) {
          t.onBeacon(now);
        }
        settle();
      }
    }

    void assertNoParentLoop() {
      loopChecks++;
      for (NodeId start : nodes.keySet()) {
        Set<NodeId> visited = new HashSet<>();
        NodeId at = start;
        while (at != null) {
          assertThat(visited.add(at)).as("parent pointers from %s loop through %s", start, at)
              .isTrue();
          at = nodes.get(at).parent();
        }
      }
    }

    /** Hops from {@code root} over the links, breadth first. */
    Map<NodeId, Integer> hopsFrom(NodeId root) {
      Map<NodeId, Integer> hops = new HashMap<>();
      ArrayDeque<NodeId> queue = new ArrayDeque<>();
      hops.put(root, 0);
      queue.add(root);
      while (!queue.isEmpty()) {
        NodeId at = queue.poll();
        for (NodeId next : links.get(at)) {
          if (hops.putIfAbsent(next, hops.get(at) + 1) == null) {
            queue.add(next);
          }
        }
      }
      return hops;
    }

    /**
     * Every node of {@code component} follows its smallest id, at its breadth-first distance,
     * through a parent one hop nearer; both sides of each parent link count it as a tree link.
     */
    void assertShortestPathTree(Set<NodeId> component) {
      NodeId root = component.stream().min(NodeId::compareTo).orElseThrow();
      Map<NodeId, Integer> hops = hopsFrom(root);
      for (NodeId id : component) {
        SharedTree t = nodes.get(id);
        assertThat(t.root()).as("root of %s", id).isEqualTo(root);
        assertThat(t.distance()).as("distance of %s", id).isEqualTo(hops.get(id));
        if (id.equals(root)) {
          assertThat(t.parent()).isNull();
        } else {
          NodeId parent = t.parent();
          assertThat(hops.get(parent)).isEqualTo(hops.get(id) - 1);
          assertThat(t.isTreeLink(parent)).isTrue();
          assertThat(nodes.get(parent).isTreeLink(id)).as("%s sees its child %s", parent, id)
              .isTrue();
        }
      }
      // A spanning tree: exactly n - 1 links are tree links, as both sides see them.
      int treeLinks = 0;
      for (NodeId id : component) {
        for (NodeId peer : links.get(id)) {
          if (id.compareTo(peer) < 0 && nodes.get(id).isTreeLink(peer)) {
            assertThat(nodes.get(peer).isTreeLink(id)).isTrue();
            treeLinks++;
          }
        }
      }
      assertThat(treeLinks).isEqualTo(component.size() - 1);
    }
  }

  private static NodeId node(SplittableRandom rng) {
    byte[] bytes = new byte[32];
    rng.nextBytes(bytes);
    return NodeId.of(bytes);
  }

  /** {@code n} nodes with random ids, each linked to {@code degree} random others. */
  private static Graph randomGraph(int n, int degree, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Graph g = new Graph();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(node(rng));
      g.add(ids.get(i));
    }
    for (int i = 1; i < n; i++) {
      g.link(ids.get(i), ids.get(rng.nextInt(i))); // connected
    }
    for (int i = 0; i < n * (degree - 2) / 2; i++) {
      g.link(ids.get(rng.nextInt(n)), ids.get(rng.nextInt(n)));
    }
    g.settle();
    return g;
  }

  @Test
  void aRandomGraphConvergesToTheShortestPathTreeOfTheSmallestId() {
    for (long seed = 1; seed <= 3; seed++) {
      Graph g = randomGraph(300, 5, seed);
      g.run(3);
      g.assertShortestPathTree(g.nodes.keySet());
    }
  }

  @Test
  void lostLinksAreRoutedAroundWithoutALoopAtAnyStep() {
    Graph g = randomGraph(300, 5, 11);
    g.run(3);
    SplittableRandom rng = new SplittableRandom(3);
    List<NodeId> ids = new ArrayList<>(g.nodes.keySet());
    for (int round = 0; round < 20; round++) {
      // Cut the parent links of ten nodes at once, then let one beacon pass.
      for (int i = 0; i < 10; i++) {
        NodeId id = ids.get(rng.nextInt(ids.size()));
        NodeId parent = g.nodes.get(id).parent();
        if (parent != null && g.links.get(id).size() > 1 && g.links.get(parent).size() > 1) {
          g.unlink(id, parent);
        }
      }
      g.settle();
      g.run(1);
    }
    g.run(2);
    assertThat(g.hopsFrom(ids.get(0))).hasSize(ids.size()); // still one component
    g.assertShortestPathTree(g.nodes.keySet());
    assertThat(g.loopChecks).isGreaterThan(1_000);
  }

  @Test
  void whenTheRootFailsTheNextSmallestIdTakesOverInOneRoundOfMessages() {
    Graph g = randomGraph(200, 5, 21);
    g.run(3);
    NodeId root = g.smallestId();
    g.remove(root, true);
    g.settle();
    // No beacon passed: the root's neighbors saw it fail, and the others followed them.
    NodeId next = g.smallestId();
    assertThat(g.nodes.values()).allMatch(t -> t.root().equals(next));
    assertThat(g.nodes.values()).allMatch(t -> t.distance() >= 0);
    g.run(2);
    g.assertShortestPathTree(g.nodes.keySet());
  }

  @Test
  void whenTheRootIsCutOffWithoutFailingTheNextSmallestIdTakesOverWithinThreeBeacons() {
    Graph g = randomGraph(200, 5, 21);
    g.run(3);
    NodeId root = g.smallestId();
    g.remove(root, false);
    g.run(1);
    // A beacon later nobody has given up on the old root yet; its neighbors, which lost their
    // path, flood meanwhile.
    assertThat(g.nodes.values()).allMatch(t -> t.root().equals(root));
    assertThat(g.nodes.values()).anyMatch(t -> t.distance() == -1);
    g.run(2);
    // Two beacons without a new sequence number: those without a path elect a new root, and
    // the rest follow it before their own, longer timeout.
    NodeId next = g.smallestId();
    assertThat(g.nodes.values()).allMatch(t -> t.root().equals(next));
    g.run(2);
    g.assertShortestPathTree(g.nodes.keySet());
  }

  @Test
  void aPartitionGetsARootOnEachSideAndTheSmallerOneWinsWhenItHeals() {
    SplittableRandom rng = new SplittableRandom(5);
    Graph g = randomGraph(200, 5, 31);
    g.run(3);
    List<NodeId> ids = new ArrayList<>(g.nodes.keySet());
    Set<NodeId> left = new HashSet<>(ids.subList(0, 100));
    Set<NodeId> right = new HashSet<>(ids.subList(100, 200));
    List<NodeId[]> across = new ArrayList<>();
    for (NodeId id : ids) {
      for (NodeId peer : List.copyOf(g.links.get(id))) {
        if (left.contains(id) && right.contains(peer)) {
          across.add(new NodeId[] {id, peer});
          g.unlink(id, peer);
        }
      }
    }
    // Each side must still hang together for the check; link its pieces if the cut split it.
    for (Set<NodeId> side : List.of(left, right)) {
      List<NodeId> members = new ArrayList<>(side);
      for (int i = 1; i < members.size(); i++) {
        if (!g.hopsFrom(members.get(0)).containsKey(members.get(i))) {
          g.link(members.get(i), members.get(rng.nextInt(i)));
        }
      }
    }
    g.settle();
    g.run(12);
    g.assertShortestPathTree(left);
    g.assertShortestPathTree(right);
    NodeId[] bridge = across.get(0);
    g.link(bridge[0], bridge[1]);
    g.settle();
    g.run(2);
    g.assertShortestPathTree(g.nodes.keySet());
  }

  @Test
  void aNodeThatLostItsOnlyPathSaysSoAndRejoinsOnTheNextSequenceNumber() {
    // A line r - a - b, plus c linked to b only: cutting a - b leaves b, c without a path.
    List<NodeId> ids = new ArrayList<>();
    Graph g = numbered(4, ids);
    NodeId r = ids.get(0);
    NodeId a = ids.get(1);
    NodeId b = ids.get(2);
    NodeId c = ids.get(3);
    g.link(r, a);
    g.link(a, b);
    g.link(b, c);
    g.settle();
    g.run(1);
    assertThat(g.nodes.get(c).distance()).isEqualTo(3);
    g.unlink(a, b);
    g.settle();
    assertThat(g.nodes.get(b).distance()).isEqualTo(-1);
    assertThat(g.nodes.get(c).distance()).isEqualTo(-1);
    g.link(r, c);
    g.settle();
    g.run(1);
    assertThat(g.nodes.get(c).parent()).isEqualTo(r);
    assertThat(g.nodes.get(b).parent()).isEqualTo(c);
    assertThat(g.nodes.get(b).distance()).isEqualTo(2);
  }

  /** Node {@code i}: the ids sort as their numbers. */
  private static NodeId id(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    return NodeId.of(bytes);
  }

  /** Nodes 1 to {@code n}, not linked yet; their ids go to {@code ids}. */
  private static Graph numbered(int n, List<NodeId> ids) {
    Graph g = new Graph();
    for (int i = 1; i <= n; i++) {
      ids.add(id(i));
      g.add(id(i));
    }
    return g;
  }

  /** A square r - a - x - y - b - r: x and y hang below a and b, at distance 2 each. */
  private static Graph square(List<NodeId> ids) {
    Graph g = numbered(5, ids);
    NodeId r = ids.get(0);
    NodeId a = ids.get(1);
    NodeId b = ids.get(2);
    NodeId x = ids.get(3);
    NodeId y = ids.get(4);
    g.link(r, a);
    g.link(r, b);
    g.link(a, x);
    g.link(b, y);
    g.link(x, y);
    g.settle();
    g.run(1);
    assertThat(g.nodes.get(x).parent()).isEqualTo(a);
    assertThat(g.nodes.get(y).parent()).isEqualTo(b);
    return g;
  }

  /**
   * The square after x lost its parent a, half a beacon interval after the last beacon. y, at
   * x's own distance, is no feasible parent for x under the current number, so x asks.
   */
  private static Graph squareWithoutAX(List<NodeId> ids) {
    Graph g = square(ids);
    g.elapse(BEACON / 2);
    g.unlink(ids.get(1), ids.get(3));
    g.settle();
    return g;
  }

  @Test
  void aNodeThatLostItsParentAsksTheRootForANewNumberAndRejoinsWithoutWaitingForABeacon() {
    List<NodeId> ids = new ArrayList<>();
    Graph g = squareWithoutAX(ids);
    NodeId x = ids.get(3);
    NodeId y = ids.get(4);
    // The request went y - b - r, and the root's new number made y feasible: no beacon passed.
    assertThat(g.seqRequests).isEqualTo(3);
    assertThat(g.nodes.get(x).parent()).isEqualTo(y);
    assertThat(g.nodes.get(x).distance()).isEqualTo(3);
  }

  @Test
  void theRootRaisesItsNumberOnRequestAtMostFourTimesABeaconInterval() {
    List<NodeId> ids = new ArrayList<>();
    Graph g = squareWithoutAX(ids);
    NodeId r = ids.get(0);
    NodeId a = ids.get(1);
    NodeId x = ids.get(3);
    NodeId y = ids.get(4);
    assertThat(g.nodes.get(x).distance()).isEqualTo(3);
    // Right after that raise, a loses its link to the root; its other neighbor y is farther.
    g.link(a, y);
    g.settle();
    g.unlink(r, a);
    g.settle();
    assertThat(g.nodes.get(a).distance()).isEqualTo(-1);
    g.elapse(BEACON / 4 - 1);
    assertThat(g.nodes.get(a).distance()).isEqualTo(-1);
    g.elapse(1);
    assertThat(g.nodes.get(a).parent()).isEqualTo(y);
    assertThat(g.nodes.get(a).distance()).isEqualTo(3);
  }

  @Test
  void aNewNumberThatComesFirstThroughAnotherNeighborDoesNotMoveTheParent() {
    NodeId root = id(1);
    NodeId p = id(2);
    NodeId n = id(3);
    NodeId me = id(4);
    List<Tree> toParent = new ArrayList<>();
    SharedTree t = new SharedTree(me, BEACON, ROOT_TIMEOUT,
        (to, tree) -> {
          if (to.equals(p)) {
            toParent.add(tree);
          }
        }, delay -> {});
    t.neighborUp(p, 0);
    t.neighborUp(n, 0);
    t.onTree(p, new Tree(root, 1, 1, true, false), 0);
    t.onTree(n, new Tree(root, 1, 1, true, false), 0);
    assertThat(t.parent()).isEqualTo(p);
    toParent.clear();
    // Beacon 2 comes through n first, at the same distance: no nearer, so p stays.
    t.onTree(n, new Tree(root, 2, 1, true, false), BEACON);
    assertThat(t.parent()).isEqualTo(p);
    t.onTree(p, new Tree(root, 2, 1, true, false), BEACON);
    assertThat(t.parent()).isEqualTo(p);
    assertThat(t.distance()).isEqualTo(2);
    assertThat(toParent).allMatch(Tree::parentIsYou);
    // A newer number that brings us nearer is taken at once.
    t.onTree(n, new Tree(root, 3, 0, true, false), 2 * BEACON);
    assertThat(t.parent()).isEqualTo(n);
    assertThat(t.distance()).isEqualTo(1);
  }

  @Test
  void anAnswersNumberTravelsDownTheTreeNotOverEveryLink() {
    Graph g = randomGraph(300, 5, 41);
    g.run(3);
    int links = g.links.values().stream().mapToInt(Set::size).sum() / 2;
    g.sent = 0;
    g.run(1);
    int perBeacon = g.sent;
    assertThat(perBeacon).isGreaterThanOrEqualTo(2 * links);
    // Cut parent links until one leaves its node without a feasible neighbor: it asks.
    g.elapse(BEACON / 2);
    SplittableRandom rng = new SplittableRandom(7);
    List<NodeId> ids = new ArrayList<>(g.nodes.keySet());
    NodeId asker = null;
    while (asker == null) {
      NodeId id = ids.get(rng.nextInt(ids.size()));
      NodeId parent = g.nodes.get(id).parent();
      if (parent == null || g.links.get(id).size() < 3) {
        continue;
      }
      g.seqRequests = 0;
      g.sent = 0;
      g.unlink(id, parent);
      g.settle();
      if (g.seqRequests > 0) {
        asker = id;
      }
    }
    assertThat(g.nodes.get(asker).distance()).isPositive();
    // One message per tree link and a few around the asker, against two per link for a beacon.
    assertThat(g.sent).isLessThan(perBeacon * 2 / 3);
    g.run(2);
    g.assertShortestPathTree(g.nodes.keySet());
  }

  @Test
  void aRequestForAnOlderNumberIsAnsweredAtOnceWithTheNewerOne() {
    NodeId root = id(1);
    NodeId p = id(2);
    NodeId y = id(3);
    NodeId x = id(4);
    List<Tree> toX = new ArrayList<>();
    List<Tree> toP = new ArrayList<>();
    SharedTree t = new SharedTree(y, BEACON, ROOT_TIMEOUT,
        (to, tree) -> (to.equals(x) ? toX : toP).add(tree), delay -> {});
    t.neighborUp(p, 0);
    t.neighborUp(x, 0);
    t.onTree(p, new Tree(root, 2, 1, true, false), 0);
    toX.clear();
    toP.clear();
    // x lost its path holding number 1, which y has gone past: y answers itself, asks no one.
    t.onTree(x, new Tree(root, 1, 0, false, false, true, false), 0);
    assertThat(toX).singleElement().satisfies(tree -> {
      assertThat(tree.seq()).isEqualTo(2);
      assertThat(tree.routed()).isTrue();
    });
    assertThat(toP).isEmpty();
  }
}

