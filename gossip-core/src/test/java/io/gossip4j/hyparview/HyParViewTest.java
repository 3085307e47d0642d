package io.gossip4j.hyparview;

import io.gossip4j.config.HyParViewConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HyParViewTest {
  private static final PeerData MY_DATA = PeerData.of(new byte[] {1, 2, 3});
  private static final HyParViewConfig CONFIG = HyParViewConfig.builder()
      .activeViewCapacity(3)
      .passiveViewCapacity(5)
      .activeRandomWalkLength(4)
      .passiveRandomWalkLength(2)
      .shuffleRandomWalkLength(3)
      .shuffleActiveViewCount(1)
      .shufflePassiveViewCount(2)
      .build();

  private record Sent(NodeId to, MembershipMessage message) {}

  private record Down(NodeId peer, NeighborDownReason reason) {}

  private final List<Sent> sent = new ArrayList<>();
  private final List<MembershipTimer> timers = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final List<NodeId> ups = new ArrayList<>();
  private final List<Down> downs = new ArrayList<>();
  private final NodeId me = node(0);
  private HyParView view;

  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) n;
    bytes[1] = 7;
    return NodeId.of(bytes);
  }

  private static PeerInfo peer(int n) {
    return new PeerInfo(node(n), PeerData.of(new byte[] {(byte) n}));
  }

  @BeforeEach
  void setUp() {
    view = new HyParView(me, MY_DATA, CONFIG, new SplittableRandom(3));
  }

  /** Moves what HyParView asked for since the last look into this test's lists. */
  private void drain() {
    view.drainOutputs(output -> {
      if (output instanceof MembershipOutput.Send send) {
        sent.add(new Sent(send.to(), send.message()));
      } else if (output instanceof MembershipOutput.Schedule schedule) {
        delays.add(schedule.delayNanos());
        timers.add(schedule.timer());
      } else if (output instanceof MembershipOutput.NeighborUp up) {
        ups.add(up.peer());
      } else if (output instanceof MembershipOutput.NeighborDown down) {
        downs.add(new Down(down.peer(), down.reason()));
      }
    });
  }

  private List<Sent> sent() {
    drain();
    return sent;
  }

  private List<MembershipTimer> timers() {
    drain();
    return timers;
  }

  private List<Long> delays() {
    drain();
    return delays;
  }

  private List<NodeId> ups() {
    drain();
    return ups;
  }

  private List<Down> downs() {
    drain();
    return downs;
  }

  private List<MembershipMessage> sentTo(NodeId peer) {
    return sent().stream().filter(s -> s.to().equals(peer)).map(Sent::message).toList();
  }

  /** Makes peers active the way a contact does: they JOIN us. */
  private void activate(int... peers) {
    for (int p : peers) {
      view.handle(node(p), new Join(peer(p).data()));
    }
    sent().clear();
    ups().clear();
  }

  /** Fills the passive view through a shuffle that ends here. */
  private void passive(int... peers) {
    List<PeerInfo> nodes = new ArrayList<>();
    for (int p : peers) {
      nodes.add(peer(p));
    }
    view.handle(node(99), new ShuffleReply(nodes));
    sent().clear();
  }

  private MembershipTimer.RequestExpired lastRequestTimer() {
    for (int i = timers().size() - 1; i >= 0; i--) {
      if (timers().get(i) instanceof MembershipTimer.RequestExpired t) {
        return t;
      }
    }
    throw new AssertionError("no request timer");
  }

  @Test
  void joinSendsJoinToTheBootstrapPeerAndAddsItOnTheReply() {
    view.join(List.of(peer(1)));
    assertThat(sentTo(node(1))).containsExactly(new Join(MY_DATA));
    assertThat(view.pendingRequests()).containsExactly(node(1));
    assertThat(delays()).containsExactly(
        Duration.ofMillis(1000).toNanos(), Duration.ofMillis(500).toNanos());
    assertThat(timers().get(0)).isEqualTo(new MembershipTimer.JoinShuffle());
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    assertThat(view.activeView()).containsExactly(node(1));
    assertThat(ups()).containsExactly(node(1));
    assertThat(view.pendingRequests()).isEmpty();
  }

  @Test
  void aContactAddsTheJoinerRepliesAndForwardsTheJoinToItsOtherNeighbors() {
    activate(1, 2);
    view.handle(node(3), new Join(peer(3).data()));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(2), node(3));
    assertThat(sentTo(node(3))).containsExactly(new NeighborReply(true, MY_DATA));
    assertThat(sentTo(node(1))).containsExactly(new ForwardJoin(peer(3), 4));
    assertThat(sentTo(node(2))).containsExactly(new ForwardJoin(peer(3), 4));
  }

  @Test
  void aJoinFromAnAlreadyActivePeerIsAnsweredAgainButNotForwarded() {
    activate(1, 2);
    view.handle(node(1), new Join(peer(1).data()));
    assertThat(sentTo(node(1))).containsExactly(new NeighborReply(true, MY_DATA));
    assertThat(sentTo(node(2))).isEmpty();
    assertThat(ups()).isEmpty();
  }

  @Test
  void aJoinIntoAFullViewDropsARandomNeighborToThePassiveView() {
    activate(1, 2, 3);
    view.handle(node(4), new Join(peer(4).data()));
    assertThat(view.activeView()).hasSize(3).contains(node(4));
    assertThat(downs()).singleElement().satisfies(d -> {
      assertThat(d.reason()).isEqualTo(NeighborDownReason.REPLACED);
      assertThat(sentTo(d.peer())).containsExactly(new Disconnect(true));
      assertThat(view.passiveView()).contains(d.peer());
    });
  }

  @Test
  void forwardJoinWithTtlZeroSendsHighPriorityNeighborAndAddsOnTheReply() {
    activate(1, 2);
    view.handle(node(1), new ForwardJoin(peer(5), 0));
    assertThat(sentTo(node(5))).containsExactly(new Neighbor(Priority.HIGH, MY_DATA));
    assertThat(view.activeView()).doesNotContain(node(5));
    view.handle(node(5), new NeighborReply(true, peer(5).data()));
    assertThat(view.activeView()).contains(node(5));
  }

  @Test
  void forwardJoinToALoneActiveViewIsAcceptedHere() {
    activate(1);
    view.handle(node(1), new ForwardJoin(peer(5), 3));
    assertThat(sentTo(node(5))).containsExactly(new Neighbor(Priority.HIGH, MY_DATA));
  }

  @Test
  void forwardJoinAtThePassiveWalkLengthAddsToPassiveAndWalksOn() {
    activate(1, 2);
    view.handle(node(1), new ForwardJoin(peer(5), 2));
    assertThat(view.passiveView()).contains(node(5));
    assertThat(sentTo(node(2))).containsExactly(new ForwardJoin(peer(5), 1));
    assertThat(sentTo(node(5))).isEmpty();
  }

  @Test
  void aHugeForwardJoinTtlIsClampedToOurWalkLength() {
    activate(1, 2);
    view.handle(node(1), new ForwardJoin(peer(5), Integer.MAX_VALUE));
    assertThat(sentTo(node(2))).containsExactly(new ForwardJoin(peer(5), 3));
  }

  @Test
  void lowPriorityNeighborIsRejectedWhenFullAndHighPriorityIsAccepted() {
    activate(1, 2, 3);
    view.handle(node(4), new Neighbor(Priority.LOW, peer(4).data()));
    assertThat(sentTo(node(4))).containsExactly(new NeighborReply(false, MY_DATA));
    assertThat(view.activeView()).doesNotContain(node(4));
    assertThat(view.passiveView()).contains(node(4));
    view.handle(node(5), new Neighbor(Priority.HIGH, peer(5).data()));
    assertThat(sentTo(node(5))).containsExactly(new NeighborReply(true, MY_DATA));
    assertThat(view.activeView()).hasSize(3).contains(node(5));
  }

  @Test
  void lowPriorityNeighborIsAcceptedWithRoom() {
    activate(1);
    view.handle(node(4), new Neighbor(Priority.LOW, peer(4).data()));
    assertThat(sentTo(node(4))).containsExactly(new NeighborReply(true, MY_DATA));
    assertThat(view.activeView()).contains(node(4));
  }

  @Test
  void aFailedActiveNeighborIsReplacedFromThePassiveView() {
    activate(1, 2, 3);
    passive(6);
    view.onPeerLost(node(2));
    assertThat(downs()).containsExactly(new Down(node(2), NeighborDownReason.FAILED));
    assertThat(sentTo(node(6))).containsExactly(new Neighbor(Priority.LOW, MY_DATA));
    view.handle(node(6), new NeighborReply(true, peer(6).data()));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(3), node(6));
    assertThat(view.passiveView()).doesNotContain(node(2), node(6));
  }

  @Test
  void aViewLeftWithOneNeighborAsksWithHighPriorityToo() {
    activate(1, 2, 3);
    passive(6, 7);
    view.onPeerLost(node(2));
    assertThat(sent()).singleElement()
        .isEqualTo(new Sent(sent().get(0).to(), new Neighbor(Priority.LOW, MY_DATA)));
    sent().clear();
    view.onPeerLost(node(1));
    // One more failure would isolate it: it must not wait behind full peers' refusals.
    assertThat(sent()).singleElement()
        .isEqualTo(new Sent(sent().get(0).to(), new Neighbor(Priority.HIGH, MY_DATA)));
  }

  @Test
  void anEmptyActiveViewAsksWithHighPriority() {
    activate(1, 2, 3);
    passive(6, 7, 8);
    view.onPeerLost(node(1));
    view.onPeerLost(node(2));
    sent().clear();
    view.onPeerLost(node(3));
    assertThat(sent()).singleElement()
        .isEqualTo(new Sent(sent().get(0).to(), new Neighbor(Priority.HIGH, MY_DATA)));
  }

  @Test
  void aViewWithFreeSlotsAsksThePeersAShuffleBringsAtOnce() {
    activate(1);
    view.handle(node(1), new ShuffleReply(List.of(peer(6), peer(7))));
    // Two free slots, one neighbor: HIGH, as one failure would isolate us.
    assertThat(sentTo(node(6))).containsExactly(new Neighbor(Priority.HIGH, MY_DATA));
    assertThat(sentTo(node(7))).containsExactly(new Neighbor(Priority.HIGH, MY_DATA));
  }

  @Test
  void aShuffleEndingAtAViewWithFreeSlotsAsksItsOrigin() {
    activate(1);
    // A node that knew only its contact: its shuffle ends here, and we link to it at once.
    view.handle(node(1), new Shuffle(peer(8), List.of(), 3));
    assertThat(sentTo(node(8))).contains(new Neighbor(Priority.HIGH, MY_DATA));
  }

  @Test
  void aFullViewOnlyRemembersThePeersAShuffleBrings() {
    activate(1, 2, 3);
    view.handle(node(1), new ShuffleReply(List.of(peer(6), peer(7))));
    assertThat(sent()).isEmpty();
    assertThat(view.passiveView()).contains(node(6), node(7));
  }

  @Test
  void aRefusedOrSilentCandidateIsFollowedByTheNextOne() {
    activate(1, 2, 3);
    passive(6, 7);
    view.onPeerLost(node(1));
    // One free slot (3 - 2 active): one request at a time per free slot.
    NodeId first = sent().get(0).to();
    NodeId second = first.equals(node(6)) ? node(7) : node(6);
    view.handle(first, new NeighborReply(false, PeerData.EMPTY));
    assertThat(sentTo(second)).containsExactly(new Neighbor(Priority.LOW, MY_DATA));
    MembershipTimer.RequestExpired timer = lastRequestTimer();
    view.onTimer(timer);
    assertThat(view.passiveView()).doesNotContain(second);
    assertThat(view.pendingRequests()).isEmpty();
    // The same timer again is stale: nothing happens.
    sent().clear();
    view.onTimer(timer);
    assertThat(sent()).isEmpty();
  }

  @Test
  void disconnectAliveMovesThePeerToPassiveAndDisconnectNotAliveForgetsIt() {
    activate(1, 2);
    view.handle(node(1), new Disconnect(true));
    view.handle(node(2), new Disconnect(false));
    assertThat(downs()).containsExactly(
        new Down(node(1), NeighborDownReason.DISCONNECTED),
        new Down(node(2), NeighborDownReason.QUIT));
    assertThat(view.activeView()).isEmpty();
    assertThat(view.passiveView()).containsExactly(node(1));
  }

  @Test
  void theShuffleTimerSendsASampleOfBothViewsToAnActivePeer() {
    view.start();
    activate(1, 2);
    passive(6, 7, 8);
    view.onTimer(new MembershipTimer.Shuffle());
    List<Sent> shuffles = sent().stream().filter(s -> s.message() instanceof Shuffle).toList();
    assertThat(shuffles).singleElement().satisfies(s -> {
      Shuffle shuffle = (Shuffle) s.message();
      assertThat(shuffle.origin()).isEqualTo(new PeerInfo(me, MY_DATA));
      assertThat(shuffle.ttl()).isEqualTo(3);
      // ka = 1 active (not the target), kp = 2 passive.
      assertThat(shuffle.nodes()).hasSize(3).doesNotContain(new PeerInfo(s.to(), PeerData.EMPTY));
    });
    assertThat(timers().stream().filter(t -> t instanceof MembershipTimer.Shuffle)).hasSize(2);
  }

  @Test
  void aShuffleWithWalkLeftIsForwardedToAnotherActivePeer() {
    activate(1, 2);
    view.handle(node(1), new Shuffle(peer(9), List.of(peer(10)), 2));
    assertThat(sentTo(node(2))).containsExactly(new Shuffle(peer(9), List.of(peer(10)), 1));
  }

  @Test
  void aShuffleEndingHereIsAnsweredAndMergedPreferringToEvictWhatWeSent() {
    activate(1);
    passive(20, 21, 22, 23, 24);
    view.handle(node(1), new Shuffle(peer(9), List.of(peer(10), peer(11)), 0));
    List<MembershipMessage> replies = sentTo(node(9));
    assertThat(replies).singleElement().isInstanceOfSatisfying(ShuffleReply.class, reply -> {
      assertThat(reply.nodes()).hasSize(2);
      // The passive view is full: what we sent away made room for what we received.
      assertThat(view.passiveView()).hasSize(5).contains(node(9), node(10), node(11));
      for (PeerInfo p : reply.nodes()) {
        assertThat(view.passiveView()).doesNotContain(p.id());
      }
    });
  }

  @Test
  void aShuffleReplyMergesIntoThePassiveViewEvictingWhatWeSentFirst() {
    view.start();
    activate(1, 2);
    passive(20, 21, 22, 23, 24);
    view.onTimer(new MembershipTimer.Shuffle());
    Shuffle shuffle = (Shuffle) sent().stream().filter(s -> s.message() instanceof Shuffle)
        .findFirst().orElseThrow().message();
    List<NodeId> sentPassive = shuffle.nodes().stream().map(PeerInfo::id)
        .filter(id -> !id.equals(node(1)) && !id.equals(node(2))).toList();
    view.handle(node(30), new ShuffleReply(List.of(peer(31), peer(32))));
    assertThat(view.passiveView()).contains(node(31), node(32)).doesNotContainAnyElementsOf(
        sentPassive);
  }

  @Test
  void aShuffleWithTooManyNodesIsCutToThePassiveViewSize() {
    activate(1);
    List<PeerInfo> many = new ArrayList<>();
    for (int i = 10; i < 60; i++) {
      many.add(peer(i));
    }
    view.handle(node(1), new Shuffle(peer(9), many, 0));
    assertThat(view.passiveView()).hasSize(5);
  }

  @Test
  void quitSendsDisconnectNotAliveToEveryNeighbor() {
    activate(1, 2);
    view.quit();
    assertThat(sentTo(node(1))).containsExactly(new Disconnect(false));
    assertThat(sentTo(node(2))).containsExactly(new Disconnect(false));
    assertThat(view.activeView()).isEmpty();
    assertThat(view.needs(node(1))).isFalse();
  }

  @Test
  void whenEveryKnownPeerRefusesTheNextShuffleAsksOneWithHighPriority() {
    view.start();
    activate(1, 2);
    passive(6);
    view.onPeerLost(node(1));
    view.handle(node(6), new NeighborReply(false, PeerData.EMPTY));
    sent().clear();
    view.onTimer(new MembershipTimer.Shuffle());
    assertThat(sentTo(node(6))).contains(new Neighbor(Priority.HIGH, MY_DATA));
  }

  @Test
  void anUnsolicitedAcceptWithoutRoomIsUndone() {
    activate(1, 2, 3);
    view.handle(node(4), new NeighborReply(true, PeerData.EMPTY));
    assertThat(sentTo(node(4))).containsExactly(new Disconnect(true));
    assertThat(view.activeView()).doesNotContain(node(4));
  }

  @Test
  void isolatedNodeJoinsItsBootstrapPeersAgainOnTheShuffleTimer() {
    view.start();
    view.join(List.of(peer(1)));
    view.onTimer(lastRequestTimer());
    assertThat(view.pendingRequests()).isEmpty();
    sent().clear();
    view.onTimer(new MembershipTimer.Shuffle());
    assertThat(sentTo(node(1))).containsExactly(new Join(MY_DATA));
  }

  @Test
  void aJoinedNodeShufflesOnceEarlyToFillItsPassiveView() {
    view.join(List.of(peer(1)));
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    passive(5);
    view.onTimer(new MembershipTimer.JoinShuffle());
    assertThat(sentTo(node(1))).singleElement().isInstanceOf(Shuffle.class);
    // It has a peer to fall back on: not periodic, no new shuffle timer.
    assertThat(timers()).filteredOn(t -> t instanceof MembershipTimer.JoinShuffle).hasSize(1);
  }

  @Test
  void aJoinedNodeWithNoPeerToFallBackOnShufflesAgainBackingOffUntilTheShuffleInterval() {
    // Its contact knew nobody else yet: should the one link fail, it could not rejoin the rest.
    view.join(List.of(peer(1)));
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    long timeout = CONFIG.neighborRequestTimeout().toNanos();
    List<Long> next = new ArrayList<>();
    MembershipTimer.JoinShuffle timer = new MembershipTimer.JoinShuffle();
    while (true) {
      sent().clear();
      timers().clear();
      delays().clear();
      view.onTimer(timer);
      assertThat(sentTo(node(1))).singleElement().isInstanceOf(Shuffle.class);
      int i = timers().indexOf(new MembershipTimer.JoinShuffle(timer.attempt() + 1));
      if (i < 0) {
        break;
      }
      next.add(delays().get(i));
      timer = (MembershipTimer.JoinShuffle) timers().get(i);
    }
    List<Long> expected = new ArrayList<>();
    for (long d = 4 * timeout; d < CONFIG.shuffleInterval().toNanos(); d *= 2) {
      expected.add(d);
    }
    assertThat(expected).isNotEmpty();
    assertThat(next).isEqualTo(expected);
  }

  @Test
  void withRotationAFullNodeAsksAPassivePeerEveryNShufflesSoPartitionsCanHeal() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().activeRotationShuffles(3).build(),
        new SplittableRandom(3));
    activate(1, 2, 3);
    passive(4, 5);
    List<Neighbor> requests = new ArrayList<>();
    for (int shuffle = 1; shuffle <= 6; shuffle++) {
      sent().clear();
      view.onTimer(new MembershipTimer.Shuffle());
      List<Neighbor> now = sent().stream().filter(s -> s.message() instanceof Neighbor)
          .filter(s -> s.to().equals(node(4)) || s.to().equals(node(5)))
          .map(s -> (Neighbor) s.message()).toList();
      requests.addAll(now);
      assertThat(now).as("requests at shuffle %d", shuffle).hasSize(shuffle % 3 == 0 ? 1 : 0);
      if (!now.isEmpty()) {
        view.onTimer(lastRequestTimer()); // unanswered: the next rotation may go ahead
      }
    }
    // HIGH: the passive peer's view is full too, or it would refuse and nothing would change.
    assertThat(requests).hasSize(2).allMatch(n -> n.priority() == Priority.HIGH);
  }

  @Test
  void withoutRotationAFullNodeNeverAsksAnyone() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().activeRotationShuffles(0).build(),
        new SplittableRandom(3));
    activate(1, 2, 3);
    passive(4, 5);
    sent().clear();
    for (int shuffle = 0; shuffle < 20; shuffle++) {
      view.onTimer(new MembershipTimer.Shuffle());
    }
    assertThat(sent()).noneMatch(s -> s.message() instanceof Neighbor);
  }

  @Test
  void aNodeShortOfNeighborsWithAnEmptyPassiveViewJoinsItsBootstrapPeersAgain() {
    view.join(List.of(peer(1), peer(2)));
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    view.onPeerLost(node(2)); // its request failed: node 2 is forgotten
    assertThat(view.activeView()).containsExactly(node(1));
    assertThat(view.passiveView()).isEmpty();
    sent().clear();
    view.onTimer(new MembershipTimer.Shuffle());
    // A pair that only knows each other would stay cut off: node 2 is asked again.
    assertThat(sentTo(node(2))).containsExactly(new Join(MY_DATA));
    assertThat(sentTo(node(1))).noneMatch(m -> m instanceof Join);
  }

  @Test
  void theRefusedSetNeverHoldsMoreThanAPassiveView() {
    activate(1, 2);
    for (int i = 0; i < 200; i++) {
      view.handle(node(10 + i % 100), new NeighborReply(false, PeerData.EMPTY));
      view.handle(node(10 + i % 100), new Disconnect(true));
      assertThat(view.refusedCount()).isLessThanOrEqualTo(CONFIG.passiveViewCapacity());
    }
  }

  @Test
  void theBootstrapListKeptForRejoiningHoldsAtMostAPassiveView() {
    List<PeerInfo> many = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      many.add(peer(i));
    }
    view.join(many);
    assertThat(view.bootstrapPeers()).hasSize(CONFIG.passiveViewCapacity());
    assertThat(view.pendingRequests()).hasSize(CONFIG.activeViewCapacity());
    assertThat(view.passiveView()).hasSize(CONFIG.passiveViewCapacity());
  }

  @Test
  void aFailedJoinIsRetriedForAsLongAsWeKnowNobodyBackingOffToTheProbeInterval() {
    view.join(List.of(peer(1)));
    long timeout = CONFIG.neighborRequestTimeout().toNanos();
    long cap = CONFIG.maxProbeInterval().toNanos();
    List<Long> retryDelays = new ArrayList<>();
    for (int attempt = 0; attempt < 12; attempt++) {
      view.onPeerLost(node(1)); // refused: e.g. over the peer's handshake cap
      int joinShuffle = lastIndexOf(MembershipTimer.JoinShuffle.class);
      MembershipTimer timer = timers().remove(joinShuffle);
      retryDelays.add(delays().remove(joinShuffle));
      sent().clear();
      view.onTimer(timer);
      // Never given up: a network that was down a while is tried again within seconds.
      assertThat(sentTo(node(1))).containsExactly(new Join(MY_DATA));
    }
    // 1 s first, then doubling but jittered to between half and all of it, up to 4 s.
    assertThat(retryDelays.get(0)).isEqualTo(2 * timeout);
    for (int i = 1; i < retryDelays.size(); i++) {
      long full = Math.min(2 * timeout << i, cap);
      assertThat(retryDelays.get(i)).as("retry %d", i).isBetween(full / 2, full);
    }
    assertThat(retryDelays.subList(4, retryDelays.size())).allSatisfy(
        d -> assertThat(d).isBetween(cap / 2, cap));
  }

  // ---- lost peers ------------------------------------------------------------------------

  /** Fires the last probe round scheduled and returns its delay. */
  private long fireProbeRound() {
    int i = lastIndexOf(MembershipTimer.ProbeLost.class);
    assertThat(i).as("a probe round scheduled").isNotNegative();
    MembershipTimer timer = timers().remove(i);
    long delay = delays().remove(i);
    sent().clear();
    view.onTimer(timer);
    return delay;
  }

  /** Lets every request out time out, as to a peer across a cut. */
  private void expireRequests() {
    for (MembershipTimer t : List.copyOf(timers())) {
      if (t instanceof MembershipTimer.RequestExpired) {
        view.onTimer(t);
      }
    }
  }

  @Test
  void aFailedNeighborIsProbedUntilItAnswersAndThenIsANeighborAgain() {
    activate(1, 2, 3);
    view.onPeerLost(node(2));
    assertThat(view.lostPeers()).containsExactly(node(2));
    for (int round = 0; round < 5; round++) {
      fireProbeRound();
      assertThat(sentTo(node(2))).containsExactly(new Neighbor(Priority.LOW, MY_DATA));
      expireRequests(); // still cut off
      assertThat(view.lostPeers()).containsExactly(node(2));
    }
    fireProbeRound();
    view.handle(node(2), new NeighborReply(true, peer(2).data()));
    assertThat(view.activeView()).contains(node(2));
    assertThat(view.lostPeers()).isEmpty();
    fireProbeRound(); // the round already scheduled finds nobody to ask, and ends the probing
    assertThat(sent()).isEmpty();
    assertThat(lastIndexOf(MembershipTimer.ProbeLost.class)).as("no more probing").isNegative();
  }

  @Test
  void probeRoundsBackOffToTheProbeIntervalJitteredAndAskAtMostTwoPeersEach() {
    activate(1, 2, 3);
    view.onPeerLost(node(1));
    view.onPeerLost(node(2));
    view.onPeerLost(node(3));
    long timeout = CONFIG.neighborRequestTimeout().toNanos();
    long cap = CONFIG.maxProbeInterval().toNanos();
    Set<NodeId> asked = new HashSet<>();
    for (int round = 0; round < 8; round++) {
      long delay = fireProbeRound();
      long full = Math.min(2 * timeout << round, cap);
      assertThat(delay).as("round %d", round).isBetween(full / 2, full);
      List<Sent> probes = sent().stream()
          .filter(x -> x.message() instanceof Neighbor).toList();
      assertThat(probes).hasSizeLessThanOrEqualTo(HyParView.PROBES_PER_ROUND);
      probes.forEach(x -> asked.add(x.to()));
      expireRequests();
    }
    assertThat(asked).as("each lost peer gets its turn").contains(node(1), node(2), node(3));
  }

  @Test
  void aLostPeerThatAnswersFullIsAskedOnceWithHighPriorityAndThatOncePerShuffleInterval() {
    activate(1, 2, 3);
    view.onPeerLost(node(1));
    view.onPeerLost(node(2));
    fireProbeRound();
    view.handle(node(1), new NeighborReply(false, peer(1).data()));
    // The network is back: the other side must link now, even if full.
    assertThat(sentTo(node(1))).contains(new Neighbor(Priority.HIGH, MY_DATA));
    sent().clear();
    view.handle(node(2), new NeighborReply(false, peer(2).data()));
    // Budget spent: the second one only goes to the passive view.
    assertThat(sentTo(node(2))).isEmpty();
    assertThat(view.passiveView()).contains(node(2));
    assertThat(view.lostPeers()).isEmpty();
  }

  @Test
  void peersThatLeftCleanlyOrWereExpelledAreNotProbed() {
    activate(1, 2, 3);
    view.handle(node(1), new Disconnect(false)); // quit
    view.handle(node(2), new Disconnect(true)); // dropped us, alive
    view.expel(node(3));
    assertThat(view.lostPeers()).isEmpty();
    assertThat(lastIndexOf(MembershipTimer.ProbeLost.class)).isNegative();
  }

  @Test
  void aLostPeerIsProbedOnlyForTheRetention() {
    view = new HyParView(me, MY_DATA,
        CONFIG.toBuilder().lostPeerRetention(Duration.ofSeconds(30)).build(),
        new SplittableRandom(5));
    activate(1, 2);
    view.onPeerLost(node(1));
    long elapsed = 0;
    int rounds = 0;
    while (lastIndexOf(MembershipTimer.ProbeLost.class) >= 0 && rounds < 1000) {
      elapsed += fireProbeRound();
      expireRequests();
      rounds++;
    }
    assertThat(view.lostPeers()).isEmpty();
    assertThat(elapsed).isBetween(Duration.ofSeconds(30).toNanos(),
        Duration.ofSeconds(30).toNanos() + CONFIG.maxProbeInterval().toNanos());
  }

  @Test
  void lostPeersAreBoundedKeepingTheNewest() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().lostPeerCapacity(2).build(),
        new SplittableRandom(5));
    activate(1, 2, 3);
    view.onPeerLost(node(1));
    view.onPeerLost(node(2));
    view.onPeerLost(node(3));
    assertThat(view.lostPeers()).containsExactly(node(2), node(3));
  }

  private int lastIndexOf(Class<?> type) {
    for (int i = timers().size() - 1; i >= 0; i--) {
      if (type.isInstance(timers().get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aPeerWeTakeHearsItsReplyBeforeAnythingSentOnNeighborUp() {
    // The broadcast layer sends on NeighborUp (the shared tree's TREE); the peer drops that
    // unless it already knows it is our neighbor, so the reply must leave first.
    List<String> order = new ArrayList<>();
    view.handle(node(1), new Join(peer(1).data()));
    view.handle(node(2), new Neighbor(Priority.LOW, peer(2).data()));
    view.drainOutputs(output -> {
      if (output instanceof MembershipOutput.Send send
          && send.message() instanceof NeighborReply) {
        order.add("reply " + send.to().shortHex());
      } else if (output instanceof MembershipOutput.NeighborUp up) {
        order.add("up " + up.peer().shortHex());
      }
    });
    assertThat(order).containsExactly("reply " + node(1).shortHex(), "up " + node(1).shortHex(),
        "reply " + node(2).shortHex(), "up " + node(2).shortHex());
  }

  // ---- admission --------------------------------------------------------------------------

  private static final Disconnect NOT_ADMITTED = new Disconnect(Disconnect.Why.NOT_ADMITTED);

  /** Admits every node but those numbered {@code outsiders}. */
  private void admitAllBut(int... outsiders) {
    Set<NodeId> out = new HashSet<>();
    for (int n : outsiders) {
      out.add(node(n));
    }
    view.setAdmission(peer -> !out.contains(peer));
    drain();
  }

  @Test
  void aJoinOrNeighborRequestFromAPeerNotAdmittedIsRefusedWithTheReasonAndTakesNoSlot() {
    admitAllBut(5);
    view.handle(node(5), new Join(peer(5).data()));
    view.handle(node(5), new Neighbor(Priority.HIGH, peer(5).data()));
    assertThat(sentTo(node(5))).containsExactly(NOT_ADMITTED, NOT_ADMITTED);
    assertThat(view.activeView()).isEmpty();
    assertThat(view.passiveView()).isEmpty();
    assertThat(ups()).isEmpty();
  }

  @Test
  void aForwardJoinOfAnOutsiderIsNeitherTakenNorWalkedOn() {
    activate(1, 2);
    admitAllBut(5);
    // ttl at the passive walk length: an admitted joiner would go to the passive view and on.
    view.handle(node(1), new ForwardJoin(peer(5), CONFIG.passiveRandomWalkLength()));
    view.handle(node(1), new ForwardJoin(peer(5), 0));
    assertThat(sent()).isEmpty();
    assertThat(view.passiveView()).doesNotContain(node(5));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(2));
    // The same walk for an admitted joiner goes on, as a control.
    view.handle(node(1), new ForwardJoin(peer(6), CONFIG.passiveRandomWalkLength()));
    assertThat(view.passiveView()).contains(node(6));
    assertThat(sentTo(node(2))).containsExactly(
        new ForwardJoin(peer(6), CONFIG.passiveRandomWalkLength() - 1));
  }

  @Test
  void shufflesAndTheirRepliesLoseTheOutsidersAndAnOutsidersShuffleIsDropped() {
    activate(1);
    admitAllBut(5, 6);
    view.handle(node(99), new ShuffleReply(List.of(peer(5), peer(7))));
    assertThat(view.passiveView()).containsExactly(node(7));
    // A walk that ends here (one neighbor): the admitted ids are merged, the outsider is not.
    view.handle(node(1), new Shuffle(peer(8), List.of(peer(6), peer(9)), 0));
    assertThat(view.passiveView()).containsExactlyInAnyOrder(node(7), node(8), node(9));
    sent().clear();
    // A shuffle that an outsider started is neither answered nor passed on, nor merged.
    view.handle(node(1), new Shuffle(peer(5), List.of(peer(10)), 0));
    assertThat(sent()).isEmpty();
    assertThat(view.passiveView()).doesNotContain(node(5), node(10));
    // And an outsider that sends anything is refused.
    view.handle(node(6), new ShuffleReply(List.of(peer(11))));
    view.handle(node(6), new Shuffle(peer(6), List.of(peer(11)), 2));
    assertThat(sentTo(node(6))).containsExactly(NOT_ADMITTED, NOT_ADMITTED);
    assertThat(view.passiveView()).doesNotContain(node(11));
  }

  @Test
  void aNewRuleDropsTheNeighborsAndPassivePeersItRefusesAndTellsTheNeighborsWhy() {
    activate(1, 2);
    passive(3, 4);
    admitAllBut(2, 4);
    assertThat(view.activeView()).containsExactly(node(1));
    assertThat(view.passiveView()).doesNotContain(node(2), node(4)).contains(node(3));
    assertThat(downs()).containsExactly(new Down(node(2), NeighborDownReason.NOT_ADMITTED));
    assertThat(sentTo(node(2))).containsExactly(NOT_ADMITTED);
    // The free slots are asked of admitted peers only.
    assertThat(view.pendingRequests()).containsExactly(node(3));
  }

  @Test
  void aRefusalEndsTheJoinAndTheRefuserIsForgottenNotAskedAgain() {
    view.join(List.of(peer(1)));
    assertThat(sentTo(node(1))).containsExactly(new Join(MY_DATA));
    List<NodeId> refusedBy = new ArrayList<>();
    view.handle(node(1), NOT_ADMITTED);
    view.drainOutputs(output -> {
      if (output instanceof MembershipOutput.Refused r) {
        refusedBy.add(r.peer());
      }
    });
    assertThat(refusedBy).containsExactly(node(1));
    assertThat(view.pendingRequests()).isEmpty();
    assertThat(view.passiveView()).doesNotContain(node(1));
    // Shuffles do not bring it back to be asked again; a join the application asks for does.
    view.handle(node(99), new ShuffleReply(List.of(peer(1), peer(3))));
    assertThat(view.passiveView()).doesNotContain(node(1));
    view.join(List.of(peer(1)));
    assertThat(sentTo(node(1))).containsExactly(new Join(MY_DATA), new Join(MY_DATA));
    // A neighbor whose new rule refuses us goes down with that reason.
    activate(2);
    view.handle(node(2), NOT_ADMITTED);
    assertThat(view.activeView()).isEmpty();
    assertThat(view.passiveView()).doesNotContain(node(2));
    assertThat(downs()).contains(new Down(node(2), NeighborDownReason.NOT_ADMITTED));
  }

  @Test
  void bootstrapPeersTheRuleRefusesAreNotContacted() {
    admitAllBut(1);
    view.join(List.of(peer(1), peer(2)));
    assertThat(sentTo(node(1))).isEmpty();
    assertThat(sentTo(node(2))).containsExactly(new Join(MY_DATA));
  }

  // ---- views an attacker cannot take over cheaply -----------------------------------------

  @Test
  void requestsFromPeersNeverEvictTheNeighborsWeChoseOurselves() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().protectedActiveSlots(2).build(),
        new SplittableRandom(3));
    view.join(List.of(peer(1), peer(2)));
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    view.handle(node(2), new NeighborReply(true, peer(2).data()));
    // Fresh identities JOIN one after the other, each evicting a neighbor (capacity 3, two
    // protected): only the slot the peers themselves filled changes hands. (Off by default.)
    for (int n = 3; n <= 12; n++) {
      view.handle(node(n), new Join(peer(n).data()));
      assertThat(view.activeView()).contains(node(1), node(2), node(n)).hasSize(3);
    }
    // A HIGH-priority NEIGHBOR request is a peer's request too.
    view.handle(node(13), new Neighbor(Priority.HIGH, peer(13).data()));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(2), node(13));
  }

  @Test
  void atLeastOneSlotStaysEvictableWhateverIsProtected() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().protectedActiveSlots(10).build(),
        new SplittableRandom(3));
    view.join(List.of(peer(1), peer(2), peer(3)));
    for (int n = 1; n <= 3; n++) {
      view.handle(node(n), new NeighborReply(true, peer(n).data()));
    }
    view.handle(node(4), new Join(peer(4).data()));
    assertThat(view.activeView()).hasSize(3).contains(node(1), node(2), node(4));
  }

  @Test
  void inAFullPassiveViewOneSourcePushesOutNoMoreThanItsQuota() {
    view = new HyParView(me, MY_DATA,
        CONFIG.toBuilder().passivePerSource(2).build(), new SplittableRandom(3));
    activate(1);
    // Free slots are filled from any source: a node that lost most peers learns from the few
    // it has left.
    view.handle(node(90), new ShuffleReply(List.of(peer(10), peer(11), peer(12), peer(13))));
    view.handle(node(91), new ShuffleReply(List.of(peer(20))));
    assertThat(view.passiveView()).containsExactlyInAnyOrder(node(10), node(11), node(12),
        node(13), node(20));
    // Full now: source 90, past its quota, replaces its own ids and never node 91's.
    view.handle(node(90), new ShuffleReply(List.of(peer(14), peer(15), peer(16))));
    assertThat(view.passiveView()).hasSize(5).contains(node(20), node(16));
    // Shuffles that end here count against the peer that handed them on, not the origin they
    // claim: node 1, with nothing there yet, pushes out two others, then replaces its own.
    view.handle(node(1), new Shuffle(peer(30), List.of(peer(31), peer(32), peer(33)), 0));
    assertThat(view.passiveView().stream().filter(id -> List.of(node(30), node(31), node(32),
        node(33)).contains(id))).hasSize(2);
  }


  @Test
  void theProtocolsOwnRetriesDoNotAskAPeerThatRefusedUsAgain() {
    view.join(List.of(peer(1)));
    view.handle(node(1), NOT_ADMITTED);
    sent().clear();
    view.onTimer(new MembershipTimer.JoinShuffle(0));
    view.onTimer(new MembershipTimer.RetryRefill());
    view.onTimer(new MembershipTimer.Shuffle());
    assertThat(sentTo(node(1))).isEmpty();
  }

  @Test
  void aPeerThatRefusedUsAndAsksToBeANeighborAdmitsUsAgainAndIsTaken() {
    view.join(List.of(peer(1)));
    view.handle(node(1), NOT_ADMITTED);
    sent().clear();
    view.handle(node(1), new Join(peer(1).data()));
    assertThat(sentTo(node(1))).containsExactly(new NeighborReply(true, MY_DATA));
    assertThat(view.activeView()).containsExactly(node(1));
  }

  @Test
  void aJoinerNamedByAForwardJoinTakesNoProtectedSlotAndEvictsNoProtectedNeighbor() {
    view = new HyParView(me, MY_DATA, CONFIG.toBuilder().protectedActiveSlots(2).build(),
        new SplittableRandom(3));
    view.join(List.of(peer(1), peer(2)));
    view.handle(node(1), new NeighborReply(true, peer(1).data()));
    view.handle(node(2), new NeighborReply(true, peer(2).data()));
    view.handle(node(3), new Join(peer(3).data()));
    // Node 3 names a fresh joiner at the end of its walk: we ask it (HIGH), it accepts.
    view.handle(node(3), new ForwardJoin(peer(9), 0));
    assertThat(sentTo(node(9))).containsExactly(new Neighbor(Priority.HIGH, MY_DATA));
    view.handle(node(9), new NeighborReply(true, peer(9).data()));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(2), node(9));
    // However many joiners a forwarder names, the neighbors we chose stay.
    for (int n = 20; n < 30; n++) {
      view.handle(node(3), new ForwardJoin(peer(n), 0));
      view.handle(node(n), new NeighborReply(true, peer(n).data()));
      assertThat(view.activeView()).contains(node(1), node(2), node(n));
    }
    // And none of them is protected: the next peer's JOIN takes that slot, never 1's or 2's.
    view.handle(node(4), new Join(peer(4).data()));
    assertThat(view.activeView()).containsExactlyInAnyOrder(node(1), node(2), node(4));
  }
}
