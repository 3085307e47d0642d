package io.gossip4j.jmh;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Deterministic test data for the benchmarks: ids, peer data and broadcasts drawn from a seeded
 * {@link Random}, and a {@link Protocol} that has joined a topic. Used in {@code @Setup} only,
 * never inside a measured method.
 */
public final class Fixtures {
  /** The seed of every benchmark's data, so two runs measure the same bytes. */
  public static final long SEED = 0x6055_1B4A_11CEL;

  /** The payload size the benchmarks broadcast: 1 KiB. */
  public static final int PAYLOAD_SIZE = 1024;

  /** The topic every benchmark uses. */
  public static final TopicId TOPIC = TopicId.fromName("gossip4j-jmh");

  private Fixtures() {}

  /** 32 random bytes, for any kind of id. */
  public static byte[] idBytes(Random random) {
    return bytes(random, 32);
  }

  public static NodeId nodeId(Random random) {
    return NodeId.of(idBytes(random));
  }

  public static MessageId messageId(Random random) {
    return MessageId.of(idBytes(random));
  }

  public static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Peer data as gossip-netty makes it: one socket address in UTF-8 (17 bytes). */
  public static PeerData peerData(int host) {
    return PeerData.of(("10.0.0." + (host % 250 + 1) + ":7946").getBytes(StandardCharsets.UTF_8));
  }

  /** A peer with a random id and an address. */
  public static PeerInfo peer(Random random, int host) {
    return new PeerInfo(nodeId(random), peerData(host));
  }

  /** A swarm-wide broadcast on {@link #TOPIC} whose id is the one receivers recompute. */
  public static Push gossip(
      MessageIds ids, NodeId origin, long nonce, int round, Optional<Seal> seal,
      byte[] payload) {
    return new Push(ids.of(TOPIC, origin, nonce, payload), origin, nonce, round, Scope.SWARM,
        seal, payload);
  }

  /**
   * A node that has joined {@link #TOPIC} with {@code neighbors} in its active view, built from
   * the inputs a join produces: the Join command (a JOIN to each peer), then each peer's
   * accepting NEIGHBOR_REPLY. The outputs of the setup are dropped.
   *
   * @throws IllegalStateException if the active view does not end up holding every neighbor
   */
  public static Protocol joinedProtocol(
      NodeId me, ProtocolConfig config, List<PeerInfo> neighbors, long nowNanos) {
    if (neighbors.size() > config.membership().activeViewCapacity()) {
      throw new IllegalArgumentException(neighbors.size() + " neighbors do not fit an active "
          + "view of " + config.membership().activeViewCapacity());
    }
    Protocol protocol = new Protocol(me, peerData(0), config, new SplittableRandom(SEED));
    protocol.handle(
        new Input.Command(TOPIC, new TopicCommand.Join(neighbors)), nowNanos, output -> {});
    for (PeerInfo peer : neighbors) {
      protocol.handle(
          new Input.Received(peer.id(), TOPIC, new NeighborReply(true, peer.data())),
          nowNanos,
          output -> {});
    }
    List<NodeId> active = new ArrayList<>(protocol.snapshot(TOPIC).orElseThrow().active());
    List<NodeId> expected = neighbors.stream().map(PeerInfo::id).toList();
    if (!active.containsAll(expected) || active.size() != expected.size()) {
      throw new IllegalStateException(
          "setup failed: active view " + active + ", expected " + expected);
    }
    return protocol;
  }
}
