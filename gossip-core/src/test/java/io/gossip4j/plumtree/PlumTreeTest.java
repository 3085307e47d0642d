package io.gossip4j.plumtree;

import io.gossip4j.PlumTreeStats;
import io.gossip4j.config.PlumTreeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.MessageId;
import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.MessageIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlumTreeTest {
  private static final TopicId TOPIC = TopicId.fromName("plumtree");
  private static final long MS = 1_000_000L;

  private record Sent(NodeId to, BroadcastMessage message) {}

  private record Scheduled(long delayNanos, BroadcastTimer timer) {}

  private record Delivered(Push gossip, NodeId from) {}

  /**
   * A guard whose verdicts the test sets: by payload text, ACCEPT_VERIFIED for any other. It
   * seals with the nonce as timestamp and records what it judged.
   */
  private static final class FakeGuard implements BroadcastGuard {
    final java.util.Map<String, GuardDecision> verdicts = new java.util.HashMap<>();
    final List<MessageId> judged = new ArrayList<>();
    /** Whether judging is handed out as BroadcastOutput.Judge, as for a signed topic. */
    boolean elsewhere;

    @Override
    public boolean judgesElsewhere(TopicId topic) {
      return elsewhere;
    }

    @Override
    public Optional<Seal> seal(
        TopicId topic, NodeId origin, long nonce, Scope scope, byte[] payload) {
      return Optional.of(new Seal(nonce, new byte[64]));
    }

    @Override
    public GuardDecision judge(TopicId topic, Push gossip) {
      judged.add(gossip.id());
      return verdicts.getOrDefault(
          new String(gossip.payload(), StandardCharsets.UTF_8), GuardDecision.ACCEPT_VERIFIED);
    }
  }

  private final List<Sent> sent = new ArrayList<>();
  private final List<Scheduled> scheduled = new ArrayList<>();
  private final List<Delivered> delivered = new ArrayList<>();
  private final List<Boolean> verified = new ArrayList<>();
  private final List<NodeId> expelled = new ArrayList<>();
  private final List<Push> judges = new ArrayList<>();
  private final FakeGuard guard = new FakeGuard();
  private final MessageIds ids = new MessageIds();
  private final NodeId me = node(0);
  private final NodeId a = node(1);
  private final NodeId b = node(2);
  private final NodeId c = node(3);
  private final NodeId origin = node(9);
  /** Every tree this test made, so their outputs are all recorded. */
  private final List<PlumTree> trees = new ArrayList<>();
  private PlumTree tree;

  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) n;
    return NodeId.of(bytes);
  }

  private PlumTree newTree(PlumTreeConfig config) {
    return newTree(config, BroadcastGuard.ACCEPT_ALL);
  }

  private PlumTree newTree(PlumTreeConfig config, BroadcastGuard broadcastGuard) {
    PlumTree made = new PlumTree(
        me,
        TOPIC,
        config,
        ProtocolConfig.DEFAULT_FRAME_SIZE,
        ids,
        broadcastGuard,
        new SplittableRandom(7));
    trees.add(made);
    return made;
  }

  /** Moves what the trees asked for since the last look into this test's lists. */
  private void drain() {
    for (PlumTree t : trees) {
      t.drainOutputs(this::record);
    }
  }

  private void record(BroadcastOutput output) {
    if (output instanceof BroadcastOutput.Send send
        && send.message() instanceof BroadcastMessage.Tree) {
      return; // the shared tree's own protocol, tested in SharedTreeTest
    }
    if (output instanceof BroadcastOutput.Send send
        && send.message() instanceof BroadcastMessage.Sync) {
      return; // catch-up's opening on every new link, tested in CatchUpTest
    }
    if (output instanceof BroadcastOutput.Schedule schedule
        && schedule.timer() instanceof BroadcastTimer.TreeBeacon) {
      return;
    }
    if (output instanceof BroadcastOutput.Send send) {
      sent.add(new Sent(send.to(), send.message()));
    } else if (output instanceof BroadcastOutput.Schedule schedule) {
      scheduled.add(new Scheduled(schedule.delayNanos(), schedule.timer()));
    } else if (output instanceof BroadcastOutput.Deliver deliver) {
      delivered.add(new Delivered(deliver.push(), deliver.deliveredFrom()));
      verified.add(deliver.verified());
    } else if (output instanceof BroadcastOutput.Expel expel) {
      expelled.add(expel.peer());
    } else if (output instanceof BroadcastOutput.Judge judge) {
      judges.add(judge.push());
    }
  }

  private List<Sent> sent() {
    drain();
    return sent;
  }

  private List<Scheduled> scheduled() {
    drain();
    return scheduled;
  }

  private List<Delivered> delivered() {
    drain();
    return delivered;
  }

  private List<Boolean> verified() {
    drain();
    return verified;
  }

  private List<NodeId> expelled() {
    drain();
    return expelled;
  }

  /**
   * Brings {@code peer} up as a neighbor that took us for its parent in the shared tree, so its
   * link is in every tree: the paper's new neighbor, eager for every origin.
   */
  private void up(PlumTree t, NodeId peer, long nowNanos) {
    t.neighborUp(peer, nowNanos);
    t.handle(peer, new BroadcastMessage.Tree(me, 0, 1, true, true), nowNanos);
  }

  /**
   * Our own broadcasts take our own tree from the first, the per-origin trees under test.
   * Without catch-up, whose reconciliation with each new neighbor CatchUpTest covers.
   */
  private static PlumTreeConfig.Builder perOrigin() {
    return PlumTreeConfig.builder().ownTreeAfter(1).catchUpWindow(Duration.ZERO);
  }

  @BeforeEach
  void setUp() {
    tree = newTree(perOrigin().build());
    up(tree, a, 0);
    up(tree, b, 0);
    up(tree, c, 0);
  }

  /** A message of {@link #origin} on its own tree, the trees most of these tests are about. */
  private Push gossip(String text, long nonce, int round) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return new Push(ids.of(TOPIC, origin, nonce, payload), origin, nonce, round, Scope.SWARM,
        true, Optional.empty(), payload);
  }

  /** A message of {@link #origin} on the shared tree. */
  private Push sharedGossip(String text, long nonce, int round) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return new Push(ids.of(TOPIC, origin, nonce, payload), origin, nonce, round, Scope.SWARM,
        payload);
  }

  private List<BroadcastMessage> sentTo(NodeId peer) {
    return sent().stream().filter(s -> s.to().equals(peer)).map(Sent::message).toList();
  }

  private BroadcastTimer.GraftTimeout lastGraftTimer() {
    for (int i = scheduled().size() - 1; i >= 0; i--) {
      if (scheduled().get(i).timer() instanceof BroadcastTimer.GraftTimeout t) {
        return t;
      }
    }
    throw new AssertionError("no graft timer scheduled()");
  }

  @Test
  void newNeighborsStartEager() {
    assertThat(tree.eagerPeers(origin)).containsExactlyInAnyOrder(a, b, c);
    assertThat(tree.lazyPeers(origin)).isEmpty();
  }

  @Test
  void aNewGossipIsDeliveredOnceAndForwardedEagerlyWithTheNextRound() {
    Push g = gossip("hello", 1, 0);
    tree.handle(a, g, 0);
    assertThat(delivered()).containsExactly(new Delivered(g, a));
    assertThat(sentTo(b)).containsExactly(g.withRound(1));
    assertThat(sentTo(c)).containsExactly(g.withRound(1));
    assertThat(sentTo(a)).isEmpty();
  }

  @Test
  void duplicateGossipPrunesItsSender() {
    Push g = gossip("hello", 1, 0);
    tree.handle(a, g, 0);
    sent().clear();
    tree.handle(b, g.withRound(1), 1);
    assertThat(delivered()).hasSize(1);
    assertThat(sentTo(b)).containsExactly(new Prune(origin));
    assertThat(tree.eagerPeers(origin)).containsExactlyInAnyOrder(a, c);
    assertThat(tree.lazyPeers(origin)).containsExactly(b);
    assertThat(tree.stats().duplicates()).isEqualTo(1);
  }

  @Test
  void aDuplicateFromAPeerPrunedAlreadyIsPrunedAgainSoItStopsSending() {
    // b answered a GRAFT after the payload had come from a: it is eager towards us, while
    // our side already has it lazy. Each copy it sends gets a PRUNE until it stops.
    Push g1 = gossip("one", 1, 0);
    tree.handle(a, g1, 0);
    tree.handle(b, g1.withRound(1), 1);
    Push g2 = gossip("two", 2, 0);
    tree.handle(a, g2, 2);
    sent().clear();
    tree.handle(b, g2.withRound(1), 3);
    assertThat(sentTo(b)).containsExactly(new Prune(origin));
    assertThat(tree.lazyPeers(origin)).containsExactly(b);
  }

  @Test
  void aFirstCopyFromAPeerWePrunedGraftsItBackSoCrossingPrunesLeaveAParent() {
    Push g1 = gossip("one", 1, 0);
    tree.handle(a, g1, 0);
    tree.handle(b, g1.withRound(1), 1); // PRUNE to b
    // b sent g2 before our PRUNE reached it, and it came first; a's copy is the duplicate.
    Push g2 = gossip("two", 2, 0);
    sent().clear();
    tree.handle(b, g2.withRound(1), 2);
    assertThat(sentTo(b)).containsExactly(new Graft(g2.id(), 1, false));
    tree.handle(a, g2, 3);
    assertThat(sentTo(a)).contains(new Prune(origin));
    // b hears PRUNE then GRAFT, in order on one connection: it stays our parent.
    assertThat(tree.eagerPeers(origin)).contains(b).doesNotContain(a);
  }

  @Test
  void aFirstCopyFromAPeerInTheTreeSendsNoGraft() {
    Push g = gossip("one", 1, 0);
    tree.handle(a, g, 0);
    assertThat(sentTo(a)).isEmpty();
  }

  @Test
  void eagerOnlyKeepsEveryNeighborEagerOnDuplicatesAndPrunes() {
    tree = newTree(perOrigin().eagerOnly(true).build());
    up(tree, a, 0);
    up(tree, b, 0);
    up(tree, c, 0);
    Push g = gossip("flood", 1, 0);
    tree.handle(a, g, 0);
    tree.handle(b, g.withRound(1), 1);
    tree.handle(c, new Prune(origin), 2);
    assertThat(sentTo(b)).doesNotContain(new Prune(origin));
    assertThat(tree.eagerPeers(origin)).containsExactlyInAnyOrder(a, b, c);
    assertThat(tree.lazyPeers(origin)).isEmpty();
    sent().clear();
    tree.broadcast("next".getBytes(StandardCharsets.UTF_8), Scope.SWARM, 3);
    assertThat(sent()).extracting(Sent::to).containsExactlyInAnyOrder(a, b, c);
    assertThat(sent()).extracting(Sent::message).allMatch(m -> m instanceof Push);
  }

  @Test
  void pruneMovesThePeerToTheLazySetAndItThenGetsBatchedIHaves() {
    tree.handle(b, new Prune(me), 0);
    assertThat(tree.lazyPeers(me)).containsExactly(b);
    tree.broadcast("one".getBytes(StandardCharsets.UTF_8), Scope.SWARM, 0);
    tree.broadcast("two".getBytes(StandardCharsets.UTF_8), Scope.SWARM, 0);
    assertThat(sentTo(b)).isEmpty();
    BroadcastTimer dispatch = scheduled().stream().map(Scheduled::timer)
        .filter(t -> t instanceof BroadcastTimer.DispatchLazyPush).findFirst().orElseThrow();
    assertThat(scheduled().stream().filter(s -> s.timer() instanceof BroadcastTimer.DispatchLazyPush))
        .singleElement().extracting(Scheduled::delayNanos).isEqualTo(200 * MS);
    tree.onTimer(dispatch, 200 * MS);
    assertThat(sentTo(b)).singleElement().isInstanceOfSatisfying(IHave.class,
        ihave -> assertThat(ihave.announcements()).hasSize(2));
  }

  @Test
  void iHavesAreSplitToFitTheFrameLimit() {
    PlumTree small = newTree(perOrigin().build());
    // Frame 64 KiB: (65536 - 38) / 37 = 1770 announcements per IHAVE.
    up(small, a, 0);
    small.handle(a, new Prune(me), 0);
    for (int i = 0; i < 4000; i++) {
      small.broadcast(("m" + i).getBytes(StandardCharsets.UTF_8), Scope.SWARM, 0);
    }
    sent().clear();
    small.onTimer(new BroadcastTimer.DispatchLazyPush(), 5 * MS);
    assertThat(sentTo(a)).hasSize(3).allSatisfy(m ->
        assertThat(((IHave) m).announcements().size()).isLessThanOrEqualTo(1770));
    int total = sentTo(a).stream().mapToInt(m -> ((IHave) m).announcements().size()).sum();
    assertThat(total).isEqualTo(4000);
  }

  @Test
  void iHaveForAMissingMessageGraftsAfterTimeout1ThenTheNextAnnouncerAfterTimeout2() {
    Push g = gossip("late", 5, 2);
    tree.handle(a, new Prune(origin), 0);
    tree.handle(b, new Prune(origin), 0);
    tree.handle(a, new IHave(List.of(new Announcement(g.id(), 3))), 0);
    tree.handle(b, new IHave(List.of(new Announcement(g.id(), 4))), 1 * MS);
    assertThat(scheduled()).singleElement().satisfies(s -> {
      assertThat(s.delayNanos()).isEqualTo(80 * MS);
      assertThat(s.timer()).isInstanceOf(BroadcastTimer.GraftTimeout.class);
    });
    assertThat(sent()).isEmpty();

    tree.onTimer(lastGraftTimer(), 80 * MS);
    assertThat(sentTo(a)).containsExactly(new Graft(g.id(), 3, true));
    // The origin is not known yet: a joins its tree on our side when the payload comes.
    assertThat(scheduled().get(scheduled().size() - 1).delayNanos()).isEqualTo(40 * MS);

    tree.onTimer(lastGraftTimer(), 120 * MS);
    assertThat(sentTo(b)).containsExactly(new Graft(g.id(), 4, true));
    assertThat(tree.stats().graftsSent()).isEqualTo(2);

    // The payload finally arrives: b is in the origin's tree again, the next timer is stale.
    tree.handle(b, g, 130 * MS);
    assertThat(tree.eagerPeers(origin)).contains(b);
    sent().clear();
    tree.onTimer(lastGraftTimer(), 160 * MS);
    assertThat(sent()).filteredOn(s -> s.message() instanceof Graft).isEmpty();
    assertThat(delivered()).hasSize(1);
  }

  @Test
  void eachFurtherGraftWaitsTwiceAsLongAsTheOneBefore() {
    Push g = gossip("congested", 5, 2);
    tree.handle(a, new Prune(origin), 0);
    tree.handle(b, new Prune(origin), 0);
    tree.handle(c, new Prune(origin), 0);
    for (NodeId announcer : List.of(a, b, c)) {
      tree.handle(announcer, new IHave(List.of(new Announcement(g.id(), 3))), 0);
    }
    long now = 80 * MS;
    List<Long> delays = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int before = scheduled().size();
      tree.onTimer(lastGraftTimer(), now);
      if (scheduled().size() == before) {
        break; // announcers exhausted
      }
      long delay = scheduled().get(scheduled().size() - 1).delayNanos();
      delays.add(delay / MS);
      now += delay;
    }
    // One GRAFT per announcer, the waits doubling; then nobody is left to ask.
    assertThat(delays).containsExactly(40L, 80L, 160L);
  }

  @Test
  void withACeilingTheFirstGraftTimeoutGrowsWhenPayloadsComeLateAndShrinksWhenThatStops() {
    PlumTree adaptive = newTree(perOrigin()
        .maxGraftTimeout1(Duration.ofMillis(1000)).build());
    long now = feedLatePayloads(adaptive, 20, 70 * MS);
    // A quarter more than the largest recent lateness, 70 ms: 87.5 ms.
    assertThat(graftDelayAfterIHave(adaptive, "next", now)).isEqualTo(87_500_000L);
    // A minute without a late payload: 70 ms halved six times, back to the configured 80 ms.
    assertThat(graftDelayAfterIHave(adaptive, "calm", now + 60_000 * MS)).isEqualTo(80 * MS);
  }

  @Test
  void theFirstGraftTimeoutNeverPassesItsCeiling() {
    PlumTree adaptive = newTree(perOrigin()
        .maxGraftTimeout1(Duration.ofMillis(100)).build());
    long now = feedLatePayloads(adaptive, 50, 79 * MS); // each just before the 80 ms timer
    // A quarter more than 79 ms would be 98.75 ms: below the ceiling of 100 ms.
    assertThat(graftDelayAfterIHave(adaptive, "next", now)).isEqualTo(98_750_000L);
    PlumTree capped = newTree(perOrigin().maxGraftTimeout1(Duration.ofMillis(90)).build());
    now = feedLatePayloads(capped, 50, 79 * MS);
    assertThat(graftDelayAfterIHave(capped, "next", now)).isEqualTo(90 * MS);
  }

  @Test
  void withACeilingEqualToItTheFirstGraftTimeoutIsFixedAsInThePaper() {
    PlumTree fixed = newTree(perOrigin()
        .maxGraftTimeout1(PlumTreeConfig.defaults().graftTimeout1()).build());
    long now = feedLatePayloads(fixed, 20, 70 * MS);
    assertThat(graftDelayAfterIHave(fixed, "next", now)).isEqualTo(80 * MS);
  }

  @Test
  void onTheSharedTreeAGraftedAnswerRaisesTheFirstGraftTimeout() {
    PlumTree adaptive = newTree(perOrigin().maxGraftTimeout1(Duration.ofMillis(1000)).build());
    long now = graftAndGetTheAnswer(adaptive, sharedGossip("shared", 5, 1));
    // The answer came 150 ms after the IHAVE: the shared tree's copy is at least that late, and
    // a graft on the shared tree changes no link, so the next one waits for the tree longer.
    assertThat(graftDelayAfterIHave(adaptive, "next", now)).isEqualTo(187_500_000L);
  }

  @Test
  void onAnOwnTreeAGraftedAnswerLeavesTheFirstGraftTimeoutAsItWas() {
    PlumTree adaptive = newTree(perOrigin().maxGraftTimeout1(Duration.ofMillis(1000)).build());
    long now = graftAndGetTheAnswer(adaptive, gossip("own", 5, 1));
    // The GRAFT made b our parent on the origin's tree: nothing says the tree is slow.
    assertThat(graftDelayAfterIHave(adaptive, "next", now)).isEqualTo(80 * MS);
  }

  /** b announces {@code g}, the first graft timeout sends b a GRAFT, b answers 150 ms after. */
  private long graftAndGetTheAnswer(PlumTree t, Push g) {
    up(t, a, 0);
    up(t, b, 0);
    scheduled().clear();
    t.handle(b, new IHave(List.of(new Announcement(g.id(), 1))), 0);
    BroadcastTimer.GraftTimeout timer = lastGraftTimer();
    sent().clear();
    t.onTimer(timer, graftDelay());
    assertThat(sentTo(b)).singleElement().isInstanceOf(Graft.class);
    t.handle(b, g, 150 * MS);
    return 200 * MS;
  }

  /**
   * {@code count} messages, 100 ms apart, each announced by b {@code lateNanos} before a
   * delivers it: late, never grafted. Returns the time after the last.
   */
  private long feedLatePayloads(PlumTree t, int count, long lateNanos) {
    up(t, a, 0);
    up(t, b, 0);
    long now = 0;
    for (int i = 0; i < count; i++) {
      Push g = gossip("late " + i, 100 + i, 1);
      t.handle(b, new IHave(List.of(new Announcement(g.id(), 1))), now);
      t.handle(a, g, now + lateNanos);
      now += 100 * MS;
    }
    return now;
  }

  /** The first graft timeout scheduled for a new message b announces at {@code now}. */
  private long graftDelayAfterIHave(PlumTree t, String text, long now) {
    scheduled().clear();
    t.handle(b, new IHave(List.of(new Announcement(gossip(text, 999, 1).id(), 1))), now);
    return graftDelay();
  }

  private long graftDelay() {
    return scheduled().stream().filter(x -> x.timer() instanceof BroadcastTimer.GraftTimeout)
        .reduce((first, second) -> second).orElseThrow().delayNanos();
  }

  @Test
  void withoutCatchUpANeighborThatComesUpHearsOfWhatWasDeliveredInTheLastSecond() {
    tree = newTree(perOrigin().catchUpWindow(Duration.ZERO).build());
    up(tree, a, 0);
    up(tree, b, 0);
    up(tree, c, 0);
    Push old = gossip("old", 1, 0);
    Push fresh = gossip("fresh", 2, 0);
    tree.handle(a, old, 0);
    tree.handle(a, fresh, 600 * MS);
    NodeId d = node(4);
    sent().clear();
    tree.neighborUp(d, 1_500 * MS);
    tree.onTimer(new BroadcastTimer.DispatchLazyPush(), 1_505 * MS);
    // The old one (1.5 s ago) is not announced; the fresh one (0.9 s ago) is, at its round.
    assertThat(sentTo(d)).containsExactly(
        new IHave(List.of(new Announcement(fresh.id(), 1))));
  }

  @Test
  void anIHaveForAMessageAlreadySeenIsIgnored() {
    Push g = gossip("seen", 1, 0);
    tree.handle(a, g, 0);
    scheduled().clear();
    tree.handle(b, new IHave(List.of(new Announcement(g.id(), 1))), 1);
    assertThat(scheduled()).noneMatch(s -> s.timer() instanceof BroadcastTimer.GraftTimeout);
  }

  @Test
  void graftIsAnsweredFromThePayloadCacheAndMakesThePeerEager() {
    Push g = gossip("cached", 1, 0);
    tree.handle(a, g, 0);
    tree.handle(b, new Prune(origin), 0);
    sent().clear();
    tree.handle(b, new Graft(g.id(), 1, true), 10 * MS);
    assertThat(sentTo(b)).containsExactly(g.withRound(1));
    assertThat(tree.eagerPeers(origin)).contains(b);
  }

  @Test
  void graftForAnUnknownIdSendsNothing() {
    tree.handle(b, new Graft(MessageId.of(new byte[32]), 1, true), 0);
    assertThat(sent()).isEmpty();
    assertThat(tree.stats().graftMisses()).isEqualTo(1);
  }

  @Test
  void treeOptimizationFiresWhenTheLazyPathIsShorterByTheThreshold() {
    tree.handle(b, new Prune(origin), 0);
    Push g = gossip("far", 1, 9);
    // b announced it at round 2, a delivers it at round 9: 7 rounds apart, the threshold.
    tree.handle(b, new IHave(List.of(new Announcement(g.id(), 2))), 0);
    tree.handle(a, g, 1 * MS);
    assertThat(sentTo(b)).contains(new Graft(g.id(), 2, false));
    assertThat(sentTo(a)).contains(new Prune(origin));
    assertThat(tree.eagerPeers(origin)).contains(b).doesNotContain(a);
    assertThat(tree.lazyPeers(origin)).contains(a);
    assertThat(tree.stats().optimizations()).isEqualTo(1);
  }

  @Test
  void treeOptimizationDoesNotFireBelowTheThreshold() {
    tree.handle(b, new Prune(origin), 0);
    Push g = gossip("near", 1, 8);
    tree.handle(b, new IHave(List.of(new Announcement(g.id(), 2))), 0);
    tree.handle(a, g, 1 * MS);
    assertThat(sentTo(b)).noneMatch(m -> m instanceof Graft);
    assertThat(tree.eagerPeers(origin)).contains(a);
    assertThat(tree.stats().optimizations()).isZero();
  }

  @Test
  void aGossipWhoseIdDoesNotMatchItsContentIsDropped() {
    Push real = gossip("real", 1, 0);
    Push spoofed = new Push(real.id(), origin, 1, 0, Scope.SWARM,
        "forged".getBytes(StandardCharsets.UTF_8));
    tree.handle(a, spoofed, 0);
    assertThat(delivered()).isEmpty();
    assertThat(sent()).isEmpty();
    assertThat(tree.stats().invalidIds()).isEqualTo(1);
    // The real one is still accepted afterwards: the forgery did not poison the seen cache.
    tree.handle(b, real, 1);
    assertThat(delivered()).hasSize(1);
  }

  @Test
  void theSamePayloadBroadcastTwiceGetsTwoIds() {
    byte[] payload = "again".getBytes(StandardCharsets.UTF_8);
    MessageId first = tree.broadcast(payload, Scope.SWARM, 0);
    MessageId second = tree.broadcast(payload, Scope.SWARM, 0);
    assertThat(first).isNotEqualTo(second);
    assertThat(sentTo(a)).hasSize(2);
  }

  @Test
  void neighborScopeGoesToEveryNeighborAndIsNotForwarded() {
    tree.handle(c, new Prune(origin), 0);
    tree.broadcast("hi".getBytes(StandardCharsets.UTF_8), Scope.NEIGHBORS, 0);
    assertThat(sent()).extracting(Sent::to).containsExactlyInAnyOrder(a, b, c);
    sent().clear();
    byte[] payload = "near".getBytes(StandardCharsets.UTF_8);
    Push g = new Push(ids.of(TOPIC, origin, 3, payload), origin, 3, 0, Scope.NEIGHBORS,
        payload);
    tree.handle(a, g, 1);
    assertThat(delivered()).singleElement().satisfies(d -> assertThat(d.gossip().scope())
        .isEqualTo(Scope.NEIGHBORS));
    assertThat(sent()).isEmpty();
  }

  @Test
  void seenIdsExpireAfterTheirRetentionAndTheSweepStopsWhenEmpty() {
    PlumTreeConfig config = PlumTreeConfig.defaults();
    Push g = gossip("ttl", 1, 0);
    tree.handle(a, g, 0);
    assertThat(tree.stats().seenCacheSize()).isEqualTo(1);
    assertThat(tree.stats().payloadCacheSize()).isEqualTo(1);
    long payloadExpiry = config.payloadCacheRetention().toNanos();
    tree.onTimer(new BroadcastTimer.EvictCaches(), payloadExpiry);
    assertThat(tree.stats().payloadCacheSize()).isZero();
    assertThat(tree.stats().seenCacheSize()).isEqualTo(1);
    long seenExpiry = config.seenCacheRetention().toNanos();
    scheduled().clear();
    tree.onTimer(new BroadcastTimer.EvictCaches(), seenExpiry);
    assertThat(tree.stats().seenCacheSize()).isZero();
    assertThat(scheduled()).isEmpty();
    // Once forgotten, the same message is new again.
    tree.handle(b, g, seenExpiry + 1);
    assertThat(delivered()).hasSize(2);
  }

  @Test
  void cachesNeverPassTheirCountAndByteBounds() {
    PlumTree bounded = newTree(perOrigin()
        .seenCacheCapacity(100).payloadCacheCapacity(50).payloadCacheMaxBytes(1000).build());
    up(bounded, a, 0);
    for (int i = 0; i < 1000; i++) {
      Push g = gossip("payload number " + i, i, 0);
      bounded.handle(a, g, i);
      PlumTreeStats s = bounded.stats();
      assertThat(s.seenCacheSize()).isLessThanOrEqualTo(100);
      assertThat(s.payloadCacheSize()).isLessThanOrEqualTo(50);
      assertThat(s.payloadCacheBytes()).isLessThanOrEqualTo(1000);
    }
    assertThat(bounded.stats().seenCacheSize()).isEqualTo(100);
  }

  @Test
  void missingMessagesAndLazyQueuesStayWithinTheirBounds() {
    // One neighbor may fill the whole table here: the bound under test is the table's own.
    PlumTree bounded = newTree(perOrigin()
        .missingCapacity(10).missingPerNeighbor(10).lazyQueueCapacity(5).build());
    up(bounded, a, 0);
    up(bounded, b, 0);
    bounded.handle(a, new Prune(origin), 0);
    List<Announcement> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] id = new byte[32];
      id[0] = (byte) i;
      id[1] = 1;
      many.add(new Announcement(MessageId.of(id), 1));
    }
    bounded.handle(a, new IHave(many), 0);
    assertThat(bounded.stats().missing()).isEqualTo(10);
    assertThat(bounded.stats().missingDropped()).isEqualTo(90);
    for (int i = 0; i < 20; i++) {
      bounded.handle(b, gossip("x" + i, i, 0), 1);
    }
    sent().clear();
    bounded.onTimer(new BroadcastTimer.DispatchLazyPush(), 2);
    int queued = sent().stream().filter(s -> s.to().equals(a))
        .mapToInt(s -> ((IHave) s.message()).announcements().size()).sum();
    assertThat(queued).isEqualTo(5);
    assertThat(bounded.stats().announcementsDropped()).isEqualTo(15);
  }

  @Test
  void ourOwnMessageComingBackIsADuplicate() {
    MessageId id = tree.broadcast("mine".getBytes(StandardCharsets.UTF_8), Scope.SWARM, 0);
    Push echo = (Push) sentTo(a).get(0);
    assertThat(echo.id()).isEqualTo(id);
    tree.handle(a, echo.withRound(3), 1);
    assertThat(delivered()).isEmpty();
    assertThat(tree.lazyPeers(me)).contains(a);
  }

  @Test
  void aDownNeighborIsForgottenAndNotGrafted() {
    Push g = gossip("gone", 1, 1);
    tree.handle(a, new Prune(origin), 0);
    tree.handle(a, new IHave(List.of(new Announcement(g.id(), 1))), 0);
    tree.neighborDown(a, NeighborDownReason.FAILED, 0);
    assertThat(tree.eagerPeers(origin)).doesNotContain(a);
    assertThat(tree.lazyPeers(origin)).doesNotContain(a);
    tree.onTimer(lastGraftTimer(), 80 * MS);
    assertThat(sent()).noneMatch(s -> s.message() instanceof Graft);
    assertThat(tree.stats().graftsExhausted()).isEqualTo(1);
    assertThat(tree.stats().missing()).isZero();
  }

  @Test
  void strangersCannotGraftOrAnnounce() {
    NodeId stranger = node(42);
    tree.handle(stranger, new IHave(List.of(new Announcement(gossip("s", 1, 0).id(), 1))), 0);
    tree.handle(stranger, new Graft(gossip("s", 1, 0).id(), 0, false), 0);
    assertThat(scheduled()).isEmpty();
    assertThat(tree.eagerPeers(origin)).doesNotContain(stranger);
  }

  @Test
  void graftTimeoutsUseTheConfiguredDurations() {
    PlumTree custom = newTree(perOrigin()
        .graftTimeout1(Duration.ofMillis(200)).build());
    up(custom, a, 0);
    custom.handle(a, new IHave(List.of(new Announcement(gossip("c", 1, 0).id(), 1))), 0);
    assertThat(scheduled()).singleElement().extracting(Scheduled::delayNanos)
        .isEqualTo(200 * MS);
  }

  @Test
  void eachOriginHasItsOwnTree() {
    NodeId other = node(8);
    Push fromOrigin = gossip("o", 1, 0);
    tree.handle(a, fromOrigin, 0);
    tree.handle(b, fromOrigin.withRound(1), 1);
    assertThat(sentTo(b)).contains(new Prune(origin));
    assertThat(tree.lazyPeers(origin)).containsExactly(b);
    // Another origin's tree, already in use, is not touched by that prune.
    byte[] payload = "x".getBytes(StandardCharsets.UTF_8);
    Push early = new Push(ids.of(TOPIC, other, 1, payload), other, 1, 0, Scope.SWARM, payload);
    tree.handle(c, early, 2);
    tree.handle(b, new Graft(early.id(), 1, false), 3);
    assertThat(tree.eagerPeers(other)).contains(b);
    tree.handle(b, new Prune(origin), 4);
    assertThat(tree.eagerPeers(other)).contains(b);
    assertThat(tree.lazyPeers(origin)).containsExactly(b);
  }

  @Test
  void aGraftPutsTheSenderBackInTheTreeOfTheMessagesOrigin() {
    Push g = gossip("tree", 1, 0);
    tree.handle(a, g, 0);
    tree.handle(b, new Prune(origin), 1);
    assertThat(tree.lazyPeers(origin)).containsExactly(b);
    sent().clear();
    tree.handle(b, new Graft(g.id(), 1, false), 2);
    assertThat(tree.eagerPeers(origin)).contains(b);
    assertThat(sent()).isEmpty(); // no resend asked
  }

  @Test
  void originTreesAreBoundedAndAForgottenOneStartsFromTheSharedTree() {
    PlumTree bounded = newTree(perOrigin().maxTrees(4).build());
    up(bounded, a, 0);
    up(bounded, b, 0);
    for (int i = 0; i < 10; i++) {
      NodeId o = node(100 + i);
      byte[] p = ("m" + i).getBytes(StandardCharsets.UTF_8);
      bounded.handle(a, new Push(ids.of(TOPIC, o, i, p), o, i, 0, Scope.SWARM, true,
          Optional.empty(), p), i);
      assertThat(bounded.trees()).isLessThanOrEqualTo(4);
    }
    assertThat(bounded.trees()).isEqualTo(4);
  }

  @Test
  void theTreeForgottenFirstIsTheOneLeastRecentlyUsed() {
    PlumTree bounded = newTree(perOrigin().maxTrees(2).build());
    up(bounded, a, 0);
    up(bounded, b, 0);
    NodeId o1 = node(101);
    NodeId o2 = node(102);
    NodeId o3 = node(103);
    Push first = gossipFrom(o1, 1);
    bounded.handle(a, first, 1);
    bounded.handle(b, first, 2); // a duplicate: b is pruned for o1
    assertThat(bounded.lazyPeers(o1)).containsExactly(b);
    Push second = gossipFrom(o2, 2);
    bounded.handle(b, second, 3);
    bounded.handle(a, second, 4); // a is pruned for o2
    assertThat(bounded.lazyPeers(o2)).containsExactly(a);
    bounded.handle(a, gossipFrom(o1, 3), 5); // o1's tree is used again, after o2's
    bounded.handle(a, gossipFrom(o3, 4), 6); // a third tree: the least recent one goes
    assertThat(bounded.trees()).isEqualTo(2);
    assertThat(bounded.lazyPeers(o1)).containsExactly(b);
    assertThat(bounded.lazyPeers(o2)).isEqualTo(bounded.lazyPeers(node(104))); // the shared one
  }

  private Push gossipFrom(NodeId origin, int nonce) {
    byte[] p = ("n" + nonce).getBytes(StandardCharsets.UTF_8);
    return new Push(ids.of(TOPIC, origin, nonce, p), origin, nonce, 0, Scope.SWARM, true,
        Optional.empty(), p);
  }

  // ---- the guard: origin authentication and validation -----------------------------------

  /** A tree judged by {@link #guard}, with a, b and c as eager neighbors. */
  private PlumTree guardedTree(int invalidMessageLimit) {
    PlumTree guarded = newTree(
        perOrigin().invalidMessageLimit(invalidMessageLimit).build(), guard);
    up(guarded, a, 0);
    up(guarded, b, 0);
    up(guarded, c, 0);
    return guarded;
  }

  @Test
  void ownBroadcastsCarryTheGuardsSealAndAreNotJudged() {
    PlumTree guarded = guardedTree(3);
    guarded.broadcast("mine".getBytes(StandardCharsets.UTF_8), Scope.SWARM, 0);
    Push sentGossip = (Push) sentTo(a).get(0);
    assertThat(sentGossip.seal()).contains(new Seal(sentGossip.nonce(), new byte[64]));
    assertThat(guard.judged).isEmpty();
  }

  @Test
  void anAcceptedMessageIsJudgedOnceThenDeliveredVerifiedAndForwardedWithItsSeal() {
    PlumTree guarded = guardedTree(3);
    Push g = sealed(gossip("fine", 1, 0));
    guarded.handle(a, g, 0);
    guarded.handle(b, g.withRound(1), 1);
    assertThat(guard.judged).containsExactly(g.id());
    assertThat(delivered()).containsExactly(new Delivered(g, a));
    assertThat(verified()).containsExactly(true);
    assertThat(sentTo(c)).containsExactly(g.withRound(1));
    assertThat(((Push) sentTo(c).get(0)).seal()).isEqualTo(g.seal());
  }

  @Test
  void anUnverifiedAcceptIsDeliveredSayingSo() {
    PlumTree guarded = guardedTree(3);
    guard.verdicts.put("plain", GuardDecision.ACCEPT_UNVERIFIED);
    guarded.handle(a, gossip("plain", 1, 0), 0);
    assertThat(delivered()).hasSize(1);
    assertThat(verified()).containsExactly(false);
  }

  @Test
  void aRejectedMessageIsNeitherDeliveredNorForwardedAndItsCopiesAreNotJudgedAgain() {
    PlumTree guarded = guardedTree(3);
    guard.verdicts.put("spam", GuardDecision.REJECT);
    Push g = gossip("spam", 1, 0);
    guarded.handle(a, g, 0);
    guarded.handle(b, g, 1);
    assertThat(delivered()).isEmpty();
    assertThat(sent()).noneMatch(s -> s.message() instanceof Push);
    assertThat(guard.judged).containsExactly(g.id());
    assertThat(guarded.stats().rejected()).isEqualTo(1);
    assertThat(guarded.stats().duplicates()).isEqualTo(1);
    assertThat(guarded.stats().seenCacheSize()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = GuardDecision.class, names = {"IGNORE", "REPLAY"})
  void ignoredAndReplayedMessagesAreDroppedAndSeenWithoutBlame(GuardDecision verdict) {
    PlumTree guarded = guardedTree(1);
    guard.verdicts.put("meh", verdict);
    Push g = gossip("meh", 1, 0);
    guarded.handle(a, g, 0);
    guarded.handle(a, g, 1);
    assertThat(delivered()).isEmpty();
    assertThat(sent()).noneMatch(s -> s.message() instanceof Push);
    assertThat(guard.judged).hasSize(1);
    PlumTreeStats stats = guarded.stats();
    assertThat(verdict == GuardDecision.IGNORE ? stats.ignored() : stats.replays()).isEqualTo(1);
    assertThat(expelled()).isEmpty();
    assertThat(guarded.lazyPeers(origin)).contains(a); // pruned for the duplicate, still a neighbor
  }

  @Test
  void aBadSignatureIsNotSeenSoTheGenuineCopyStillGetsThrough() {
    PlumTree guarded = guardedTree(3);
    Push genuine = sealed(gossip("contested", 1, 0));
    guard.verdicts.put("contested", GuardDecision.INVALID_SIGNATURE);
    guarded.handle(a, genuine, 0);
    assertThat(delivered()).isEmpty();
    assertThat(guarded.stats().invalidSignatures()).isEqualTo(1);
    assertThat(guarded.stats().seenCacheSize()).isZero();

    guard.verdicts.remove("contested");
    guarded.handle(b, genuine, 1);
    assertThat(delivered()).containsExactly(new Delivered(genuine, b));
    assertThat(guard.judged).hasSize(2);
  }

  @Test
  void aRefusedMessageThatWasAnnouncedIsNotGrafted() {
    PlumTree guarded = guardedTree(3);
    guard.verdicts.put("announced", GuardDecision.REJECT);
    Push g = gossip("announced", 1, 0);
    guarded.handle(b, new IHave(List.of(new Announcement(g.id(), 0))), 0);
    guarded.handle(a, g, 1);
    guarded.onTimer(lastGraftTimer(), 80 * MS);
    assertThat(sent()).noneMatch(s -> s.message() instanceof Graft);
    assertThat(guarded.stats().missing()).isZero();
  }

  @Test
  void aNeighborIsExpelledOnceItReachesTheLimitOfInvalidAndRejectedMessages() {
    PlumTree guarded = guardedTree(3);
    guard.verdicts.put("forged", GuardDecision.INVALID_SIGNATURE);
    guard.verdicts.put("spam", GuardDecision.REJECT);
    guarded.handle(a, gossip("forged", 1, 0), 0);
    guarded.handle(a, gossip("spam", 2, 0), 0);
    // Other neighbors' strikes are theirs: b's does not bring a closer to the limit.
    guarded.handle(b, gossip("forged", 3, 0), 0);
    assertThat(expelled()).isEmpty();
    guarded.handle(a, gossip("forged", 4, 0), 0);
    assertThat(expelled()).containsExactly(a);
    assertThat(guarded.eagerPeers(origin)).containsExactlyInAnyOrder(b, c);
    assertThat(guarded.stats().neighborsExpelled()).isEqualTo(1);
    // No longer a neighbor: more invalid messages from a are counted but expel nobody again.
    guarded.handle(a, gossip("forged", 5, 0), 0);
    assertThat(expelled()).containsExactly(a);
    assertThat(guarded.stats().invalidSignatures()).isEqualTo(4);
  }

  @Test
  void aNeighborThatLeftAndCameBackStartsWithoutStrikes() {
    PlumTree guarded = guardedTree(2);
    guard.verdicts.put("spam", GuardDecision.REJECT);
    guarded.handle(a, gossip("spam", 1, 0), 0);
    guarded.neighborDown(a, NeighborDownReason.QUIT, 0);
    up(guarded, a, 0);
    guarded.handle(a, gossip("spam", 2, 0), 0);
    assertThat(expelled()).isEmpty();
    guarded.handle(a, gossip("spam", 3, 0), 0);
    assertThat(expelled()).containsExactly(a);
  }

  private List<Push> toJudge() {
    drain();
    return judges;
  }

  @Test
  void aMessageJudgedElsewhereWaitsForItsJudgementAndItsCopiesThenPruneTheirSenders() {
    guard.elsewhere = true;
    PlumTree guarded = guardedTree(3);
    Push g = sealed(gossip("slow to check", 1, 0));
    guarded.handle(a, g, 0);
    guarded.handle(b, g, 1);
    assertThat(toJudge()).containsExactly(g);
    assertThat(delivered()).isEmpty();
    assertThat(sent()).isEmpty();
    assertThat(guard.judged).isEmpty();

    guarded.onJudged(g.id(), GuardDecision.ACCEPT_VERIFIED, 5 * MS);
    assertThat(delivered()).containsExactly(new Delivered(g, a));
    assertThat(verified()).containsExactly(true);
    assertThat(sentTo(c)).containsExactly(g.withRound(1));
    // b's copy, held meanwhile, is a duplicate now: b leaves this origin's tree.
    assertThat(sentTo(b)).contains(new Prune(origin));
    assertThat(guarded.eagerPeers(origin)).doesNotContain(b);
    assertThat(toJudge()).hasSize(1);
  }

  @Test
  void aForgedFirstCopyBeingJudgedCannotHideTheGenuineOneThatCameMeanwhile() {
    guard.elsewhere = true;
    PlumTree guarded = guardedTree(3);
    Push genuine = sealed(gossip("contested", 1, 0));
    Push forged = new Push(genuine.id(), genuine.origin(), genuine.nonce(), 0, Scope.SWARM,
        Optional.of(new Seal(genuine.nonce(), new byte[64])), genuine.payload());
    guarded.handle(a, forged, 0);
    guarded.handle(b, genuine, 1);
    assertThat(toJudge()).containsExactly(forged);

    guarded.onJudged(genuine.id(), GuardDecision.INVALID_SIGNATURE, 2);
    assertThat(delivered()).isEmpty();
    assertThat(guarded.stats().invalidSignatures()).isEqualTo(1);
    assertThat(toJudge()).containsExactly(forged, genuine);

    guarded.onJudged(genuine.id(), GuardDecision.ACCEPT_VERIFIED, 3);
    assertThat(delivered()).containsExactly(new Delivered(genuine, b));
    // A stale decision (the message is decided already) changes nothing.
    guarded.onJudged(genuine.id(), GuardDecision.ACCEPT_VERIFIED, 4);
    assertThat(delivered()).hasSize(1);
  }

  @Test
  void messagesWaitingForTheirJudgementAreBoundedAndNeitherSeenNorLost() {
    guard.elsewhere = true;
    PlumTree bounded = newTree(perOrigin().missingCapacity(2).build(), guard);
    up(bounded, a, 0);
    for (int i = 0; i < 5; i++) {
      bounded.handle(a, sealed(gossip("m" + i, i, 0)), i);
    }
    assertThat(toJudge()).hasSize(2);
    assertThat(bounded.stats().missingDropped()).isEqualTo(3);
    // A dropped one was not marked seen: its next copy is judged once there is room.
    bounded.onJudged(toJudge().get(0).id(), GuardDecision.ACCEPT_VERIFIED, 10);
    bounded.handle(a, sealed(gossip("m4", 4, 0)), 11);
    assertThat(toJudge()).hasSize(3);
  }

  @Test
  void aGraftWaitsWhileACopyOfTheMissingMessageIsJudged() {
    guard.elsewhere = true;
    PlumTree guarded = guardedTree(3);
    Push g = sealed(gossip("announced", 1, 0));
    guarded.handle(c, new IHave(List.of(new Announcement(g.id(), 0))), 0);
    guarded.handle(a, g, 1);
    guarded.onTimer(lastGraftTimer(), 80 * MS);
    assertThat(sent()).noneMatch(s -> s.message() instanceof Graft);

    // The copy was forged: the next timer grafts the announcer after all.
    guarded.onJudged(g.id(), GuardDecision.INVALID_SIGNATURE, 90 * MS);
    guarded.onTimer(lastGraftTimer(), 120 * MS);
    assertThat(sentTo(c)).containsExactly(new Graft(g.id(), 0, true));
  }

  private static Push sealed(Push g) {
    return new Push(g.id(), g.origin(), g.nonce(), g.round(), g.scope(), g.ownTree(),
        Optional.of(new Seal(42L, new byte[64])), g.payload());
  }

  // ---- the shared tree and the own-tree flag ------------------------------------------

  @Test
  void aMessageOnTheSharedTreeGoesToTreeLinksOnlyAndItsDuplicatesPruneNothing() {
    PlumTree t = newTree(PlumTreeConfig.defaults());
    up(t, a, 0);
    t.neighborUp(b, 0);
    t.neighborUp(c, 0);
    // b and c follow our root but took someone else as parent: not tree links here.
    t.handle(b, new BroadcastMessage.Tree(me, 0, 2, true, false), 0);
    t.handle(c, new BroadcastMessage.Tree(me, 0, 2, true, false), 0);
    assertThat(t.sharedTreeLinks()).containsExactly(a);
    Push g = sharedGossip("shared", 1, 3);
    t.handle(b, g, 1);
    assertThat(sentTo(a)).containsExactly(g.withRound(4));
    assertThat(sentTo(c)).isEmpty(); // announced after the dispatch interval
    t.onTimer(new BroadcastTimer.DispatchLazyPush(), 6 * MS);
    assertThat(sentTo(c)).containsExactly(new IHave(List.of(new Announcement(g.id(), 4))));
    t.handle(c, g.withRound(5), 7 * MS);
    assertThat(t.stats().duplicates()).isEqualTo(1);
    assertThat(sent()).noneMatch(s -> s.message() instanceof Prune);
    assertThat(t.trees()).isZero();
  }

  @Test
  void aMessageWithTheOwnTreeFlagStartsItsOriginsTreeWithEveryNeighborEager() {
    PlumTree t = newTree(PlumTreeConfig.defaults());
    up(t, a, 0);
    t.neighborUp(b, 0);
    t.handle(b, new BroadcastMessage.Tree(me, 0, 2, true, false), 0);
    Push g = gossip("own", 1, 0);
    t.handle(a, g, 1);
    assertThat(t.hasOwnTree(origin)).isTrue();
    assertThat(sentTo(b)).containsExactly(g.withRound(1)); // the flood that builds the tree
    t.handle(b, g.withRound(2), 2);
    assertThat(sentTo(b)).contains(new Prune(origin));
    assertThat(t.lazyPeers(origin)).containsExactly(b);
  }

  @Test
  void ourBroadcastsTakeOurOwnTreeOnceEnoughFallWithinTheWindow() {
    PlumTree t = newTree(PlumTreeConfig.builder().ownTreeAfter(3)
        .ownTreeWindow(Duration.ofSeconds(1)).build());
    up(t, a, 0);
    List<Boolean> flags = new ArrayList<>();
    long[] times = {0, 100 * MS, 200 * MS, 300 * MS, 5_000 * MS, 5_100 * MS, 7_000 * MS};
    for (long now : times) {
      sent().clear();
      t.broadcast("x".getBytes(StandardCharsets.UTF_8), Scope.SWARM, now);
      flags.add(((Push) sentTo(a).get(0)).ownTree());
    }
    // The third within a second, and the fourth; after a pause the count starts over.
    assertThat(flags).containsExactly(false, false, true, true, false, false, false);
  }

  @Test
  void treeSettingsThatCannotWorkFailAtBuildTimeNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlumTreeConfig.builder()
            .treeBeaconInterval(Duration.ofSeconds(2)).treeRootTimeout(Duration.ofSeconds(3))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PlumTreeConfig.treeRootTimeout");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlumTreeConfig.builder()
            .ownTreeAfter(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PlumTreeConfig.ownTreeAfter");
  }
}
