package io.gossip4j.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.hyparview.MembershipTimer;
import io.gossip4j.plumtree.BroadcastGuard;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.MembershipMessage.Disconnect;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  private static final TopicId RED = TopicId.fromName("red");
  private static final TopicId BLUE = TopicId.fromName("blue");
  private static final Seal SEAL = new Seal(1234L, new byte[64]);

  private final List<Output> outputs = new ArrayList<>();
  private final NodeId me = node(1);
  private final NodeId peer = node(2);
  private Protocol protocol;
  private long now;

  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[31] = (byte) n;
    return NodeId.of(bytes);
  }

  @BeforeEach
  void setUp() {
    protocol = new Protocol(me, PeerData.of(new byte[] {9}), ProtocolConfig.defaults(),
        new SplittableRandom(1));
  }

  private void handle(Input input) {
    protocol.handle(input, now, outputs::add);
  }

  private void join(TopicId topic, NodeId... peers) {
    List<PeerInfo> bootstrap = new ArrayList<>();
    for (NodeId p : peers) {
      bootstrap.add(new PeerInfo(p, PeerData.of(new byte[] {42})));
    }
    handle(new Input.Command(topic, new TopicCommand.Join(bootstrap)));
  }

  private <T extends Output> List<T> outputsOf(Class<T> type) {
    return outputs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A protocol whose guard seals with {@link #SEAL} and gives every broadcast {@code verdict}. */
  private Protocol guardedProtocol(GuardDecision verdict) {
    BroadcastGuard guard = new BroadcastGuard() {
      @Override
      public Optional<Seal> seal(TopicId t, NodeId o, long n, Scope s, byte[] p) {
        return Optional.of(SEAL);
      }

      @Override
      public GuardDecision judge(TopicId t, Push g) {
        return verdict;
      }
    };
    return new Protocol(me, PeerData.EMPTY, ProtocolConfig.defaults(), new SplittableRandom(1),
        guard);
  }

  /** The outputs other than timers. */
  private List<Output> effects() {
    return outputs.stream().filter(o -> !(o instanceof Output.Schedule)).toList();
  }

  /** Joins {@code topic} through {@link #peer} and has it accept. */
  private void joinThroughPeer(TopicId topic) {
    join(topic, peer);
    handle(new Input.Received(peer, topic, new NeighborReply(true, PeerData.EMPTY)));
  }

  @Test
  void theFirstSendToAPeerIsPrecededByADialWithItsData() {
    join(RED, peer);
    assertThat(outputs).filteredOn(o -> !(o instanceof Output.Schedule)).containsExactly(
        new Output.Dial(peer, PeerData.of(new byte[] {42})),
        new Output.Send(peer, RED, new Join(PeerData.of(new byte[] {9}))));
  }

  @Test
  void aPeerSharedByTwoTopicsStaysConnectedUntilTheLastOneQuits() {
    joinThroughPeer(RED);
    joinThroughPeer(BLUE);
    assertThat(outputsOf(Output.Dial.class)).hasSize(1);
    outputs.clear();

    handle(new Input.Command(RED, new TopicCommand.Quit()));
    assertThat(outputsOf(Output.Send.class)).containsExactly(
        new Output.Send(peer, RED, new Disconnect(false)));
    assertThat(outputsOf(Output.Disconnect.class)).isEmpty();
    assertThat(protocol.connectedPeers()).contains(peer);
    assertThat(protocol.topics()).containsExactly(BLUE);
    outputs.clear();

    handle(new Input.Command(BLUE, new TopicCommand.Quit()));
    assertThat(outputs).containsExactly(
        new Output.Send(peer, BLUE, new Disconnect(false)),
        new Output.Disconnect(peer));
    assertThat(protocol.connectedPeers()).isEmpty();
  }

  @Test
  void neighborEventsAreEmittedPerTopic() {
    joinThroughPeer(RED);
    assertThat(outputsOf(Output.Emit.class)).containsExactly(
        new Output.Emit(RED, new TopicEvent.NeighborUp(peer)));
    outputs.clear();
    handle(new Input.PeerLost(peer));
    assertThat(outputsOf(Output.Emit.class)).containsExactly(
        new Output.Emit(RED, new TopicEvent.NeighborDown(peer,
            io.gossip4j.NeighborDownReason.FAILED)));
  }

  @Test
  void anInputThatTouchesMorePeersThanItTracksStillReleasesExactlyTheUnneededOnes() {
    // 20 neighbors: forwarding one GOSSIP touches 21 peers, past the 16 an input tracks one by
    // one, so every link is checked instead. The stranger that sent it is still let go, and
    // no neighbor is.
    protocol = new Protocol(me, PeerData.of(new byte[] {9}), ProtocolConfig.defaults()
        .withMembership(HyParViewConfig.builder().activeViewCapacity(24).build()),
        new SplittableRandom(1));
    join(RED);
    List<NodeId> neighbors = new ArrayList<>();
    for (int i = 10; i < 30; i++) {
      neighbors.add(node(i));
      handle(new Input.Received(node(i), RED, new MembershipMessage.Neighbor(
          MembershipMessage.Priority.HIGH, PeerData.of(new byte[] {(byte) i}))));
    }
    assertThat(protocol.snapshot(RED).orElseThrow().active())
        .containsExactlyInAnyOrderElementsOf(neighbors);
    NodeId stranger = node(99);
    byte[] payload = {1, 2, 3};
    Push gossip = new Push(new MessageIds().of(RED, stranger, 7, payload), stranger, 7, 0,
        Scope.SWARM, payload);
    outputs.clear();
    handle(new Input.Received(stranger, RED, gossip));
    assertThat(outputsOf(Output.Send.class)).hasSize(20);
    assertThat(outputsOf(Output.Disconnect.class)).containsExactly(
        new Output.Disconnect(stranger));
    assertThat(protocol.connectedPeers()).containsExactlyInAnyOrderElementsOf(neighbors);
  }

  @Test
  void messagesForATopicWeAreNotInAreDroppedAndTheirConnectionReleased() {
    handle(new Input.Received(peer, RED, new Join(PeerData.EMPTY)));
    assertThat(outputs).containsExactly(new Output.Disconnect(peer));
    assertThat(protocol.topics()).isEmpty();
  }

  @Test
  void messagesForATopicJustLeftAreDropped() {
    joinThroughPeer(RED);
    // The topic's swarm handled the last input: it must not linger after the quit.
    handle(new Input.Received(peer, RED, new Join(PeerData.EMPTY)));
    handle(new Input.Command(RED, new TopicCommand.Quit()));
    outputs.clear();
    byte[] payload = {7};
    handle(new Input.Received(peer, RED, new Push(new MessageIds().of(RED, peer, 1, payload),
        peer, 1, 0, Scope.SWARM, payload)));
    assertThat(outputsOf(Output.Emit.class)).isEmpty();
    assertThat(outputsOf(Output.Send.class)).isEmpty();
    assertThat(protocol.topics()).isEmpty();
  }

  @Test
  void aTimerOfATopicLeftAndJoinedAgainIsStale() {
    join(RED, peer);
    Output.Schedule oldShuffle = outputsOf(Output.Schedule.class).stream()
        .filter(s -> ((Timer.Membership) s.timer()).timer() instanceof MembershipTimer.Shuffle)
        .findFirst().orElseThrow();
    handle(new Input.Command(RED, new TopicCommand.Quit()));
    join(RED, peer);
    outputs.clear();
    handle(new Input.TimerFired(oldShuffle.timer()));
    assertThat(outputs).isEmpty();
  }

  @Test
  void anOversizedBroadcastIsDroppedByTheCore() {
    joinThroughPeer(RED);
    outputs.clear();
    int limit = Push.maxPayloadSize(ProtocolConfig.DEFAULT_FRAME_SIZE);
    handle(new Input.Command(RED, new TopicCommand.Broadcast(new byte[limit + 1], Scope.SWARM)));
    assertThat(outputsOf(Output.Send.class)).isEmpty();
    handle(new Input.Command(RED, new TopicCommand.Broadcast(new byte[limit], Scope.SWARM)));
    assertThat(outputsOf(Output.Send.class)).hasSize(1);
  }

  @Test
  void aShuffleIsTrimmedToFitASmallFrame() {
    Protocol small = new Protocol(me, PeerData.of(new byte[1000]),
        ProtocolConfig.defaults().withMaxFrameSize(4096), new SplittableRandom(1));
    List<Output> out = new ArrayList<>();
    List<PeerInfo> bootstrap = new ArrayList<>();
    for (int i = 10; i < 20; i++) {
      bootstrap.add(new PeerInfo(node(i), PeerData.of(new byte[1000])));
    }
    small.handle(new Input.Command(RED, new TopicCommand.Join(bootstrap)), 0, out::add);
    small.handle(new Input.Received(node(10), RED, new NeighborReply(true,
        PeerData.of(new byte[1000]))), 0, out::add);
    out.clear();
    small.handle(new Input.TimerFired(new Timer.Membership(RED, 0,
        new MembershipTimer.Shuffle())), 60_000_000_000L, out::add);
    MembershipMessage.Shuffle shuffle = out.stream()
        .filter(o -> o instanceof Output.Send s && s.message() instanceof MembershipMessage.Shuffle)
        .map(o -> (MembershipMessage.Shuffle) ((Output.Send) o).message())
        .findFirst().orElseThrow();
    assertThat(shuffle.nodes()).hasSizeLessThan(4);
    assertThat(io.gossip4j.wire.WireCodec.encodedSize(new io.gossip4j.wire.Frame(RED, shuffle)))
        .isLessThanOrEqualTo(4096);
  }

  @Test
  void aNeighborSendingRejectedBroadcastsIsExpelledAndItsConnectionReleased() {
    protocol = guardedProtocol(GuardDecision.REJECT);
    joinThroughPeer(RED);
    MessageIds ids = new MessageIds();
    for (int nonce = 0; nonce < 3; nonce++) {
      outputs.clear();
      byte[] payload = {(byte) nonce};
      handle(new Input.Received(peer, RED, new Push(ids.of(RED, peer, nonce, payload), peer,
          nonce, 0, Scope.SWARM, payload)));
      if (nonce < 2) {
        assertThat(effects()).as("after rejected broadcast %d", nonce + 1).isEmpty();
      }
    }
    // The third one reaches PlumTreeConfig.invalidMessageLimit (3 by default).
    assertThat(effects()).containsExactly(
        new Output.Send(peer, RED, new Disconnect(true)),
        new Output.Emit(RED, new TopicEvent.NeighborDown(peer, NeighborDownReason.EXPELLED)),
        new Output.Disconnect(peer));
    assertThat(protocol.snapshot(RED).orElseThrow().passive()).doesNotContain(peer);
    assertThat(protocol.snapshot(RED).orElseThrow().broadcast().rejected()).isEqualTo(3);
  }

  @Test
  void ourBroadcastsAreSealedByTheGuard() {
    protocol = guardedProtocol(GuardDecision.ACCEPT_VERIFIED);
    joinThroughPeer(RED);
    outputs.clear();
    handle(new Input.Command(RED, new TopicCommand.Broadcast(new byte[] {1}, Scope.SWARM)));
    assertThat(outputsOf(Output.Send.class)).singleElement()
        .satisfies(s -> assertThat(((Push) s.message()).seal())
            .contains(SEAL));
  }

  @Test
  void withoutAGuardNothingIsSealedAndDeliveriesAreUnverified() {
    joinThroughPeer(RED);
    outputs.clear();
    handle(new Input.Command(RED, new TopicCommand.Broadcast(new byte[] {1}, Scope.SWARM)));
    assertThat(((Push) outputsOf(Output.Send.class).get(0).message()).seal()).isEmpty();
    byte[] payload = {2};
    MessageIds ids = new MessageIds();
    handle(new Input.Received(peer, RED, new Push(ids.of(RED, peer, 5, payload), peer, 5, 0,
        Scope.SWARM, payload)));
    assertThat(outputsOf(Output.Emit.class)).singleElement().satisfies(e ->
        assertThat(((TopicEvent.Received) e.event()).verified()).isFalse());
  }

  @Test
  void invalidConfigFailsNamingTheField() {
    assertThatThrownBy(() -> HyParViewConfig.builder().activeViewCapacity(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HyParViewConfig.activeViewCapacity");
    assertThatThrownBy(() -> HyParViewConfig.builder().passiveRandomWalkLength(9).build())
        .hasMessageContaining("HyParViewConfig.passiveRandomWalkLength");
    assertThatThrownBy(() -> PlumTreeConfig.builder().graftTimeout1(Duration.ZERO).build())
        .hasMessageContaining("PlumTreeConfig.graftTimeout1");
    assertThatThrownBy(() -> PlumTreeConfig.builder()
        .seenCacheRetention(Duration.ofSeconds(1)).build())
        .hasMessageContaining("PlumTreeConfig.seenCacheRetention");
    assertThatThrownBy(() -> PlumTreeConfig.builder().invalidMessageLimit(0).build())
        .hasMessageContaining("PlumTreeConfig.invalidMessageLimit");
    assertThatThrownBy(() -> ProtocolConfig.defaults().withMaxFrameSize(100))
        .hasMessageContaining("ProtocolConfig.maxFrameSize")
        .hasMessageContaining("512");
    assertThatThrownBy(() -> ProtocolConfig.defaults().withMaxFrameSize(17 << 20))
        .hasMessageContaining("16777216");
  }

  @Test
  void defaultsAreThePapersPlusRotationAndAnAdaptiveFirstGraftTimeout() {
    HyParViewConfig m = HyParViewConfig.defaults();
    assertThat(List.of(m.activeViewCapacity(), m.passiveViewCapacity(),
        m.activeRandomWalkLength(), m.passiveRandomWalkLength(), m.shuffleRandomWalkLength(),
        m.shuffleActiveViewCount(), m.shufflePassiveViewCount()))
        .containsExactly(5, 30, 6, 3, 6, 3, 4);
    assertThat(m.shuffleInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(m.neighborRequestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(m.activeRotationShuffles()).isEqualTo(10);
    PlumTreeConfig b = PlumTreeConfig.defaults();
    assertThat(b.graftTimeout1()).isEqualTo(Duration.ofMillis(80));
    assertThat(b.maxGraftTimeout1()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.toBuilder().graftTimeout1(Duration.ofSeconds(2)).build().maxGraftTimeout1())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(PlumTreeConfig.builder().graftTimeout1(Duration.ofSeconds(2)).build()
        .maxGraftTimeout1()).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.graftTimeout2()).isEqualTo(Duration.ofMillis(40));
    assertThat(b.dispatchInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.optimizationThreshold()).isEqualTo(7);
    assertThat(b.payloadCacheRetention()).isEqualTo(Duration.ofSeconds(90));
    assertThat(b.seenCacheRetention()).isEqualTo(Duration.ofSeconds(150));
    assertThat(b.catchUpWindow()).isEqualTo(Duration.ofSeconds(90));
    assertThat(b.cacheEvictionInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.invalidMessageLimit()).isEqualTo(3);
    assertThat(ProtocolConfig.defaults().maxFrameSize()).isEqualTo(65536);
  }

  // ---- admission --------------------------------------------------------------------------

  private static final Disconnect NOT_ADMITTED = new Disconnect(Disconnect.Why.NOT_ADMITTED);

  private void admitAllBut(TopicId topic, NodeId outsider) {
    handle(new Input.Command(topic, new TopicCommand.Admit(id -> !id.equals(outsider))));
  }

  private static Push push(NodeId origin, long nonce) {
    byte[] payload = {(byte) nonce};
    return new Push(new MessageIds().of(RED, origin, nonce, payload), origin, nonce, 0,
        Scope.SWARM, payload);
  }

  @Test
  void broadcastFramesFromAPeerNotAdmittedAreRefusedWithTheReasonAndNotTaken() {
    NodeId outsider = node(3);
    admitAllBut(RED, outsider);
    joinThroughPeer(RED);
    outputs.clear();
    Push gossip = push(outsider, 1);
    handle(new Input.Received(outsider, RED, gossip));
    handle(new Input.Received(outsider, RED,
        new IHave(List.of(
            new Announcement(push(peer, 2).id(), 0)))));
    handle(new Input.Received(outsider, RED,
        new Graft(push(peer, 2).id(), 0, true)));
    assertThat(outputsOf(Output.Send.class)).containsExactly(
        new Output.Send(outsider, RED, NOT_ADMITTED), new Output.Send(outsider, RED, NOT_ADMITTED),
        new Output.Send(outsider, RED, NOT_ADMITTED));
    assertThat(outputsOf(Output.Emit.class)).isEmpty();
    assertThat(protocol.snapshot(RED).orElseThrow().broadcast().delivered()).isZero();
  }

  @Test
  void aBroadcastWhoseOriginTheRuleRefusesIsNeitherDeliveredNorForwarded() {
    NodeId outsider = node(4);
    joinThroughPeer(RED);
    handle(new Input.Received(node(5), RED, new Join(PeerData.EMPTY)));
    admitAllBut(RED, outsider);
    outputs.clear();
    handle(new Input.Received(peer, RED, push(outsider, 1)));
    assertThat(outputsOf(Output.Emit.class)).isEmpty();
    assertThat(outputsOf(Output.Send.class)).isEmpty();
    assertThat(protocol.snapshot(RED).orElseThrow().broadcast().originsRefused()).isEqualTo(1);
    // The forwarder is not blamed: it stays a neighbor. An admitted origin's message goes on.
    handle(new Input.Received(peer, RED, push(node(6), 1)));
    assertThat(outputsOf(Output.Emit.class)).hasSize(1);
    assertThat(protocol.snapshot(RED).orElseThrow().active()).contains(peer, node(5));
  }

  @Test
  void aRefusalFromAPeerIsTheTopicsEvent() {
    join(RED, peer);
    outputs.clear();
    handle(new Input.Received(peer, RED, NOT_ADMITTED));
    assertThat(outputsOf(Output.Emit.class)).containsExactly(
        new Output.Emit(RED, new TopicEvent.Refused(peer)));
    assertThat(protocol.snapshot(RED).orElseThrow().passive()).doesNotContain(peer);
  }
}
