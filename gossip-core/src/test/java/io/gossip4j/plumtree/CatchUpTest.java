package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.MessageId;
import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Sync;
import io.gossip4j.wire.BroadcastMessage.Want;
import io.gossip4j.wire.CodecException;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.SyncRange;
import io.gossip4j.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Catch-up: two nodes that become neighbors reconcile what each delivered within the catch-up
 * window, pull what they lack, and deliver it once, marked late. Every frame between the nodes
 * goes through the codec.
 */
class CatchUpTest {
  private static final TopicId TOPIC = TopicId.fromName("catch-up");
  private static final int FRAME = ProtocolConfig.DEFAULT_FRAME_SIZE;
  private static final long SECOND = 1_000_000_000L;

  private final MessageIds messageIds = new MessageIds();
  private final NodeId a = node(1);
  private final NodeId b = node(2);
  /** Neighbors outside the harness that brought each side its messages before the link. */
  private final NodeId feederOfA = node(8);
  private final NodeId feederOfB = node(9);
  private final NodeId origin = node(20);

  /** One simulated node: its PlumTree and what it delivered. */
  private static final class Node {
    final PlumTree tree;
    final List<Push> delivered = new ArrayList<>();
    final List<BroadcastOutput.Gap> gaps = new ArrayList<>();

    Node(PlumTree tree) {
      this.tree = tree;
    }
  }

  private record Pending(long at, long seq, NodeId node, BroadcastTimer timer) {}

  private final Map<NodeId, Node> nodes = new HashMap<>();
  private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
  private final PriorityQueue<Pending> timers = new PriorityQueue<>(
      (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
  private long timerSeq;
  /** While set, frames between harness nodes are lost, as on a link that failed for a while. */
  private boolean losing;
  private long now = 10 * SECOND;
  /** Encoded bytes of SYNC frames, and WANTed ids, between harness nodes. */
  private long syncBytes;
  private int syncFrames;
  private int wantedIds;
  /** Payload frames each harness node sent to another. */
  private final Map<NodeId, Integer> pushesSent = new HashMap<>();

  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) n;
    return NodeId.of(bytes);
  }

  private Node add(NodeId id, PlumTreeConfig config) {
    Node node = new Node(new PlumTree(id, TOPIC, config, FRAME, messageIds,
        new SplittableRandom(id.hashCode())));
    nodes.put(id, node);
    return node;
  }

  private Push message(int n) {
    byte[] payload = ("message " + n).getBytes(StandardCharsets.UTF_8);
    return new Push(messageIds.of(TOPIC, origin, n, payload), origin, n, 0, Scope.SWARM,
        payload);
  }

  /** Hands {@code node} the messages {@code from}..{@code to - 1} from a neighbor outside. */
  private void feed(NodeId node, NodeId feeder, int from, int to) {
    nodes.get(node).tree.neighborUp(feeder, now);
    for (int n = from; n < to; n++) {
      nodes.get(node).tree.handle(feeder, message(n), now);
    }
    pump();
    nodes.get(node).delivered.clear();
  }

  private void link(NodeId x, NodeId y) {
    nodes.get(x).tree.neighborUp(y, now);
    nodes.get(y).tree.neighborUp(x, now);
  }

  /**
   * Runs frames and timers for 3 virtual seconds: a few dispatches and round trips. (The tree's
   * beacons would go on for ever.)
   */
  private void pump() {
    pumpFor(3);
  }

  private void pumpFor(int seconds) {
    long end = now + seconds * SECOND;
    while (true) {
      drainAll();
      if (!wire.isEmpty()) {
        Object[] m = wire.poll();
        Node to = nodes.get((NodeId) m[1]);
        to.tree.handle((NodeId) m[0], (BroadcastMessage) m[2], now);
        continue;
      }
      Pending next = timers.poll();
      if (next == null || next.at > end) {
        return;
      }
      now = Math.max(now, next.at);
      nodes.get(next.node).tree.onTimer(next.timer, now);
    }
  }

  private void drainAll() {
    for (Map.Entry<NodeId, Node> e : nodes.entrySet()) {
      NodeId self = e.getKey();
      e.getValue().tree.drainOutputs(output -> {
        if (output instanceof BroadcastOutput.Send send && nodes.containsKey(send.to())) {
          if (losing) {
            return;
          }
          if (send.message() instanceof Push) {
            pushesSent.merge(self, 1, Integer::sum);
          }
          wire.add(new Object[] {self, send.to(), roundTrip(send.message())});
        } else if (output instanceof BroadcastOutput.Schedule s) {
          timers.add(new Pending(now + s.delayNanos(), timerSeq++, self, s.timer()));
        } else if (output instanceof BroadcastOutput.Deliver d) {
          e.getValue().delivered.add(d.push());
        } else if (output instanceof BroadcastOutput.Gap g) {
          e.getValue().gaps.add(g);
        }
      });
    }
  }

  private BroadcastMessage roundTrip(BroadcastMessage message) {
    byte[] body = WireCodec.encode(new Frame(TOPIC, message));
    assertThat(body.length).isLessThanOrEqualTo(FRAME);
    if (message instanceof Sync) {
      syncBytes += body.length;
      syncFrames++;
    } else if (message instanceof Want w) {
      wantedIds += w.ids().size();
    }
    try {
      return (BroadcastMessage) WireCodec.decode(body, FRAME).message();
    } catch (CodecException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<Long> nonces(List<Push> pushes) {
    Set<Long> nonces = new HashSet<>();
    for (Push p : pushes) {
      nonces.add(p.nonce());
    }
    return nonces;
  }

  private static Set<Long> range(int from, int to) {
    Set<Long> set = new HashSet<>();
    for (long n = from; n < to; n++) {
      set.add(n);
    }
    return set;
  }

  @Test
  void twoSidesOfACutPullWhatTheOtherDeliveredOnceAndMarkedLate() {
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 30);
    feed(b, feederOfB, 20, 60);

    link(a, b);
    pump();

    List<Push> atA = nodes.get(a).delivered;
    List<Push> atB = nodes.get(b).delivered;
    assertThat(atA).hasSize(30).allMatch(Push::late);
    assertThat(nonces(atA)).isEqualTo(range(30, 60));
    assertThat(atB).hasSize(20).allMatch(Push::late);
    assertThat(nonces(atB)).isEqualTo(range(0, 20));
    assertThat(wantedIds).isEqualTo(50); // nothing either side had was asked for
    assertThat(nodes.get(a).tree.stats().deliveredLate()).isEqualTo(30);
    assertThat(nodes.get(b).tree.stats().deliveredLate()).isEqualTo(20);
  }

  @Test
  void aLateMessageRidesTheSharedTreeOnToTheRestOfItsSide() {
    NodeId c = node(3);
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    add(c, PlumTreeConfig.defaults());
    link(b, c); // b and c: one side; c is b's neighbor behind it
    pump();
    feed(a, feederOfA, 0, 10);

    link(a, b);
    pump();

    assertThat(nonces(nodes.get(b).delivered)).isEqualTo(range(0, 10));
    assertThat(nonces(nodes.get(c).delivered)).isEqualTo(range(0, 10));
    assertThat(nodes.get(c).delivered).hasSize(10).allMatch(Push::late);
  }

  @Test
  void aJoinerPassesWhatItPulledToNoneOfItsNewNeighborsWhoAllHoldIt() {
    NodeId joiner = node(4);
    NodeId c = node(3);
    add(joiner, PlumTreeConfig.defaults());
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    add(c, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 10);
    feed(b, feederOfB, 0, 10);
    feed(c, feederOfB, 0, 10);

    link(joiner, a);
    link(joiner, b);
    link(joiner, c);
    pump();

    assertThat(nonces(nodes.get(joiner).delivered)).isEqualTo(range(0, 10));
    assertThat(wantedIds).isEqualTo(10); // each pulled once, from one of them
    // Its links are new: the other two neighbors get IHAVEs, which they ignore, not payloads.
    assertThat(pushesSent.getOrDefault(joiner, 0)).isZero();
    assertThat(pushesSent.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
  }

  @Test
  void aNewNeighborThatLacksALateMessageGetsItFromTheAnnouncement() {
    NodeId joiner = node(4);
    NodeId other = node(5);
    add(joiner, PlumTreeConfig.defaults());
    add(a, PlumTreeConfig.defaults());
    add(other, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 10);

    // Both new links reconcile while the joiner is still empty: only its IHAVEs tell the other.
    link(joiner, other);
    link(joiner, a);
    pump();

    assertThat(nonces(nodes.get(joiner).delivered)).isEqualTo(range(0, 10));
    assertThat(nonces(nodes.get(other).delivered)).isEqualTo(range(0, 10));
    assertThat(nodes.get(other).delivered).hasSize(10);
  }

  @Test
  void neighborsInSyncTradeOneSmallFingerprintAndPullNothing() {
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 2000);
    feed(b, feederOfB, 0, 2000);

    link(a, b);
    pump();

    assertThat(syncFrames).isEqualTo(1); // the opening; the answer "all agreed" is not sent
    assertThat(syncBytes).isLessThan(100);
    assertThat(wantedIds).isZero();
    assertThat(nodes.get(a).delivered).isEmpty();
    assertThat(nodes.get(b).delivered).isEmpty();
  }

  @Test
  void messagesOlderThanTheWindowAreNotReconciled() {
    PlumTreeConfig config = PlumTreeConfig.builder().catchUpWindow(Duration.ofSeconds(5))
        .build();
    add(a, config);
    add(b, config);
    feed(a, feederOfA, 0, 10);
    now += 6 * SECOND;
    feed(a, feederOfA, 10, 20);

    link(a, b);
    pump();

    assertThat(nonces(nodes.get(b).delivered)).isEqualTo(range(10, 20));
  }

  @Test
  void aCutLongerThanTheWindowEndsInAGapNotInSilence() {
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    feed(b, feederOfB, 0, 5);
    feed(a, feederOfA, 0, 30);
    now += 100 * SECOND; // the cut outlasts the 90 s window
    feed(a, feederOfA, 30, 40);

    link(a, b);
    pumpFor(60);

    assertThat(nonces(nodes.get(b).delivered)).isEqualTo(range(30, 40));
    assertThat(nodes.get(b).gaps).containsExactly(new BroadcastOutput.Gap(origin, 25));
    assertThat(nodes.get(b).tree.stats().missedInGaps()).isEqualTo(25);
    assertThat(nodes.get(a).gaps).isEmpty();
  }

  @Test
  void aCutWithinTheWindowLeavesNoGap() {
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    feed(b, feederOfB, 0, 5);
    feed(a, feederOfA, 0, 30);
    now += 60 * SECOND;
    feed(a, feederOfA, 30, 40);

    link(a, b);
    pumpFor(60);

    assertThat(nonces(nodes.get(b).delivered)).isEqualTo(range(5, 40));
    assertThat(nodes.get(b).gaps).isEmpty();
  }

  @Test
  void aMessageMissedOnLinksThatStayedUpIsPulledWhenTheHoleIsSeen() {
    add(a, PlumTreeConfig.defaults());
    add(b, PlumTreeConfig.defaults());
    link(a, b);
    pump();
    // Both hear the origin through others while their own link loses everything; b never gets
    // 5. Then the link carries again, but no link comes up to start a reconciliation.
    losing = true;
    feed(a, feederOfA, 0, 11);
    nodes.get(b).tree.neighborUp(feederOfB, now);
    for (int n = 0; n <= 10; n++) {
      if (n != 5) {
        nodes.get(b).tree.handle(feederOfB, message(n), now);
      }
    }
    pump();
    losing = false;
    nodes.get(b).delivered.clear();
    pumpFor(40);

    assertThat(nodes.get(b).delivered.stream().filter(Push::late).map(Push::nonce))
        .containsExactly(5L);
    assertThat(nodes.get(b).gaps).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "gap timeout {0} s")
  @org.junit.jupiter.params.provider.ValueSource(ints = {20, 0})
  void aLateCopyOfAMessageWeHadBeforeOurSeenCacheForgotItIsDropped(int gapTimeoutSeconds) {
    // Passed from fetcher to fetcher, a copy may outlive the seen caches of the nodes that had
    // it first: they must not deliver it a second time, whether gaps are reported or not.
    PlumTreeConfig config = PlumTreeConfig.builder().catchUpWindow(Duration.ofSeconds(5))
        .payloadCacheRetention(Duration.ofSeconds(5)).seenCacheRetention(Duration.ofSeconds(10))
        .gapTimeout(Duration.ofSeconds(gapTimeoutSeconds)).build();
    Node at = add(b, config);
    feed(b, feederOfB, 0, 5);
    now += 6 * SECOND;
    feed(b, feederOfB, 5, 10);
    now += 20 * SECOND; // past the seen cache's 10 s for every one of them
    at.tree.neighborUp(a, now);
    at.tree.handle(a, message(2).asLate(), now);
    at.tree.handle(a, message(7).asLate(), now);
    drainAll();
    assertThat(at.delivered).isEmpty();
    assertThat(at.tree.stats().staleLate()).isEqualTo(2);
    // A node that has just met the origin takes its older messages as history.
    Node fresh = add(node(4), config);
    feed(node(4), feederOfB, 9, 10);
    fresh.tree.neighborUp(a, now);
    fresh.tree.handle(a, message(8).asLate(), now);
    drainAll();
    assertThat(nonces(fresh.delivered)).containsExactly(8L);
  }

  @Test
  void catchUpOffSendsNoSync() {
    PlumTreeConfig off = PlumTreeConfig.builder().catchUpWindow(Duration.ZERO).build();
    add(a, off);
    add(b, off);
    feed(a, feederOfA, 0, 10);

    link(a, b);
    pump();

    assertThat(syncFrames).isZero();
    assertThat(nodes.get(b).delivered).isEmpty();
  }

  @Test
  void aWantIsAnsweredOnlyWithHeldPayloadsAndOnlyForANeighbor() {
    Node at = add(a, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 3);
    List<BroadcastOutput> out = new ArrayList<>();

    // A stranger's WANT: nothing.
    at.tree.handle(b, new Want(List.of(message(0).id())), now);
    at.tree.drainOutputs(out::add);
    assertThat(out).isEmpty();

    at.tree.neighborUp(b, now);
    at.tree.drainOutputs(o -> { });
    at.tree.handle(b, new Want(List.of(message(1).id(), message(7).id())), now);
    at.tree.drainOutputs(out::add);
    assertThat(out).singleElement().satisfies(o -> {
      Push sent = (Push) ((BroadcastOutput.Send) o).message();
      assertThat(sent.nonce()).isEqualTo(1);
      assertThat(sent.late()).isTrue();
      assertThat(sent.ownTree()).isFalse();
    });
  }

  @Test
  void aNeighborSendingSyncsBeyondItsBudgetGetsNoMoreAnswers() {
    Node at = add(a, PlumTreeConfig.defaults());
    feed(a, feederOfA, 0, 100);
    at.tree.neighborUp(b, now);
    at.tree.drainOutputs(o -> { });
    // A fingerprint that never matches: each one costs a split of our set.
    Sync hostile = new Sync(List.of(
        new SyncRange.Fingerprint(SyncRange.end(), 100, new byte[16])));
    int answered = 0;
    for (int i = 0; i < PlumTree.SYNC_FRAMES_PER_LINK + 50; i++) {
      at.tree.handle(b, hostile, now);
      int[] sends = new int[1];
      at.tree.drainOutputs(o -> {
        if (o instanceof BroadcastOutput.Send s && s.message() instanceof Sync) {
          sends[0]++;
        }
      });
      answered += sends[0] > 0 ? 1 : 0;
    }
    assertThat(answered).isEqualTo(PlumTree.SYNC_FRAMES_PER_LINK);
    assertThat(at.tree.stats().syncRefused()).isEqualTo(50);

    // A new link starts a new budget.
    at.tree.neighborDown(b, NeighborDownReason.FAILED, now);
    at.tree.neighborUp(b, now);
    at.tree.handle(b, hostile, now);
    List<BroadcastOutput> out = new ArrayList<>();
    at.tree.drainOutputs(out::add);
    assertThat(out).anyMatch(o -> o instanceof BroadcastOutput.Send s
        && s.message() instanceof Sync);
  }

  // ---- the reconciliation alone -------------------------------------------------------------

  private static List<MessageId> randomIds(SplittableRandom rng, int count) {
    List<MessageId> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[32];
      rng.nextBytes(bytes);
      ids.add(MessageId.of(bytes));
    }
    return ids;
  }

  /** What each side ends up wanting, and the SYNC bytes it took. */
  private record Outcome(Set<MessageId> wantedByFirst, Set<MessageId> wantedBySecond,
      long bytes, int rounds) {}

  /** Runs a whole exchange between two sets through the codec; the first side opens. */
  private static Outcome reconcile(List<MessageId> first, List<MessageId> second) {
    Reconciliation[] sides = {new Reconciliation(first), new Reconciliation(second)};
    List<Set<MessageId>> wanted = List.of(new HashSet<>(), new HashSet<>());
    List<List<SyncRange>> inFlight = Reconciliation.frames(sides[0].opening(), FRAME);
    int to = 1;
    long bytes = 0;
    int rounds = 0;
    while (!inFlight.isEmpty()) {
      rounds++;
      assertThat(rounds).isLessThan(40);
      List<List<SyncRange>> replies = new ArrayList<>();
      for (List<SyncRange> frame : inFlight) {
        byte[] body = WireCodec.encode(new Frame(TOPIC, new Sync(frame)));
        assertThat(body.length).isLessThanOrEqualTo(FRAME);
        bytes += body.length;
        Sync decoded;
        try {
          decoded = (Sync) WireCodec.decode(body, FRAME).message();
        } catch (CodecException e) {
          throw new AssertionError(e);
        }
        Set<MessageId> mine = wanted.get(to);
        Reconciliation.Answer answer = sides[to].answer(decoded.ranges(), mine::contains);
        mine.addAll(answer.wanted());
        if (!answer.reply().isEmpty()) {
          replies.addAll(Reconciliation.frames(answer.reply(), FRAME));
        }
      }
      inFlight = replies;
      to = 1 - to;
    }
    return new Outcome(wanted.get(0), wanted.get(1), bytes, rounds);
  }

  @Test
  void largeSetsFindExactlyTheirDifferenceAtACostInProportionToIt() {
    SplittableRandom rng = new SplittableRandom(42);
    List<MessageId> common = randomIds(rng, 20_000);
    List<MessageId> onlyFirst = randomIds(rng, 100);
    List<MessageId> onlySecond = randomIds(rng, 70);
    List<MessageId> first = new ArrayList<>(common);
    first.addAll(onlyFirst);
    List<MessageId> second = new ArrayList<>(common);
    second.addAll(onlySecond);

    Outcome outcome = reconcile(first, second);

    assertThat(outcome.wantedByFirst()).isEqualTo(new HashSet<>(onlySecond));
    assertThat(outcome.wantedBySecond()).isEqualTo(new HashSet<>(onlyFirst));
    // Sending every id would take 640 KB; 170 differences take about 0.5 KB each.
    assertThat(outcome.bytes()).isLessThan(170 * 700);
  }

  @Test
  void equalSetsCostOneFingerprint() {
    List<MessageId> ids = randomIds(new SplittableRandom(1), 50_000);
    Outcome outcome = reconcile(ids, new ArrayList<>(ids));
    assertThat(outcome.rounds()).isEqualTo(1);
    assertThat(outcome.bytes()).isLessThan(100);
    assertThat(outcome.wantedByFirst()).isEmpty();
    assertThat(outcome.wantedBySecond()).isEmpty();
  }

  @Test
  void anEmptySideGetsEveryIdOfAFullOneInFramesThatFit() {
    List<MessageId> ids = randomIds(new SplittableRandom(2), 10_000);
    Outcome joinerOpens = reconcile(List.of(), ids);
    assertThat(joinerOpens.wantedByFirst()).isEqualTo(new HashSet<>(ids));
    Outcome fullOpens = reconcile(ids, List.of());
    assertThat(fullOpens.wantedBySecond()).isEqualTo(new HashSet<>(ids));
    assertThat(reconcile(List.of(), List.of()).bytes()).isLessThan(60);
  }

  @Test
  void disjointSetsOfManySizesReconcile() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int[] sizes : new int[][] {{1, 0}, {16, 17}, {17, 16}, {300, 5}, {5, 3000}}) {
      List<MessageId> first = randomIds(rng, sizes[0]);
      List<MessageId> second = randomIds(rng, sizes[1]);
      Outcome outcome = reconcile(first, second);
      assertThat(outcome.wantedByFirst()).isEqualTo(new HashSet<>(second));
      assertThat(outcome.wantedBySecond()).isEqualTo(new HashSet<>(first));
    }
  }

  @Test
  void theFingerprintSumsModulo2To256CarryingAcrossEveryWord() {
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xff);
    byte[] one = new byte[32];
    one[31] = 1;
    byte[] half = new byte[32];
    half[0] = (byte) 0x80;
    // (2^256 - 1) + 1 = 2^256 = 0, carrying from the lowest word through every other; 2^255 +
    // 2^255 = 0 with no carry between words. Equal sums and counts: equal fingerprints.
    byte[] viaEveryCarry = new Reconciliation(List.of(MessageId.of(ones), MessageId.of(one)))
        .fingerprint(0, 2);
    byte[] withoutCarry = new Reconciliation(List.of(MessageId.of(half), MessageId.of(half)))
        .fingerprint(0, 2);
    assertThat(viaEveryCarry).isEqualTo(withoutCarry);
    // 1 + 2^255: another sum.
    assertThat(new Reconciliation(List.of(MessageId.of(one), MessageId.of(half)))
        .fingerprint(0, 2)).isNotEqualTo(withoutCarry);
  }
}
