package io.gossip4j.proto;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.hyparview.MembershipTimer;
import io.gossip4j.plumtree.BroadcastTimer;
import io.gossip4j.plumtree.PlumTree;
import io.gossip4j.proto.LogRateLimiter;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.MembershipMessage.ForwardJoin;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.MembershipMessage.Neighbor;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MembershipMessage.Priority;
import io.gossip4j.wire.MembershipMessage.Shuffle;
import io.gossip4j.wire.MembershipMessage.ShuffleReply;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile peers against one node's protocol. Each test states the bound of state and work the
 * node keeps whatever the peers send; none lets an exception escape (one would fail the test).
 * Deterministic: a seeded generator and time passed in.
 */
class AbuseTest {
  private static final TopicId TOPIC = TopicId.fromName("abuse");
  private static final HyParViewConfig MEMBERSHIP = HyParViewConfig.defaults();
  private static final PlumTreeConfig BROADCAST =
      PlumTreeConfig.builder().missingCapacity(1_000).build();
  private static final ProtocolConfig CONFIG =
      ProtocolConfig.defaults().withBroadcast(BROADCAST);

  private final NodeId me = node(0);
  private final List<Output> outputs = new ArrayList<>();
  /** What PlumTree warns about hostile input: must not grow with it. */
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger plumTreeLog = (Logger) LoggerFactory.getLogger(PlumTree.class);
  private Protocol protocol;
  private long now;

  private static NodeId node(int n) {
    return NodeId.of(ByteBuffer.allocate(32).putInt(0, n).put(31, (byte) 1).array());
  }

  private static PeerInfo info(int n) {
    return new PeerInfo(node(n), PeerData.of(new byte[] {1}));
  }

  @BeforeEach
  void setUp() {
    protocol = new Protocol(me, PeerData.of(new byte[] {9}), CONFIG, new SplittableRandom(7));
    warnings.start();
    plumTreeLog.addAppender(warnings);
    plumTreeLog.setLevel(Level.WARN);
  }

  @AfterEach
  void detachLog() {
    plumTreeLog.detachAppender(warnings);
    plumTreeLog.setLevel(null); // back to logback-test.xml's level
  }

  /** Handles one input; returns how many outputs it produced (the work it caused). */
  private int handle(Input input) {
    int before = outputs.size();
    protocol.handle(input, now, outputs::add);
    return outputs.size() - before;
  }

  private int receive(NodeId from, Message message) {
    return handle(new Input.Received(from, TOPIC, message));
  }

  private TopicSnapshot snapshot() {
    return protocol.snapshot(TOPIC).orElseThrow();
  }

  private <T> List<T> outputsOf(Class<T> type) {
    return outputs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Joins with {@code n} neighbors (nodes 1..n), all accepted. */
  private void joinWithNeighbors(int n) {
    List<PeerInfo> bootstrap = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      bootstrap.add(info(i));
    }
    handle(new Input.Command(TOPIC, new TopicCommand.Join(bootstrap)));
    for (int i = 1; i <= n; i++) {
      receive(node(i), new NeighborReply(true, PeerData.EMPTY));
    }
    assertThat(snapshot().active()).hasSize(n);
    outputs.clear();
  }

  private void assertViewsWithinCapacity() {
    TopicSnapshot s = snapshot();
    assertThat(s.active()).hasSizeLessThanOrEqualTo(MEMBERSHIP.activeViewCapacity());
    assertThat(s.passive()).hasSizeLessThanOrEqualTo(MEMBERSHIP.passiveViewCapacity());
    assertThat(s.pending()).hasSizeLessThanOrEqualTo(MEMBERSHIP.maxPendingRequests());
  }

  @Test
  void forwardJoinWithAHugeTtlWalksNoFurtherThanOurOwnWalkLength() {
    joinWithNeighbors(3);
    receive(node(1), new ForwardJoin(info(1000), Integer.MAX_VALUE));
    // Bound: one forward, with at most activeRandomWalkLength - 1 hops left.
    List<Output.Send> sends = outputsOf(Output.Send.class);
    assertThat(sends).hasSize(1);
    ForwardJoin forwarded = (ForwardJoin) sends.get(0).message();
    assertThat(forwarded.ttl()).isEqualTo(MEMBERSHIP.activeRandomWalkLength() - 1);
  }

  @Test
  void aFloodOfForwardJoinsOpensAtMostMaxPendingRequestsConnections() {
    joinWithNeighbors(1); // a lone neighbor: every FORWARD_JOIN ends here with a NEIGHBOR
    for (int i = 0; i < 100_000; i++) {
      int work = receive(node(1), new ForwardJoin(info(1000 + i), 0));
      assertThat(work).as("outputs for one FORWARD_JOIN").isLessThanOrEqualTo(3);
    }
    // Bound: maxPendingRequests requests (each one dial) at once; the rest only remembered.
    assertThat(outputsOf(Output.Dial.class)).hasSize(MEMBERSHIP.maxPendingRequests());
    assertThat(snapshot().pending()).hasSize(MEMBERSHIP.maxPendingRequests());
    assertThat(protocol.connectedPeers())
        .hasSizeLessThanOrEqualTo(1 + MEMBERSHIP.maxPendingRequests());
    assertViewsWithinCapacity();
  }

  @Test
  void shuffleWithAHugeTtlAndThousandsOfNodesIsTrimmedToOurBounds() {
    joinWithNeighbors(3);
    List<PeerInfo> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add(info(2000 + i));
    }
    receive(node(1), new Shuffle(info(999), many, Integer.MAX_VALUE));
    // Bound: forwarded once, at most shuffleRandomWalkLength - 1 hops left.
    Shuffle forwarded = (Shuffle) outputsOf(Output.Send.class).get(0).message();
    assertThat(forwarded.ttl()).isEqualTo(MEMBERSHIP.shuffleRandomWalkLength() - 1);
    outputs.clear();
    // Where the walk ends: a reply of at most a passive view, passive view still bounded.
    int work = receive(node(2), new Shuffle(info(998), many, 0));
    // Dial the origin, reply, release it; and, as the view has free slots, ask that many of
    // the peers just heard of (a dial, a NEIGHBOR and its timeout each): no more.
    int freeSlots = MEMBERSHIP.activeViewCapacity() - 3;
    assertThat(work).isLessThanOrEqualTo(3 + 3 * freeSlots);
    assertThat(outputsOf(Output.Dial.class)).hasSizeLessThanOrEqualTo(1 + freeSlots);
    Output.Send reply = outputsOf(Output.Send.class).stream()
        .filter(send -> send.message() instanceof ShuffleReply)
        .findFirst().orElseThrow();
    assertThat(reply.to()).isEqualTo(node(998));
    assertThat(((ShuffleReply) reply.message()).nodes())
        .hasSizeLessThanOrEqualTo(MEMBERSHIP.passiveViewCapacity());
    assertViewsWithinCapacity();
  }

  @Test
  void aFloodOfJoinsFromStrangersKeepsTheViewsBoundedAndTheWorkPerJoinConstant() {
    joinWithNeighbors(1);
    for (int i = 0; i < 20_000; i++) {
      int work = receive(node(5000 + i), new Join(PeerData.EMPTY));
      // Bound per JOIN: a reply, a FORWARD_JOIN per other active peer, one eviction
      // (DISCONNECT + NeighborDown + NeighborUp), one dial and a disconnect of the evicted.
      assertThat(work).isLessThanOrEqualTo(MEMBERSHIP.activeViewCapacity() + 6);
      assertViewsWithinCapacity();
    }
    assertThat(protocol.connectedPeers())
        .hasSizeLessThanOrEqualTo(
            MEMBERSHIP.activeViewCapacity() + MEMBERSHIP.maxPendingRequests());
  }

  @Test
  void aMillionIhaveIdsTrackAtMostMissingCapacityAndScheduleAtMostAsManyTimers() {
    joinWithNeighbors(5);
    List<Announcement> ids = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      ids.add(new Announcement(MessageId.of(ByteBuffer.allocate(32).putInt(i).array()), 1));
    }
    // Split as a sender must (a frame holds about 2,000), from each neighbor in turn.
    for (int from = 0; from < ids.size(); from += 2_000) {
      IHave batch = new IHave(ids.subList(from, from + 2_000));
      for (int n = 1; n <= 5; n++) {
        receive(node(n), batch);
      }
    }
    // Bound: each neighbor opens at most its share (a quarter of the table), and the table
    // holds at most missingCapacity, with as many graft timers, whatever was announced: four
    // neighbors fill it and the fifth opens nothing.
    int share = BROADCAST.effectiveMissingPerNeighbor();
    assertThat(share).isEqualTo(BROADCAST.missingCapacity() / 4);
    assertThat(snapshot().broadcast().missing()).isEqualTo(BROADCAST.missingCapacity());
    long graftTimers = outputsOf(Output.Schedule.class).stream()
        .filter(s -> s.timer() instanceof Timer.Broadcast b
            && b.timer() instanceof BroadcastTimer.GraftTimeout)
        .count();
    assertThat(graftTimers).isEqualTo(BROADCAST.missingCapacity());
  }


  @Test
  void aNeighborAnnouncingIdsThatNeverComeFillsOnlyItsShareOfTheMissingTable() {
    joinWithNeighbors(2);
    // The first is a real message's id, whose payload comes later; the rest never come.
    MessageId real = new MessageIds().of(TOPIC, node(50), 0, new byte[0]);
    List<Announcement> junk = new ArrayList<>(List.of(new Announcement(real, 1)));
    for (int i = 1; i < 10_000; i++) {
      junk.add(new Announcement(MessageId.of(ByteBuffer.allocate(32).putInt(i).array()), 1));
    }
    for (int from = 0; from < junk.size(); from += 2_000) {
      receive(node(1), new IHave(junk.subList(from, from + 2_000)));
    }
    assertThat(snapshot().broadcast().missing()).isEqualTo(BROADCAST.effectiveMissingPerNeighbor());
    // The honest neighbor's announcement still gets an entry, and its graft timer.
    MessageId honest = MessageId.of(ByteBuffer.allocate(32).putInt(-1).array());
    receive(node(2), new IHave(List.of(new Announcement(honest, 1))));
    assertThat(snapshot().broadcast().missing())
        .isEqualTo(BROADCAST.effectiveMissingPerNeighbor() + 1);
    // Once one of its entries is gone (its payload came), the flooder may open one more.
    receive(node(2), new Push(real, node(50), 0, 0, Scope.SWARM, new byte[0]));
    assertThat(snapshot().broadcast().missing())
        .isEqualTo(BROADCAST.effectiveMissingPerNeighbor());
    receive(node(1), new IHave(List.of(new Announcement(
        MessageId.of(ByteBuffer.allocate(32).putInt(-2).array()), 1))));
    assertThat(snapshot().broadcast().missing())
        .isEqualTo(BROADCAST.effectiveMissingPerNeighbor() + 1);
  }

  @Test
  void graftsBeyondANeighborsBudgetGetNoPayloadUntilItRefills() {
    PlumTreeConfig budget = BROADCAST.toBuilder().graftAnswersPerSecond(10).build();
    protocol = new Protocol(me, PeerData.EMPTY, CONFIG.withBroadcast(budget),
        new SplittableRandom(1));
    joinWithNeighbors(2);
    // A message node 2 brought, cached here: node 1 asks for it again and again.
    NodeId origin = node(50);
    byte[] payload = {1};
    MessageId id = new MessageIds().of(TOPIC, origin, 1, payload);
    receive(node(2), new Push(id, origin, 1, 0, Scope.SWARM, payload));
    outputs.clear();
    for (int i = 0; i < 25; i++) {
      receive(node(1), new Graft(id, 0, true));
    }
    assertThat(payloadsSentTo(node(1))).isEqualTo(10);
    assertThat(snapshot().broadcast().graftsOverBudget()).isEqualTo(15);
    // Another neighbor has its own budget.
    receive(node(2), new Graft(id, 0, true));
    assertThat(payloadsSentTo(node(2))).isEqualTo(1);
    // Topped up at the rate: 100 ms earns one answer, not more.
    now += Duration.ofMillis(100).toNanos();
    receive(node(1), new Graft(id, 0, true));
    receive(node(1), new Graft(id, 0, true));
    assertThat(payloadsSentTo(node(1))).isEqualTo(11);
    // Asked just above the rate for 3 s (every 60 ms, 50 times), it gets the rate: 30, give or
    // take the one in flight, not half of it.
    long before = payloadsSentTo(node(1));
    for (int i = 0; i < 50; i++) {
      now += Duration.ofMillis(60).toNanos();
      receive(node(1), new Graft(id, 0, true));
    }
    assertThat(payloadsSentTo(node(1)) - before).isBetween(29L, 31L);
  }

  private long payloadsSentTo(NodeId peer) {
    return outputsOf(Output.Send.class).stream()
        .filter(send -> send.to().equals(peer) && send.message() instanceof Push).count();
  }

  @Test
  void ihaveFromAStrangerIsIgnored() {
    joinWithNeighbors(1);
    List<Announcement> ids = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ids.add(new Announcement(MessageId.of(ByteBuffer.allocate(32).putInt(i).array()), 1));
    }
    receive(node(77), new IHave(ids));
    assertThat(snapshot().broadcast().missing()).isZero();
    assertThat(outputsOf(Output.Schedule.class)).isEmpty();
  }

  @Test
  void graftsForUnknownIdsSendNothingAndGrowNothing() {
    joinWithNeighbors(2);
    for (int i = 0; i < 100_000; i++) {
      MessageId unknown = MessageId.of(ByteBuffer.allocate(32).putInt(i).array());
      receive(node(1 + i % 2), new Graft(unknown, 5, true));
      receive(node(3000 + i), new Graft(unknown, 5, true)); // and from strangers
    }
    // Bound: no payload sent, the tree still spans only the active view.
    assertThat(outputsOf(Output.Send.class)).isEmpty();
    TopicSnapshot s = snapshot();
    assertThat(s.broadcast().graftMisses()).isEqualTo(100_000);
    assertThat(s.broadcastNeighbors()).containsExactlyInAnyOrder(node(1), node(2));
    assertThat(s.broadcastTrees()).isZero();
    assertThat(s.broadcast().seenCacheSize()).isZero();
    assertThat(s.broadcast().payloadCacheSize()).isZero();
  }

  @Test
  void aPruneStormOnlyMovesNeighborsToTheLazySetAndBroadcastsStillReachThem() {
    joinWithNeighbors(3);
    for (int i = 0; i < 100_000; i++) {
      receive(node(1 + i % 3), new Prune(me));
      receive(node(4000 + i), new Prune(node(5000 + i))); // strangers and their origins
    }
    TopicSnapshot s = snapshot();
    // Bound: one tree (ours), over the active view; strangers' prunes left nothing behind.
    assertThat(s.broadcastTrees()).isEqualTo(1);
    assertThat(s.broadcastNeighbors()).containsExactlyInAnyOrder(node(1), node(2), node(3));
    assertThat(outputsOf(Output.Send.class)).isEmpty();
    // Our next broadcast rides the shared tree, which no PRUNE changes: its payload reaches
    // each neighbor at once.
    handle(new Input.Command(TOPIC, new TopicCommand.Broadcast(new byte[] {1}, Scope.SWARM)));
    assertThat(outputsOf(Output.Send.class)).hasSize(3)
        .allMatch(send -> send.message() instanceof Push);
  }

  @Test
  void messagesForTopicsWeAreNotInLeaveNoStateAndNoConnection() {
    joinWithNeighbors(1);
    MessageIds ids = new MessageIds();
    for (int i = 0; i < 100_000; i++) {
      TopicId other = TopicId.of(ByteBuffer.allocate(32).putInt(i).put(31, (byte) 9).array());
      NodeId stranger = node(6000 + i % 100);
      byte[] payload = {(byte) i};
      handle(new Input.Received(stranger, other,
          new Push(ids.of(other, stranger, i, payload), stranger, i, 0, Scope.SWARM, payload)));
      handle(new Input.Received(stranger, other, new Join(PeerData.EMPTY)));
    }
    // Bound: no topic joined, no output but closing each stranger's connection.
    assertThat(protocol.topics()).containsExactly(TOPIC);
    assertThat(outputs).allMatch(o -> o instanceof Output.Disconnect);
    assertThat(protocol.connectedPeers()).containsExactly(node(1));
  }

  @Test
  void aGossipWhoseIdDoesNotMatchItsContentIsNeitherDeliveredNorForwardedNorRemembered() {
    joinWithNeighbors(3);
    MessageIds ids = new MessageIds();
    NodeId origin = node(50);
    byte[] payload = {1, 2, 3};
    MessageId right = ids.of(TOPIC, origin, 1, payload);
    for (int i = 0; i < 10_000; i++) {
      // The id of this content, claimed for other bytes: a spoof that would shadow it.
      receive(node(1), new Push(right, origin, 1, 0, Scope.SWARM, new byte[] {(byte) i}));
    }
    assertThat(outputs).isEmpty();
    assertThat(snapshot().broadcast().invalidIds()).isEqualTo(10_000);
    // Time stood still: one window of the rate limiter, so its allowance of warnings, no more.
    assertThat(warnings.list).hasSize(LogRateLimiter.DEFAULT_MAX_PER_WINDOW);
    assertThat(snapshot().broadcast().seenCacheSize()).isZero();
    // The real message still gets through: the spoofs did not mark its id as seen.
    receive(node(2), new Push(right, origin, 1, 0, Scope.SWARM, payload));
    assertThat(outputsOf(Output.Emit.class)).hasSize(1);
  }

  @Test
  void neighborRequestsFromStrangersAreBoundedByTheViews() {
    joinWithNeighbors(MEMBERSHIP.activeViewCapacity());
    for (int i = 0; i < 10_000; i++) {
      // LOW from a stranger while full: refused, remembered as passive at most.
      int work = receive(node(7000 + i), new Neighbor(Priority.LOW, PeerData.EMPTY));
      assertThat(work).isLessThanOrEqualTo(3); // the reply, its dial, the disconnect
      assertViewsWithinCapacity();
    }
    assertThat(snapshot().active()).hasSize(MEMBERSHIP.activeViewCapacity());
    outputs.clear();
    for (int i = 0; i < 10_000; i++) {
      // HIGH must be accepted (the paper): it replaces a neighbor, never grows the view.
      int work = receive(node(20_000 + i), new Neighbor(Priority.HIGH, PeerData.EMPTY));
      assertThat(work).isLessThanOrEqualTo(7);
      assertViewsWithinCapacity();
    }
    assertThat(protocol.connectedPeers())
        .hasSizeLessThanOrEqualTo(
            MEMBERSHIP.activeViewCapacity() + MEMBERSHIP.maxPendingRequests());
  }

  @Test
  void aGossipAtTheLargestRoundTheWireHoldsIsDeliveredAndForwardedWithoutWrapping() {
    joinWithNeighbors(2);
    MessageIds ids = new MessageIds();
    NodeId origin = node(51);
    byte[] payload = {4};
    MessageId id = ids.of(TOPIC, origin, 3, payload);
    receive(node(1), new Push(id, origin, 3, Integer.MAX_VALUE, Scope.SWARM, payload));
    TopicEvent.Received delivered = (TopicEvent.Received) outputsOf(Output.Emit.class).get(0).event();
    assertThat(delivered.hops()).isEqualTo(Integer.MAX_VALUE);
    Push forwarded = (Push) outputsOf(Output.Send.class).get(0).message();
    assertThat(forwarded.round()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aRequestThatExpiresReleasesItsConnectionOnceALateReplyIsNoLongerExpected() {
    handle(new Input.Command(TOPIC, new TopicCommand.Join(List.of(info(1)))));
    assertThat(protocol.connectedPeers()).containsExactly(node(1));
    long seq = 0;
    handle(new Input.TimerFired(new Timer.Membership(TOPIC, 0,
        new MembershipTimer.RequestExpired(node(1), seq))));
    assertThat(snapshot().pending()).isEmpty();
    // Kept a while for a late reply: the timeout also covers the dial and the handshake.
    assertThat(protocol.connectedPeers()).containsExactly(node(1));
    Output.Schedule late = outputsOf(Output.Schedule.class).stream()
        .filter(s -> s.timer() instanceof Timer.Membership m
            && m.timer() instanceof MembershipTimer.LateReplyExpired)
        .findFirst().orElseThrow();
    assertThat(late.delayNanos())
        .isEqualTo(10 * MEMBERSHIP.neighborRequestTimeout().toNanos());
    handle(new Input.TimerFired(late.timer()));
    // A peer that accepts our connection and never answers must not hold it forever.
    assertThat(protocol.connectedPeers()).isEmpty();
    assertThat(outputsOf(Output.Disconnect.class)).containsExactly(new Output.Disconnect(node(1)));
  }

  @Test
  void aLateReplyToATimedOutJoinStillMakesTheNeighbor() {
    handle(new Input.Command(TOPIC, new TopicCommand.Join(List.of(info(1)))));
    handle(new Input.TimerFired(new Timer.Membership(TOPIC, 0,
        new MembershipTimer.RequestExpired(node(1), 0))));
    receive(node(1), new NeighborReply(true, PeerData.EMPTY));
    assertThat(snapshot().active()).containsExactly(node(1));
    assertThat(protocol.connectedPeers()).containsExactly(node(1));
  }

  @Test
  void requestsThatNeverGetAnAnswerHoldAtMostTwiceMaxPendingRequestsConnections() {
    joinWithNeighbors(1);
    for (int i = 0; i < 1_000; i++) {
      receive(node(1), new ForwardJoin(info(1000 + i), 0));
      // Every request times out; none is answered.
      for (Output.Schedule s : outputsOf(Output.Schedule.class)) {
        if (s.timer() instanceof Timer.Membership m
            && m.timer() instanceof MembershipTimer.RequestExpired) {
          handle(new Input.TimerFired(s.timer()));
        }
      }
      outputs.clear();
      assertThat(protocol.connectedPeers())
          .hasSizeLessThanOrEqualTo(1 + 2 * MEMBERSHIP.maxPendingRequests());
    }
  }

  @Test
  void quittingWithRequestsOutReleasesTheirConnections() {
    handle(new Input.Command(TOPIC, new TopicCommand.Join(List.of(info(1), info(2)))));
    handle(new Input.Command(TOPIC, new TopicCommand.Quit()));
    assertThat(protocol.connectedPeers()).isEmpty();
  }

  @Test
  void joiningMoreTopicsThanTheLimitIsRefused() {
    protocol = new Protocol(me, PeerData.EMPTY, CONFIG.withMaxTopics(3), new SplittableRandom(1));
    for (int i = 0; i < 10; i++) {
      handle(new Input.Command(TopicId.fromName("t" + i), new TopicCommand.Join(List.of())));
    }
    assertThat(protocol.topics()).hasSize(3);
  }

  @Test
  void aMessageAnnouncedByEveryNeighborRemembersAtMostAnnouncersPerMessage() {
    protocol = new Protocol(me, PeerData.EMPTY,
        CONFIG.withBroadcast(BROADCAST.toBuilder().announcersPerMessage(2).build()),
        new SplittableRandom(7));
    joinWithNeighbors(5);
    MessageId id = MessageId.of(new byte[32]);
    for (int round = 0; round < 100; round++) {
      for (int n = 1; n <= 5; n++) {
        receive(node(n), new IHave(List.of(new Announcement(id, round))));
      }
    }
    // Grafts go to the remembered announcers only, one per graft timeout, then give up.
    for (int i = 0; i < 10; i++) {
      handle(new Input.TimerFired(new Timer.Broadcast(TOPIC, 0,
          new BroadcastTimer.GraftTimeout(id, 0))));
    }
    assertThat(outputsOf(Output.Send.class)).filteredOn(s -> s.message() instanceof Graft)
        .hasSize(2);
    assertThat(snapshot().broadcast().graftsExhausted()).isEqualTo(1);
    assertThat(snapshot().broadcast().missing()).isZero();
  }
}
