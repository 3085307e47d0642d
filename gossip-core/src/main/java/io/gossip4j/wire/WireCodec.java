package io.gossip4j.wire;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage.Tree;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.BroadcastMessage.Sync;
import io.gossip4j.wire.BroadcastMessage.Want;
import io.gossip4j.wire.MembershipMessage.Disconnect;
import io.gossip4j.wire.MembershipMessage.ForwardJoin;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.MembershipMessage.Neighbor;
import io.gossip4j.wire.MembershipMessage.NeighborReply;
import io.gossip4j.wire.MembershipMessage.Priority;
import io.gossip4j.wire.MembershipMessage.Shuffle;
import io.gossip4j.wire.MembershipMessage.ShuffleReply;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Encodes and decodes the body of a wire frame: a version/type byte, the 32-byte topic id, then
 * the message's fields. docs/wire-format.md specifies every message byte by byte.
 *
 * <p>The transport writes the 4-byte big-endian length prefix in front of the body; it is not
 * part of what this class reads or writes.
 *
 * <p>Decoding is total: any byte string either decodes to a {@link Frame} or fails with one
 * {@link CodecException} saying what was wrong, and it never allocates more than the body
 * holds. Pure and stateless, so every method is thread-safe.
 */
public final class WireCodec {
  /**
   * The wire version in the high nibble of byte 0. Version 3 added TREE, the shared broadcast
   * tree's state, and SYNC, catch-up (docs/wire-format.md, "Versions").
   */
  public static final int VERSION = 3;

  /**
   * Types 13 to 15 are reserved for the transport's own control frames (hello, close,
   * heartbeat): the transport handles them itself and never hands them to this codec.
   */
  public static final int FIRST_TRANSPORT_TYPE = 13;

  /** Version/type byte and topic id: the part every frame starts with. */
  public static final int HEADER_SIZE = 1 + Id32.LENGTH;

  private static final int JOIN = 0;
  private static final int FORWARD_JOIN = 1;
  private static final int NEIGHBOR = 2;
  private static final int NEIGHBOR_REPLY = 3;
  private static final int DISCONNECT = 4;
  private static final int SHUFFLE = 5;
  private static final int SHUFFLE_REPLY = 6;
  private static final int GOSSIP = 7;
  private static final int IHAVE = 8;
  private static final int GRAFT = 9;
  private static final int PRUNE = 10;
  private static final int TREE = 11;
  private static final int SYNC = 12;

  /** Names by type code, for error messages. */
  private static final List<String> TYPE_NAMES = List.of(
      "JOIN", "FORWARD_JOIN", "NEIGHBOR", "NEIGHBOR_REPLY", "DISCONNECT", "SHUFFLE",
      "SHUFFLE_REPLY", "GOSSIP", "IHAVE", "GRAFT", "PRUNE", "TREE", "SYNC");

  // Enum values by wire code, spelled out rather than taken from ordinal(): reordering an
  // enum's constants must not change the wire.
  private static final List<Priority> PRIORITY_CODES = List.of(Priority.HIGH, Priority.LOW);
  /** DISCONNECT reasons by wire code. */
  private static final List<Disconnect.Why> DISCONNECT_REASONS =
      List.of(Disconnect.Why.LEAVING, Disconnect.Why.DROPPED, Disconnect.Why.NOT_ADMITTED);

  /** GOSSIP flags bit 0: the scope is NEIGHBORS (clear: SWARM). */
  private static final int FLAG_NEIGHBORS = 0x01;
  /** GOSSIP flags bit 1: a seal (timestamp and signature) follows the flags. */
  private static final int FLAG_SEALED = 0x02;
  /** GOSSIP flags bit 2: the message takes its origin's own tree, not the shared one. */
  private static final int FLAG_OWN_TREE = 0x04;
  /** GOSSIP flags bit 3: a late copy, served by catch-up. */
  private static final int FLAG_LATE = 0x08;
  private static final String GOSSIP_FLAGS =
      "bit 0 (scope NEIGHBORS), bit 1 (sealed), bit 2 (own tree) and bit 3 (late)";
  /** TREE flags bit 0: the sender has a path to the root. */
  private static final int FLAG_ROUTED = 0x01;
  /** TREE flags bit 1: the sender chose the receiver as its parent. */
  private static final int FLAG_PARENT_IS_YOU = 0x02;
  /** TREE flags bit 2: pass a request for a newer sequence number on towards the root. */
  private static final int FLAG_SEQ_REQUEST = 0x04;
  /** TREE flags bit 3: the root raised seq to answer a request. */
  private static final int FLAG_SEQ_ANSWER = 0x08;
  private static final String TREE_FLAGS =
      "bit 0 (routed), bit 1 (parent is you), bit 2 (seq request) and bit 3 (seq answer)";

  /** SYNC's kinds: the first byte after the topic. */
  private static final int SYNC_RANGES = 0;
  private static final int SYNC_WANT = 1;
  private static final List<String> SYNC_KINDS = List.of("ranges", "want");
  /** SYNC range modes, by wire code. */
  private static final int MODE_SKIP = 0;
  private static final int MODE_FINGERPRINT = 1;
  private static final int MODE_IDS = 2;
  private static final int MODE_OFFER = 3;
  private static final List<String> MODES = List.of("skip", "fingerprint", "ids", "offer");
  /** Smallest encoded SYNC range: a bound length byte and a mode byte. */
  private static final int MIN_RANGE_SIZE = 2;

  /** Smallest encoded PeerInfo: a node id and an empty peer data (one length byte). */
  private static final int MIN_PEER_INFO_SIZE = Id32.LENGTH + 1;
  /** Smallest encoded IHAVE announcement: a message id and a one-byte round. */
  private static final int MIN_ANNOUNCEMENT_SIZE = Id32.LENGTH + 1;

  private WireCodec() {}

  // ---------------------------------------------------------------------------------------
  // Encoding

  /** The exact number of bytes {@link #encode} writes for {@code frame}, without encoding it. */
  public static int encodedSize(Frame frame) {
    long size = size(frame);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a frame of " + size + " bytes is larger than any byte array or buffer");
    }
    return (int) size;
  }

  /** The frame's body in a new array of exactly {@link #encodedSize} bytes. */
  public static byte[] encode(Frame frame) {
    byte[] body = new byte[encodedSize(frame)];
    encode(frame, ByteBuffer.wrap(body));
    return body;
  }

  /**
   * Writes the frame's body, exactly {@link #encodedSize} bytes, at {@code dst}'s position and
   * advances it. Writes nothing if {@code dst} has less room than that.
   */
  public static void encode(Frame frame, ByteBuffer dst) {
    int size = encodedSize(frame);
    if (dst.remaining() < size) {
      throw new IllegalArgumentException("the " + typeName(typeOf(frame.message()))
          + " frame needs " + size + " bytes, the buffer has " + dst.remaining() + " left");
    }
    write(frame, new BufferOut(dst));
  }

  private static long size(Frame frame) {
    SizeOut counter = new SizeOut();
    write(frame, counter);
    return counter.size;
  }

  /**
   * The one description of the layout: {@link #encodedSize} runs it through a counter and
   * {@link #encode} through a buffer, so the two cannot disagree.
   */
  private static void write(Frame frame, Out out) {
    Message message = frame.message();
    out.u8(VERSION << 4 | typeOf(message));
    out.id(frame.topic());
    writeFields(message, out);
  }

  private static int typeOf(Message message) {
    if (message instanceof Join) {
      return JOIN;
    } else if (message instanceof ForwardJoin) {
      return FORWARD_JOIN;
    } else if (message instanceof Neighbor) {
      return NEIGHBOR;
    } else if (message instanceof NeighborReply) {
      return NEIGHBOR_REPLY;
    } else if (message instanceof Disconnect) {
      return DISCONNECT;
    } else if (message instanceof Shuffle) {
      return SHUFFLE;
    } else if (message instanceof ShuffleReply) {
      return SHUFFLE_REPLY;
    } else if (message instanceof Push) {
      return GOSSIP;
    } else if (message instanceof IHave) {
      return IHAVE;
    } else if (message instanceof Graft) {
      return GRAFT;
    } else if (message instanceof Prune) {
      return PRUNE;
    } else if (message instanceof Tree) {
      return TREE;
    } else if (message instanceof Sync || message instanceof Want) {
      return SYNC;
    }
    throw new IllegalArgumentException("no wire type for " + message.getClass().getName());
  }

  private static void writeFields(Message message, Out out) {
    if (message instanceof Join m) {
      out.peerData(m.data());
    } else if (message instanceof ForwardJoin m) {
      writePeerInfo(m.peer(), out);
      out.varint(m.ttl());
    } else if (message instanceof Neighbor m) {
      out.u8(PRIORITY_CODES.indexOf(m.priority()));
      out.peerData(m.data());
    } else if (message instanceof NeighborReply m) {
      out.u8(m.accepted() ? 1 : 0);
      out.peerData(m.data());
    } else if (message instanceof Disconnect m) {
      out.u8(DISCONNECT_REASONS.indexOf(m.why()));
    } else if (message instanceof Shuffle m) {
      writePeerInfo(m.origin(), out);
      writePeerList(m.nodes(), out);
      out.varint(m.ttl());
    } else if (message instanceof ShuffleReply m) {
      writePeerList(m.nodes(), out);
    } else if (message instanceof Push m) {
      out.id(m.id());
      out.id(m.origin());
      out.fixed64(m.nonce());
      out.varint(m.round());
      out.u8((m.scope() == Scope.NEIGHBORS ? FLAG_NEIGHBORS : 0)
          | (m.seal().isPresent() ? FLAG_SEALED : 0)
          | (m.ownTree() ? FLAG_OWN_TREE : 0)
          | (m.late() ? FLAG_LATE : 0));
      if (m.seal().isPresent()) {
        out.fixed64(m.seal().get().timestampMillis());
        out.bytes(m.seal().get().signature());
      }
      out.varint(m.payload().length);
      out.bytes(m.payload());
    } else if (message instanceof IHave m) {
      out.varint(m.announcements().size());
      for (Announcement a : m.announcements()) {
        out.id(a.id());
        out.varint(a.round());
      }
    } else if (message instanceof Graft m) {
      out.id(m.id());
      out.varint(m.round());
      out.u8(m.resend() ? 1 : 0);
    } else if (message instanceof Prune m) {
      out.id(m.origin());
    } else if (message instanceof Tree m) {
      out.id(m.root());
      out.varint(m.seq());
      out.varint(m.distance());
      out.u8((m.routed() ? FLAG_ROUTED : 0) | (m.parentIsYou() ? FLAG_PARENT_IS_YOU : 0)
          | (m.seqRequest() ? FLAG_SEQ_REQUEST : 0) | (m.seqAnswer() ? FLAG_SEQ_ANSWER : 0));
    } else if (message instanceof Sync m) {
      out.u8(SYNC_RANGES);
      out.varint(m.ranges().size());
      for (SyncRange range : m.ranges()) {
        writeRange(range, out);
      }
    } else if (message instanceof Want m) {
      out.u8(SYNC_WANT);
      writeIds(m.ids(), out);
    }
  }

  private static void writeRange(SyncRange range, Out out) {
    out.u8(range.upper().length);
    out.bytes(range.upper());
    if (range instanceof SyncRange.Skip) {
      out.u8(MODE_SKIP);
    } else if (range instanceof SyncRange.Fingerprint f) {
      out.u8(MODE_FINGERPRINT);
      out.varint(f.count());
      out.bytes(f.fingerprint());
    } else if (range instanceof SyncRange.Ids i) {
      out.u8(MODE_IDS);
      writeIds(i.ids(), out);
    } else if (range instanceof SyncRange.Offer o) {
      out.u8(MODE_OFFER);
      writeIds(o.ids(), out);
    }
  }

  private static void writeIds(List<MessageId> ids, Out out) {
    out.varint(ids.size());
    for (MessageId id : ids) {
      out.id(id);
    }
  }

  private static void writePeerInfo(PeerInfo peer, Out out) {
    out.id(peer.id());
    out.peerData(peer.data());
  }

  private static void writePeerList(List<PeerInfo> peers, Out out) {
    out.varint(peers.size());
    for (PeerInfo peer : peers) {
      writePeerInfo(peer, out);
    }
  }

  /** Where encoded fields go: a byte counter or a buffer. */
  private interface Out {
    void u8(int value);

    void id(Id32 id);

    void fixed64(long value);

    void varint(int value);

    void bytes(byte[] bytes);

    void peerData(PeerData data);
  }

  private static final class SizeOut implements Out {
    long size;

    @Override
    public void u8(int value) {
      size += 1;
    }

    @Override
    public void id(Id32 id) {
      size += Id32.LENGTH;
    }

    @Override
    public void fixed64(long value) {
      size += Long.BYTES;
    }

    @Override
    public void varint(int value) {
      size += varintSize(value);
    }

    @Override
    public void bytes(byte[] bytes) {
      size += bytes.length;
    }

    @Override
    public void peerData(PeerData data) {
      size += varintSize(data.length()) + data.length();
    }

    private static int varintSize(int value) {
      int size = 1;
      while ((value >>>= 7) != 0) {
        size++;
      }
      return size;
    }
  }

  private static final class BufferOut implements Out {
    private final ByteBuffer dst;

    BufferOut(ByteBuffer dst) {
      this.dst = dst;
    }

    @Override
    public void u8(int value) {
      dst.put((byte) value);
    }

    @Override
    public void id(Id32 id) {
      id.writeTo(dst);
    }

    /** Big-endian by hand: the caller's buffer may be set to little-endian. */
    @Override
    public void fixed64(long value) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        dst.put((byte) (value >>> shift));
      }
    }

    /** Unsigned LEB128: seven bits per byte, low group first, high bit set on all but the last. */
    @Override
    public void varint(int value) {
      while ((value & ~0x7f) != 0) {
        dst.put((byte) ((value & 0x7f) | 0x80));
        value >>>= 7;
      }
      dst.put((byte) value);
    }

    @Override
    public void bytes(byte[] bytes) {
      dst.put(bytes);
    }

    @Override
    public void peerData(PeerData data) {
      varint(data.length());
      dst.put(data.toBytes());
    }
  }

  // ---------------------------------------------------------------------------------------
  // Decoding

  /** Decodes a whole frame body; see {@link #decode(ByteBuffer, int)}. */
  public static Frame decode(byte[] body, int maxFrameSize) throws CodecException {
    return decode(ByteBuffer.wrap(body), maxFrameSize);
  }

  /**
   * Decodes the frame body between {@code body}'s position and limit, and on success advances
   * the position to the limit (on failure it is left where it was).
   *
   * @throws CodecException if the body is longer than {@code maxFrameSize}, malformed,
   *     truncated, or followed by trailing bytes; the message names what was wrong
   */
  public static Frame decode(ByteBuffer body, int maxFrameSize) throws CodecException {
    Objects.requireNonNull(body, "body");
    if (body.remaining() > maxFrameSize) {
      throw new CodecException(
          "frame body of " + body.remaining() + " bytes exceeds maxFrameSize " + maxFrameSize);
    }
    FrameReader in = new FrameReader(body);
    int type = readHeader(in);
    in.messageType(typeName(type));
    TopicId topic = in.id32("topic", TopicId::read);
    Message message = readFields(type, in);
    in.end();
    body.position(body.limit());
    return new Frame(topic, message);
  }

  /** Reads byte 0 and returns the message type, refusing other versions and reserved types. */
  private static int readHeader(FrameReader in) throws CodecException {
    int header = in.u8("version/type");
    int version = header >>> 4;
    int type = header & 0x0f;
    if (version != VERSION) {
      throw new CodecException("unsupported wire version " + version + " in byte 0 "
          + FrameReader.hexByte(header) + ", expected " + VERSION);
    }
    if (type >= FIRST_TRANSPORT_TYPE) {
      throw new CodecException("message type " + FrameReader.hexByte(type)
          + " is reserved for transport control frames, not a protocol message");
    }
    return type;
  }

  private static Message readFields(int type, FrameReader in) throws CodecException {
    return switch (type) {
      case JOIN -> new Join(in.peerData("data"));
      case FORWARD_JOIN -> readForwardJoin(in);
      case NEIGHBOR -> readNeighbor(in);
      case NEIGHBOR_REPLY -> readNeighborReply(in);
      case DISCONNECT -> new Disconnect(in.code("reason", DISCONNECT_REASONS));
      case SHUFFLE -> readShuffle(in);
      case SHUFFLE_REPLY -> new ShuffleReply(readPeerList("nodes", in));
      case GOSSIP -> readGossip(in);
      case IHAVE -> readIHave(in);
      case GRAFT -> readGraft(in);
      case PRUNE -> new Prune(in.id32("origin", NodeId::read));
      case TREE -> readTree(in);
      case SYNC -> readSync(in);
      default -> throw in.error("unknown message type " + FrameReader.hexByte(type));
    };
  }

  private static ForwardJoin readForwardJoin(FrameReader in) throws CodecException {
    PeerInfo peer = in.peerInfo("peer");
    int ttl = in.varint("ttl");
    return new ForwardJoin(peer, ttl);
  }

  private static Neighbor readNeighbor(FrameReader in) throws CodecException {
    Priority priority = in.code("priority", PRIORITY_CODES);
    return new Neighbor(priority, in.peerData("data"));
  }

  private static NeighborReply readNeighborReply(FrameReader in) throws CodecException {
    boolean accepted = in.flag("accepted");
    return new NeighborReply(accepted, in.peerData("data"));
  }

  private static Shuffle readShuffle(FrameReader in) throws CodecException {
    PeerInfo origin = in.peerInfo("origin");
    List<PeerInfo> nodes = readPeerList("nodes", in);
    int ttl = in.varint("ttl");
    return new Shuffle(origin, nodes, ttl);
  }

  private static List<PeerInfo> readPeerList(String field, FrameReader in)
      throws CodecException {
    int count = in.count(field, MIN_PEER_INFO_SIZE);
    List<PeerInfo> peers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      peers.add(in.peerInfo(field + "[" + i + "]"));
    }
    return peers;
  }

  private static Push readGossip(FrameReader in) throws CodecException {
    MessageId id = in.id32("id", MessageId::read);
    NodeId origin = in.id32("origin", NodeId::read);
    long nonce = in.fixed64("nonce");
    int round = in.varint("round");
    int flags = in.flags("flags", FLAG_NEIGHBORS | FLAG_SEALED | FLAG_OWN_TREE | FLAG_LATE,
        GOSSIP_FLAGS);
    Scope scope = (flags & FLAG_NEIGHBORS) != 0 ? Scope.NEIGHBORS : Scope.SWARM;
    Optional<Seal> seal = Optional.empty();
    if ((flags & FLAG_SEALED) != 0) {
      long timestamp = in.fixed64("timestamp");
      seal = Optional.of(new Seal(timestamp, in.bytes("signature", Seal.SIGNATURE_LENGTH)));
    }
    byte[] payload = in.lastBytes("payload");
    return new Push(id, origin, nonce, round, scope, (flags & FLAG_OWN_TREE) != 0,
        (flags & FLAG_LATE) != 0, seal, payload);
  }

  private static IHave readIHave(FrameReader in) throws CodecException {
    int count = in.count("announcements", MIN_ANNOUNCEMENT_SIZE);
    List<Announcement> announcements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      MessageId id = in.id32("announcement id", MessageId::read);
      int round = in.varint("announcement", "round");
      announcements.add(new Announcement(id, round));
    }
    return new IHave(announcements);
  }

  private static Graft readGraft(FrameReader in) throws CodecException {
    MessageId id = in.id32("id", MessageId::read);
    int round = in.varint("round");
    return new Graft(id, round, in.flag("resend"));
  }

  private static Tree readTree(FrameReader in) throws CodecException {
    NodeId root = in.id32("root", NodeId::read);
    int seq = in.varint("seq");
    int distance = in.varint("distance");
    int flags = in.flags("flags",
        FLAG_ROUTED | FLAG_PARENT_IS_YOU | FLAG_SEQ_REQUEST | FLAG_SEQ_ANSWER, TREE_FLAGS);
    return new Tree(root, seq, distance, (flags & FLAG_ROUTED) != 0,
        (flags & FLAG_PARENT_IS_YOU) != 0, (flags & FLAG_SEQ_REQUEST) != 0,
        (flags & FLAG_SEQ_ANSWER) != 0);
  }

  private static BroadcastMessage readSync(FrameReader in) throws CodecException {
    String kind = in.code("kind", SYNC_KINDS);
    if (kind.equals("want")) {
      return new Want(readIds("ids", in));
    }
    int count = in.count("ranges", MIN_RANGE_SIZE);
    if (count == 0) {
      throw in.error("a SYNC has at least one range");
    }
    List<SyncRange> ranges = new ArrayList<>(count);
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      String field = "range[" + i + "]";
      int length = in.u8(field + " bound length");
      if (length > Id32.LENGTH) {
        throw in.error(field + " bound length " + length + " exceeds " + Id32.LENGTH);
      }
      byte[] upper = in.bytes(field + " bound", length);
      if (previous != null && (previous.length == 0
          || SyncRange.compareBounds(previous, upper) >= 0)) {
        throw in.error(field + "'s bound is not above the bound of the range before it");
      }
      previous = upper;
      ranges.add(switch (MODES.indexOf(in.code(field + " mode", MODES))) {
        case MODE_SKIP -> new SyncRange.Skip(upper);
        case MODE_FINGERPRINT -> new SyncRange.Fingerprint(upper,
            in.varint(field, "count"),
            in.bytes(field + " fingerprint", SyncRange.FINGERPRINT_LENGTH));
        case MODE_IDS -> new SyncRange.Ids(upper, readIds(field + " ids", in));
        default -> new SyncRange.Offer(upper, readIds(field + " ids", in));
      });
    }
    if (previous.length != 0) {
      throw in.error("the last range's bound is not the end of the id space (an empty bound)");
    }
    return new Sync(ranges);
  }

  private static List<MessageId> readIds(String field, FrameReader in) throws CodecException {
    int count = in.count(field, Id32.LENGTH);
    List<MessageId> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(in.id32(field, MessageId::read));
    }
    return ids;
  }

  private static String typeName(int type) {
    return TYPE_NAMES.get(type);
  }
}
