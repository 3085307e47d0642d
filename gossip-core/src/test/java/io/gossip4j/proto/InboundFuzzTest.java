package io.gossip4j.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.CodecException;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import io.gossip4j.wire.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fuzzes the whole inbound path of one node: bytes from peers are decoded as the transport
 * decodes them and handed to a {@link Protocol}, interleaved with timers, lost peers, the
 * passing of time and the application's own broadcasts. Whatever the peers send, no exception
 * escapes, every bound of the configuration holds after every input, and everything the node
 * sends fits a frame and goes to someone else.
 *
 * <p>Without {@code JAZZER_FUZZ=1} the committed corpus (src/test/resources/io/gossip4j/proto/
 * InboundFuzzTestInputs/) runs as a regression test; docs/reliability.md has the fuzzing
 * command.
 */
class InboundFuzzTest {
  private static final TopicId TOPIC = TopicId.fromName("fuzz");
  private static final TopicId OTHER = TopicId.fromName("not ours");
  /** Small, so IHAVE splitting and SHUFFLE trimming are reached. */
  private static final int FRAME = 2048;
  private static final int PEERS = 12;
  /** Timers held by the harness; beyond it the oldest are never fired, as after a restart. */
  private static final int MAX_HELD_TIMERS = 512;

  private static final HyParViewConfig MEMBERSHIP =
      HyParViewConfig.builder()
          .activeViewCapacity(3)
          .passiveViewCapacity(6)
          .activeRandomWalkLength(4)
          .passiveRandomWalkLength(2)
          .shuffleRandomWalkLength(4)
          .shuffleActiveViewCount(2)
          .shufflePassiveViewCount(3)
          .build();
  private static final PlumTreeConfig BROADCAST =
      PlumTreeConfig.builder()
          .payloadCacheCapacity(8)
          .payloadCacheMaxBytes(4096)
          .seenCacheCapacity(16)
          .missingCapacity(8)
          .announcersPerMessage(2)
          .lazyQueueCapacity(8)
          .build();
  private static final ProtocolConfig CONFIG =
      new ProtocolConfig(MEMBERSHIP, BROADCAST, FRAME);

  private static final List<NodeId> NODES = nodes();
  private static final NodeId ME = NODES.get(0);

  private static List<NodeId> nodes() {
    List<NodeId> list = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      byte[] bytes = new byte[32];
      bytes[0] = (byte) (i + 1);
      list.add(NodeId.of(bytes));
    }
    return list;
  }

  private final MessageIds messageIds = new MessageIds();
  private final List<Timer> timers = new ArrayList<>();
  private final List<MessageId> knownIds = new ArrayList<>();
  private long now;

  @FuzzTest(maxDuration = "30m")
  void anyInboundTrafficKeepsANodeWithinItsBounds(FuzzedDataProvider data) {
    // One instance serves every execution: start each from nothing.
    timers.clear();
    knownIds.clear();
    now = 0;
    Protocol node = new Protocol(ME, PeerData.of(new byte[] {1}), CONFIG,
        new SplittableRandom(data.consumeLong()));
    knownIds.add(MessageId.of(new byte[32]));
    handle(node, new Input.Command(TOPIC, new TopicCommand.Join(
        List.of(new PeerInfo(NODES.get(1), PeerData.EMPTY)))));
    while (data.remainingBytes() > 0) {
      int op = data.consumeInt(0, 6);
      if (op == 0) {
        rawFrame(node, data);
      } else if (op == 1) {
        NodeId from = NODES.get(data.consumeInt(0, PEERS - 1));
        Message message = message(data);
        handle(node, new Input.Received(from, data.consumeBoolean() ? TOPIC : OTHER, message));
      } else if (op == 2 && !timers.isEmpty()) {
        handle(node, new Input.TimerFired(timers.remove(data.consumeInt(0, timers.size() - 1))));
      } else if (op == 3) {
        handle(node, new Input.PeerLost(NODES.get(data.consumeInt(0, PEERS - 1))));
      } else if (op == 4) {
        byte[] payload = data.consumeBytes(data.consumeInt(0, 64));
        Scope scope = data.consumeBoolean() ? Scope.SWARM : Scope.NEIGHBORS;
        handle(node, new Input.Command(TOPIC, new TopicCommand.Broadcast(payload, scope)));
      } else if (op == 5) {
        now += data.consumeLong(0, Duration.ofSeconds(120).toNanos());
      } else if (op == 6) {
        List<PeerInfo> peers = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          peers.add(new PeerInfo(NODES.get(data.consumeInt(0, PEERS - 1)), PeerData.EMPTY));
        }
        handle(node, new Input.Command(TOPIC, new TopicCommand.Join(peers)));
      }
    }
  }

  /** Bytes as they come off a connection: what does not decode never reaches the node. */
  private void rawFrame(Protocol node, FuzzedDataProvider data) {
    NodeId from = NODES.get(data.consumeInt(0, PEERS - 1));
    boolean ourTopic = data.consumeBoolean();
    boolean fixId = data.consumeBoolean();
    byte[] body = data.consumeBytes(data.consumeInt(0, FRAME));
    if (ourTopic && body.length >= WireCodec.HEADER_SIZE) {
      System.arraycopy(TOPIC.toBytes(), 0, body, 1, 32);
    }
    Frame frame;
    try {
      frame = WireCodec.decode(body, FRAME);
    } catch (CodecException e) {
      return;
    }
    Message message = frame.message();
    if (fixId && message instanceof Push g) {
      message = withRightId(frame.topic(), g);
    }
    handle(node, new Input.Received(from, frame.topic(), message));
  }

  /** A well-formed message with fuzzed fields: reaches deeper than raw bytes do. */
  private Message message(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 10);
    NodeId peer = NODES.get(data.consumeInt(0, PEERS - 1));
    PeerData peerData = data.consumeBoolean() ? PeerData.EMPTY : PeerData.of(new byte[] {2});
    int ttl = data.consumeBoolean() ? Integer.MAX_VALUE : data.consumeInt(0, 8);
    switch (kind) {
      case 0:
        return new MembershipMessage.Join(peerData);
      case 1:
        return new MembershipMessage.ForwardJoin(new PeerInfo(peer, peerData), ttl);
      case 2:
        return new MembershipMessage.Neighbor(data.consumeBoolean()
            ? MembershipMessage.Priority.HIGH : MembershipMessage.Priority.LOW, peerData);
      case 3:
        return new MembershipMessage.NeighborReply(data.consumeBoolean(), peerData);
      case 4:
        return new MembershipMessage.Disconnect(data.consumeBoolean());
      case 5:
        return new MembershipMessage.Shuffle(new PeerInfo(peer, peerData), peers(data), ttl);
      case 6:
        return new MembershipMessage.ShuffleReply(peers(data));
      case 7: {
        byte[] payload = data.consumeBytes(data.consumeInt(0, 32));
        long nonce = data.consumeLong(0, 3);
        Scope scope = data.consumeBoolean() ? Scope.SWARM : Scope.NEIGHBORS;
        MessageId id = data.consumeBoolean() ? messageIds.of(TOPIC, peer, nonce, payload)
            : knownId(data);
        knownIds.add(id);
        return new Push(id, peer, nonce, data.consumeInt(0, ttl), scope, payload);
      }
      case 8: {
        List<Announcement> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 40); i > 0; i--) {
          list.add(new Announcement(knownId(data), data.consumeInt(0, ttl)));
        }
        return new BroadcastMessage.IHave(list);
      }
      case 9:
        return new BroadcastMessage.Graft(knownId(data), data.consumeInt(0, ttl),
            data.consumeBoolean());
      default:
        return new BroadcastMessage.Prune(NODES.get(data.consumeInt(0, NODES.size() - 1)));
    }
  }

  private List<PeerInfo> peers(FuzzedDataProvider data) {
    List<PeerInfo> list = new ArrayList<>();
    for (int i = data.consumeInt(0, 20); i > 0; i--) {
      list.add(new PeerInfo(NODES.get(data.consumeInt(0, PEERS - 1)), PeerData.EMPTY));
    }
    return list;
  }

  private MessageId knownId(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      byte[] bytes = new byte[32];
      bytes[0] = data.consumeByte();
      return MessageId.of(bytes);
    }
    return knownIds.get(data.consumeInt(0, knownIds.size() - 1));
  }

  private Push withRightId(TopicId topic, Push g) {
    MessageId id = messageIds.of(topic, g.origin(), g.nonce(), g.payload());
    knownIds.add(id);
    return new Push(id, g.origin(), g.nonce(), g.round(), g.scope(), g.payload());
  }

  private void handle(Protocol node, Input input) {
    List<Output> outputs = new ArrayList<>();
    node.handle(input, now, outputs::add);
    for (Output output : outputs) {
      if (output instanceof Output.Send send) {
        assertThat(send.to()).isNotEqualTo(ME);
        assertThat(WireCodec.encodedSize(new Frame(send.topic(), send.message())))
            .as("size of %s", send).isLessThanOrEqualTo(FRAME);
      } else if (output instanceof Output.Dial dial) {
        assertThat(dial.peer()).isNotEqualTo(ME);
      } else if (output instanceof Output.Schedule schedule) {
        timers.add(schedule.timer());
        if (timers.size() > MAX_HELD_TIMERS) {
          timers.remove(0);
        }
      }
    }
    if (knownIds.size() > 64) {
      knownIds.subList(1, knownIds.size() - 32).clear();
    }
    checkBounds(node);
  }

  private static void checkBounds(Protocol node) {
    Optional<TopicSnapshot> maybe = node.snapshot(TOPIC);
    assertThat(node.topics()).hasSizeLessThanOrEqualTo(1);
    if (maybe.isEmpty()) {
      return;
    }
    TopicSnapshot s = maybe.get();
    assertThat(s.active()).hasSizeLessThanOrEqualTo(MEMBERSHIP.activeViewCapacity())
        .doesNotContain(ME);
    assertThat(s.passive()).hasSizeLessThanOrEqualTo(MEMBERSHIP.passiveViewCapacity())
        .doesNotContain(ME);
    assertThat(Collections.disjoint(s.passive(), s.active())).as("passive and active disjoint")
        .isTrue();
    assertThat(s.pending()).hasSizeLessThanOrEqualTo(MEMBERSHIP.maxPendingRequests());
    // The broadcast trees span exactly the active view.
    assertThat(s.broadcastNeighbors()).containsExactlyInAnyOrderElementsOf(s.active());
    assertThat(s.broadcast().missing()).isLessThanOrEqualTo(BROADCAST.missingCapacity());
    assertThat(s.broadcast().seenCacheSize()).isLessThanOrEqualTo(BROADCAST.seenCacheCapacity());
    assertThat(s.broadcast().payloadCacheSize())
        .isLessThanOrEqualTo(BROADCAST.payloadCacheCapacity());
    assertThat(s.broadcast().payloadCacheBytes())
        .isLessThanOrEqualTo(BROADCAST.payloadCacheMaxBytes());
    // Connections are held only for peers some topic needs: active, asked, or asked and
    // timed out but kept a while for a late reply (at most maxPendingRequests of those).
    assertThat(node.connectedPeers()).hasSizeLessThanOrEqualTo(
        s.active().size() + s.pending().size() + MEMBERSHIP.maxPendingRequests());
  }
}
