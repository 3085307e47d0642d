package io.gossip4j.jmh;

import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.CodecException;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.MembershipMessage.Disconnect;
import io.gossip4j.wire.MembershipMessage.ForwardJoin;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.MembershipMessage.Neighbor;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MembershipMessage.Priority;
import io.gossip4j.wire.MembershipMessage.Shuffle;
import io.gossip4j.wire.MembershipMessage.ShuffleReply;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerInfo;
import io.gossip4j.wire.WireCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link WireCodec} on one frame of each message kind: {@code encode} into a reused direct
 * buffer (what gossip-netty's driver does with a pooled buffer), {@code decode} from one, and
 * {@code encodedSize} alone. The driver calls {@code encodedSize} and then {@code encode},
 * which computes the size again, so its cost per frame is the sum of the two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

  /** One message of each kind, with typical contents. */
  public enum Kind {
    JOIN,
    FORWARD_JOIN,
    NEIGHBOR,
    NEIGHBOR_REPLY,
    DISCONNECT,
    /** A shuffle sample of 7 peers (HyParView's defaults: 3 active, 4 passive). */
    SHUFFLE,
    SHUFFLE_REPLY,
    GOSSIP_1K,
    GOSSIP_1K_SIGNED,
    IHAVE_1,
    IHAVE_64,
    GRAFT,
    PRUNE;

    private static final int SHUFFLE_PEERS = 7;
    private static final int TTL = 6;

    Message build(Random random) {
      return switch (this) {
        case JOIN -> new Join(Fixtures.peerData(1));
        case FORWARD_JOIN -> new ForwardJoin(Fixtures.peer(random, 2), TTL);
        case NEIGHBOR -> new Neighbor(Priority.LOW, Fixtures.peerData(3));
        case NEIGHBOR_REPLY -> new NeighborReply(true, Fixtures.peerData(4));
        case DISCONNECT -> new Disconnect(true);
        case SHUFFLE -> new Shuffle(Fixtures.peer(random, 5), peers(random), TTL);
        case SHUFFLE_REPLY -> new ShuffleReply(peers(random));
        case GOSSIP_1K -> gossip(random, Optional.empty());
        case GOSSIP_1K_SIGNED -> gossip(random, Optional.of(
            new Seal(1_700_000_000_000L, Fixtures.bytes(random, Seal.SIGNATURE_LENGTH))));
        case IHAVE_1 -> ihave(random, 1);
        case IHAVE_64 -> ihave(random, 64);
        case GRAFT -> new Graft(Fixtures.messageId(random), 3, true);
        case PRUNE -> new Prune(Fixtures.nodeId(random));
      };
    }

    private static List<PeerInfo> peers(Random random) {
      List<PeerInfo> peers = new ArrayList<>();
      for (int i = 0; i < SHUFFLE_PEERS; i++) {
        peers.add(Fixtures.peer(random, 10 + i));
      }
      return peers;
    }

    private static Push gossip(Random random, Optional<Seal> seal) {
      return Fixtures.gossip(new MessageIds(), Fixtures.nodeId(random), random.nextLong(), 2,
          seal, Fixtures.bytes(random, Fixtures.PAYLOAD_SIZE));
    }

    private static IHave ihave(Random random, int count) {
      List<Announcement> announcements = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        announcements.add(new Announcement(Fixtures.messageId(random), 2 + i % 4));
      }
      return new IHave(announcements);
    }
  }

  private static final int MAX_FRAME_SIZE = ProtocolConfig.DEFAULT_FRAME_SIZE;

  @Param
  public Kind kind;

  private Frame frame;
  /** Where {@link #encode} writes: reused, as the driver's pooled buffers are. */
  private ByteBuffer out;
  /** The frame's encoding, read by {@link #decode}. */
  private ByteBuffer in;

  @Setup
  public void setUp() throws CodecException {
    frame = new Frame(Fixtures.TOPIC, kind.build(new Random(Fixtures.SEED)));
    out = ByteBuffer.allocateDirect(MAX_FRAME_SIZE);
    byte[] body = WireCodec.encode(frame);
    in = ByteBuffer.allocateDirect(body.length).put(body).flip();
    if (!WireCodec.decode(in.duplicate(), MAX_FRAME_SIZE).equals(frame)) {
      throw new IllegalStateException(kind + " does not survive encode and decode");
    }
  }

  @Benchmark
  public int encode() {
    out.clear();
    WireCodec.encode(frame, out);
    return out.position();
  }

  @Benchmark
  public Frame decode() throws CodecException {
    return WireCodec.decode(in.position(0), MAX_FRAME_SIZE);
  }

  @Benchmark
  public int encodedSize() {
    return WireCodec.encodedSize(frame);
  }
}
