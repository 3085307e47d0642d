package io.gossip4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireCodecTest {
  private static final int MAX_FRAME = 64 << 10;
  private static final HexFormat HEX = HexFormat.of();

  /** One sample frame with a name for the test report. */
  record Case(String name, Frame frame) {
    @Override
    public String toString() {
      return name;
    }

    byte[] bytes() {
      return WireCodec.encode(frame);
    }
  }

  /** Every message kind, with the edge values each can take. */
  static List<Case> cases() {
    Random rng = new Random(0x5eed_0001L);
    TopicId topic = TopicId.fromName("wire-codec-test");
    PeerData maxData = PeerData.of(randomBytes(rng, PeerData.MAX_LENGTH));
    PeerData someData = PeerData.of("10.0.0.1:4000".getBytes(StandardCharsets.UTF_8));
    PeerInfo bare = PeerInfo.of(nodeId(rng));
    PeerInfo withData = new PeerInfo(nodeId(rng), someData);
    PeerInfo withMaxData = new PeerInfo(nodeId(rng), maxData);
    List<PeerInfo> sample = List.of(bare, withData, withMaxData, PeerInfo.of(nodeId(rng)));
    List<Announcement> manyAnnouncements = IntStream.range(0, 200)
        .mapToObj(i -> new Announcement(messageId(rng), i * 97))
        .toList();
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("join, empty data", new Frame(topic, new Join(PeerData.EMPTY))));
    cases.add(new Case("join, max-length data", new Frame(topic, new Join(maxData))));
    cases.add(new Case("forward join, ttl 0", new Frame(topic, new ForwardJoin(bare, 0))));
    cases.add(new Case("forward join, ttl 6", new Frame(topic, new ForwardJoin(withData, 6))));
    cases.add(new Case("forward join, max ttl",
        new Frame(topic, new ForwardJoin(withMaxData, Integer.MAX_VALUE))));
    cases.add(new Case("neighbor high",
        new Frame(topic, new Neighbor(Priority.HIGH, someData))));
    cases.add(new Case("neighbor low, empty data",
        new Frame(topic, new Neighbor(Priority.LOW, PeerData.EMPTY))));
    cases.add(new Case("neighbor reply accepted",
        new Frame(topic, new NeighborReply(true, maxData))));
    cases.add(new Case("neighbor reply rejected",
        new Frame(topic, new NeighborReply(false, PeerData.EMPTY))));
    cases.add(new Case("disconnect alive", new Frame(topic, new Disconnect(true))));
    cases.add(new Case("disconnect leaving", new Frame(topic, new Disconnect(false))));
    cases.add(new Case("disconnect not admitted",
        new Frame(topic, new Disconnect(Disconnect.Why.NOT_ADMITTED))));
    cases.add(new Case("shuffle, no nodes", new Frame(topic, new Shuffle(bare, List.of(), 0))));
    cases.add(new Case("shuffle, some nodes",
        new Frame(topic, new Shuffle(withData, sample, 6))));
    cases.add(new Case("shuffle reply, no nodes", new Frame(topic, new ShuffleReply(List.of()))));
    cases.add(new Case("shuffle reply, some nodes",
        new Frame(topic, new ShuffleReply(sample))));
    cases.add(new Case("gossip, empty payload", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), 0L, 0, Scope.SWARM, new byte[0]))));
    cases.add(new Case("gossip to neighbors", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), -1L, 300, Scope.NEIGHBORS,
            randomBytes(rng, 1000)))));
    cases.add(new Case("gossip, extreme nonce and round", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), Long.MIN_VALUE, Integer.MAX_VALUE, Scope.SWARM,
            randomBytes(rng, 5)))));
    cases.add(new Case("gossip on its origin's own tree", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), 3L, 2, Scope.SWARM, true, Optional.empty(),
            randomBytes(rng, 10)))));
    cases.add(new Case("gossip, sealed", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), 7L, 1, Scope.SWARM,
            Optional.of(new Seal(1_700_000_000_000L, randomBytes(rng, 64))),
            randomBytes(rng, 100)))));
    cases.add(new Case("gossip to neighbors, sealed, extreme timestamp", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), 7L, 0, Scope.NEIGHBORS,
            Optional.of(new Seal(Long.MIN_VALUE, randomBytes(rng, 64))), new byte[0]))));
    cases.add(new Case("ihave, empty", new Frame(topic, new IHave(List.of()))));
    cases.add(new Case("ihave, one",
        new Frame(topic, new IHave(List.of(new Announcement(messageId(rng), 0))))));
    cases.add(new Case("ihave, many", new Frame(topic, new IHave(manyAnnouncements))));
    cases.add(new Case("graft, no resend", new Frame(topic, new Graft(messageId(rng), 0, false))));
    cases.add(new Case("graft, resend",
        new Frame(topic, new Graft(messageId(rng), 5, true))));
    cases.add(new Case("graft, max round",
        new Frame(topic, new Graft(messageId(rng), Integer.MAX_VALUE, true))));
    cases.add(new Case("prune", new Frame(topic, new Prune(NodeId.of(randomBytes(rng, 32))))));
    cases.add(new Case("tree, routed child", new Frame(topic,
        new Tree(nodeId(rng), 300, 3, true, true))));
    cases.add(new Case("tree, no path, extreme seq", new Frame(topic,
        new Tree(nodeId(rng), Integer.MAX_VALUE, 0, false, false))));
    cases.add(new Case("tree, seq request", new Frame(topic,
        new Tree(nodeId(rng), 7, 2, true, false, true, false))));
    cases.add(new Case("tree, seq answer", new Frame(topic,
        new Tree(nodeId(rng), 8, 2, true, true, false, true))));
    cases.add(new Case("gossip, late", new Frame(topic,
        new Push(messageId(rng), nodeId(rng), 11L, 4, Scope.SWARM, false, true,
            Optional.empty(), randomBytes(rng, 20)))));
    cases.add(new Case("sync, one fingerprint", new Frame(topic, new Sync(List.of(
        new SyncRange.Fingerprint(SyncRange.end(), 1234, randomBytes(rng, 16)))))));
    cases.add(new Case("sync, every mode", new Frame(topic, new Sync(List.of(
        new SyncRange.Skip(new byte[] {0x10}),
        new SyncRange.Ids(new byte[] {0x20, 0x01}, List.of(messageId(rng), messageId(rng))),
        new SyncRange.Offer(randomBytes(rng, 32), List.of(messageId(rng))),
        new SyncRange.Ids(SyncRange.end(), List.of()))))));
    cases.add(new Case("want, none", new Frame(topic, new Want(List.of()))));
    cases.add(new Case("want, some",
        new Frame(topic, new Want(List.of(messageId(rng), messageId(rng))))));
    return cases;
  }

  // ---------------------------------------------------------------------------------------
  // Round trips and sizes

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyMessageKindRoundTrips(Case c) throws CodecException {
    assertThat(WireCodec.decode(c.bytes(), MAX_FRAME)).isEqualTo(c.frame());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodedSizeEqualsTheEncodedLength(Case c) {
    assertThat(WireCodec.encodedSize(c.frame())).isEqualTo(c.bytes().length);
  }

  @Test
  void theSamplesCoverEveryMessageType() {
    Set<Integer> types = cases().stream()
        .map(c -> c.bytes()[0] & 0x0f)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(types).containsExactlyElementsOf(IntStream.range(0, WireCodec.FIRST_TRANSPORT_TYPE).boxed().toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodingIntoABufferWritesTheSameBytesAtItsPositionWhateverItsByteOrder(Case c) {
    int size = WireCodec.encodedSize(c.frame());
    ByteBuffer dst = ByteBuffer.allocate(size + 10).order(ByteOrder.LITTLE_ENDIAN);
    dst.position(3);

    WireCodec.encode(c.frame(), dst);

    assertThat(dst.position()).isEqualTo(3 + size);
    assertThat(Arrays.copyOfRange(dst.array(), 3, 3 + size)).isEqualTo(c.bytes());
  }

  @Test
  void encodingIntoABufferTooSmallWritesNothing() {
    Frame frame = new Frame(TopicId.fromName("t"), new Disconnect(true));
    ByteBuffer dst = ByteBuffer.allocate(WireCodec.encodedSize(frame) - 1);

    assertThatThrownBy(() -> WireCodec.encode(frame, dst))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the DISCONNECT frame needs 34 bytes, the buffer has 33 left");
    assertThat(dst.position()).isZero();
  }

  @Test
  void decodingABufferReadsFromPositionToLimitAndConsumesIt() throws CodecException {
    Case c = cases().get(0);
    byte[] body = c.bytes();
    ByteBuffer src = ByteBuffer.allocate(body.length + 7);
    src.position(4);
    src.put(body);
    src.limit(4 + body.length).position(4);

    assertThat(WireCodec.decode(src, MAX_FRAME)).isEqualTo(c.frame());
    assertThat(src.position()).isEqualTo(4 + body.length);
  }

  @Test
  void aRefusedBufferKeepsItsPosition() {
    ByteBuffer src = ByteBuffer.wrap(new byte[] {0x2a, 1, 2, 3});
    src.position(1);

    assertThatThrownBy(() -> WireCodec.decode(src, MAX_FRAME))
        .isInstanceOf(CodecException.class);
    assertThat(src.position()).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------
  // Frame size

  @Test
  void aBodyLongerThanMaxFrameSizeIsRefused() throws CodecException {
    byte[] body = WireCodec.encode(gossipFrame(600));

    assertThatThrownBy(() -> WireCodec.decode(body, body.length - 1))
        .isInstanceOf(CodecException.class)
        .hasMessage("frame body of " + body.length + " bytes exceeds maxFrameSize "
            + (body.length - 1));
    assertThat(WireCodec.decode(body, body.length)).isEqualTo(gossipFrame(600));
  }

  @Test
  void theSizeLimitsStatedInTheWireFormatDocHold() throws CodecException {
    int defaultMax = 64 << 10;
    TopicId topic = TopicId.fromName("t");
    Frame largestGossip = new Frame(topic, new Push(MessageId.of(new byte[32]),
        NodeId.of(new byte[32]), 0L, 0, Scope.SWARM, new byte[65_426]));
    Frame tooLargeGossip = new Frame(topic, new Push(MessageId.of(new byte[32]),
        NodeId.of(new byte[32]), 0L, 0, Scope.SWARM, new byte[65_427]));
    assertThat(WireCodec.encodedSize(largestGossip)).isEqualTo(defaultMax);
    assertThat(WireCodec.encodedSize(tooLargeGossip)).isEqualTo(defaultMax + 1);
    // A seal takes 72 bytes more: 65,536 - 107 - 72 - 3.
    Optional<Seal> seal = Optional.of(new Seal(0L, new byte[64]));
    Frame largestSealed = new Frame(topic, new Push(MessageId.of(new byte[32]),
        NodeId.of(new byte[32]), 0L, 0, Scope.SWARM, seal, new byte[65_354]));
    Frame tooLargeSealed = new Frame(topic, new Push(MessageId.of(new byte[32]),
        NodeId.of(new byte[32]), 0L, 0, Scope.SWARM, seal, new byte[65_355]));
    assertThat(WireCodec.encodedSize(largestSealed)).isEqualTo(defaultMax);
    assertThat(WireCodec.encodedSize(tooLargeSealed)).isEqualTo(defaultMax + 1);
    // The API's limit holds whatever the round and seal: it assumes the largest of each.
    Frame worstCase = new Frame(topic, new Push(MessageId.of(new byte[32]),
        NodeId.of(new byte[32]), 0L, Integer.MAX_VALUE, Scope.SWARM, seal,
        new byte[Push.maxPayloadSize(defaultMax)]));
    assertThat(WireCodec.encodedSize(worstCase)).isLessThanOrEqualTo(defaultMax);

    assertThat(WireCodec.encodedSize(new Frame(topic, iHaveOf(1984)))).isLessThanOrEqualTo(
        defaultMax);
    assertThat(WireCodec.encodedSize(new Frame(topic, iHaveOf(1985)))).isGreaterThan(
        defaultMax);

    PeerInfo bare = PeerInfo.of(NodeId.of(new byte[32]));
    Shuffle shuffle = new Shuffle(bare, Collections.nCopies(7, bare), 6);
    assertThat(WireCodec.encodedSize(new Frame(topic, shuffle))).isEqualTo(299);
  }

  private static IHave iHaveOf(int count) {
    return new IHave(Collections.nCopies(
        count, new Announcement(MessageId.of(new byte[32]), 0)));
  }

  // ---------------------------------------------------------------------------------------
  // Malformed frames

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPrefixOfAValidFrameIsRefused(Case c) {
    byte[] body = c.bytes();
    for (int length = 0; length < body.length; length++) {
      byte[] prefix = Arrays.copyOf(body, length);
      assertThatThrownBy(() -> WireCodec.decode(prefix, MAX_FRAME))
          .as("prefix of %d of %d bytes", length, body.length)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void anEmptyBodyIsRefused() {
    assertThatThrownBy(() -> WireCodec.decode(new byte[0], MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated field version/type: needs 1 bytes, 0 remain"
            + " (frame header, offset 0)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trailingBytesAfterACompleteMessageAreRefused(Case c) {
    byte[] body = c.bytes();
    byte[] longer = Arrays.copyOf(body, body.length + 3);

    // A GOSSIP's payload runs to the end, so there the extra bytes show as a length mismatch.
    String expected = c.frame().message() instanceof Push
        ? "does not match the"
        : "3 trailing bytes after a complete message";
    assertThatThrownBy(() -> WireCodec.decode(longer, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 7, 15})
  void otherWireVersionsAreRefused(int version) {
    byte[] body = prune();
    body[0] = (byte) (version << 4 | 10);

    assertThatThrownBy(() -> WireCodec.decode(body, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("unsupported wire version " + version + " in byte 0 "
            + String.format("0x%02x", body[0] & 0xff) + ", expected 3");
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14, 15})
  void reservedTransportTypesAreRefused(int type) {
    byte[] body = prune();
    body[0] = (byte) (WireCodec.VERSION << 4 | type);

    assertThatThrownBy(() -> WireCodec.decode(body, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("message type " + String.format("0x%02x", type)
            + " is reserved for transport control frames, not a protocol message");
  }

  @Test
  void flagAndEnumBytesOutsideTheirValuesAreRefused() {
    TopicId topic = TopicId.fromName("t");
    int fieldAfterTopic = WireCodec.HEADER_SIZE;
    assertByteRefused(new Frame(topic, new Disconnect(true)), fieldAfterTopic, 3,
        "field reason is 0x03, expected 0 (LEAVING), 1 (DROPPED) or 2 (NOT_ADMITTED)"
            + " (DISCONNECT, offset 33)");
    assertByteRefused(new Frame(topic, new NeighborReply(true, PeerData.EMPTY)),
        fieldAfterTopic, 0xff,
        "field accepted is 0xff, expected 0 (false) or 1 (true) (NEIGHBOR_REPLY, offset 33)");
    assertByteRefused(new Frame(topic, new Neighbor(Priority.LOW, PeerData.EMPTY)),
        fieldAfterTopic, 2,
        "field priority is 0x02, expected 0 (HIGH) or 1 (LOW) (NEIGHBOR, offset 33)");
    assertByteRefused(new Frame(topic, new Graft(MessageId.of(new byte[32]), 0, true)),
        fieldAfterTopic + 32 + 1, 2,
        "field resend is 0x02, expected 0 (false) or 1 (true) (GRAFT, offset 66)");
    int flagsOffset = WireCodec.HEADER_SIZE + 32 + 32 + 8 + 1;
    assertByteRefused(gossipFrame(4), flagsOffset, 0x80, "field flags is 0x80, only bit 0"
        + " (scope NEIGHBORS), bit 1 (sealed), bit 2 (own tree) and bit 3 (late) are defined"
        + " (GOSSIP, offset 106)");
    assertByteRefused(gossipFrame(4), flagsOffset, 0x10, "field flags is 0x10, only bit 0"
        + " (scope NEIGHBORS), bit 1 (sealed), bit 2 (own tree) and bit 3 (late) are defined"
        + " (GOSSIP, offset 106)");
    assertByteRefused(new Frame(topic, new Tree(NodeId.of(new byte[32]), 1, 2, true, false)),
        fieldAfterTopic + 32 + 1 + 1, 0x10, "field flags is 0x10, only bit 0 (routed),"
        + " bit 1 (parent is you), bit 2 (seq request) and bit 3 (seq answer) are defined"
        + " (TREE, offset 67)");
  }

  @Test
  void hostileSyncsAreRefusedWithTheReason() {
    // kind 2 does not exist
    assertThatThrownBy(() -> WireCodec.decode(concat(header(12), new byte[] {2}), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("field kind is 0x02, expected 0 (ranges) or 1 (want) (SYNC, offset 33)");
    // no range at all
    assertThatThrownBy(() -> WireCodec.decode(concat(header(12), new byte[] {0, 0}), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("a SYNC has at least one range (SYNC, offset 35)");
    // a bound of 33 bytes
    assertThatThrownBy(() -> WireCodec.decode(
        concat(header(12), new byte[] {0, 1, 33}, new byte[34]), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("range[0] bound length 33 exceeds 32 (SYNC, offset 36)");
    // bounds out of order: 0x20 then 0x10
    assertThatThrownBy(() -> WireCodec.decode(concat(header(12),
        new byte[] {0, 3, 1, 0x20, 0, 1, 0x10, 0, 0, 0}), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("range[1]'s bound is not above the bound of the range before it"
            + " (SYNC, offset 40)");
    // the ranges stop short of the end of the id space
    assertThatThrownBy(() -> WireCodec.decode(
        concat(header(12), new byte[] {0, 1, 1, 0x20, 0}), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("the last range's bound is not the end of the id space (an empty bound)"
            + " (SYNC, offset 38)");
    // an unknown mode
    assertThatThrownBy(() -> WireCodec.decode(
        concat(header(12), new byte[] {0, 1, 0, 4}), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("field range[0] mode is 0x04, expected 0 (skip), 1 (fingerprint), 2 (ids)"
            + " or 3 (offer) (SYNC, offset 36)");
    // more ids claimed than the frame holds
    assertThatThrownBy(() -> WireCodec.decode(
        concat(header(12), new byte[] {1}, varint(1_000_000), new byte[64]), MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("ids count 1000000 exceeds the 2 entries the remaining 64 bytes can hold"
            + " (SYNC, offset 34)");
  }

  @Test
  void aHugeListCountIsRefusedBeforeAnythingIsAllocated() {
    // An ArrayList sized by the claimed count would throw OutOfMemoryError, failing the test.
    byte[] iHave = concat(header(8), varint(Integer.MAX_VALUE), new byte[444]);
    assertThatThrownBy(() -> WireCodec.decode(iHave, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("announcements count 2147483647 exceeds the 13 entries the remaining"
            + " 444 bytes can hold (IHAVE, offset 33)");

    byte[] shuffleReply = concat(header(6), varint(5000));
    assertThatThrownBy(() -> WireCodec.decode(shuffleReply, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("nodes count 5000 exceeds the 0 entries the remaining 0 bytes can hold"
            + " (SHUFFLE_REPLY, offset 33)");

    byte[] shuffle = concat(header(5), new byte[32], varint(0), varint(3), new byte[65]);
    assertThatThrownBy(() -> WireCodec.decode(shuffle, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("nodes count 3 exceeds the 1 entries the remaining 65 bytes can hold"
            + " (SHUFFLE, offset 66)");
  }

  @Test
  void aHugeLengthIsRefusedBeforeAnythingIsAllocated() {
    byte[] join = concat(header(0), varint(Integer.MAX_VALUE));
    assertThatThrownBy(() -> WireCodec.decode(join, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("field data length 2147483647 exceeds PeerData.MAX_LENGTH 1024"
            + " (JOIN, offset 33)");

    byte[] justOverPeerData = concat(header(0), varint(PeerData.MAX_LENGTH + 1),
        new byte[PeerData.MAX_LENGTH + 1]);
    assertThatThrownBy(() -> WireCodec.decode(justOverPeerData, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("field data length 1025 exceeds PeerData.MAX_LENGTH 1024");

    byte[] longerThanFrame = concat(header(0), varint(1000), new byte[10]);
    assertThatThrownBy(() -> WireCodec.decode(longerThanFrame, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated field data: needs 1000 bytes, 10 remain (JOIN, offset 35)");

    byte[] gossip = gossipBodyUpToPayloadLength(varint(Integer.MAX_VALUE));
    assertThatThrownBy(() -> WireCodec.decode(gossip, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("field payload length 2147483647 does not match the 0 bytes that remain"
            + " (GOSSIP, offset 107)");
  }

  @Test
  void varintsLongerThanFiveBytesAreRefused() {
    byte[] graft = concat(header(9), new byte[32], HEX.parseHex("808080808000"));
    assertThatThrownBy(() -> WireCodec.decode(graft, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("varint in field round is longer than 5 bytes (GRAFT, offset 65)");
  }

  @Test
  void varintsAboveIntegerMaxValueAreRefused() {
    byte[] graft = concat(header(9), new byte[32], HEX.parseHex("ffffffff0f"));
    assertThatThrownBy(() -> WireCodec.decode(graft, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("varint 4294967295 in field round exceeds the maximum 2147483647"
            + " (GRAFT, offset 65)");

    byte[] justOver = concat(header(9), new byte[32], HEX.parseHex("8080808008"));
    assertThatThrownBy(() -> WireCodec.decode(justOver, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("varint 2147483648 in field round exceeds");
  }

  @Test
  void nonMinimalVarintsAreRefused() {
    byte[] graft = concat(header(9), new byte[32], HEX.parseHex("8500"));
    assertThatThrownBy(() -> WireCodec.decode(graft, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("non-minimal varint in field round (GRAFT, offset 65)");
  }

  @Test
  void aTruncatedVarintNamesItsField() {
    byte[] forwardJoin = concat(header(1), new byte[32], varint(0), HEX.parseHex("ac"));
    assertThatThrownBy(() -> WireCodec.decode(forwardJoin, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated varint in field ttl (FORWARD_JOIN, offset 66)");
  }

  @Test
  void aPayloadShorterThanTheRestOfTheFrameIsRefused() {
    byte[] gossip = concat(gossipBodyUpToPayloadLength(varint(2)), new byte[3]);
    assertThatThrownBy(() -> WireCodec.decode(gossip, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage("field payload length 2 does not match the 3 bytes that remain"
            + " (GOSSIP, offset 107)");
  }

  // ---------------------------------------------------------------------------------------
  // Garbage: the codec is total

  @Test
  void randomBytesEitherDecodeOrThrowCodecException() {
    Random rng = new Random(0x6a7b_a6e1L);
    int decoded = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] body = randomBytes(rng, rng.nextInt(301));
      // Every other string gets a valid version and type, else 15 in 16 would stop at byte 0.
      if (i % 2 == 0 && body.length > 0) {
        body[0] = (byte) (WireCodec.VERSION << 4 | rng.nextInt(WireCodec.FIRST_TRANSPORT_TYPE));
      }
      decoded += decodesOrRefuses(body) ? 1 : 0;
    }
    // Some random strings are valid PRUNEs, DISCONNECTs, GRAFTs...: the decoding paths ran.
    assertThat(decoded).isPositive();
  }

  @Test
  void singleByteMutationsOfValidFramesEitherDecodeOrThrowCodecException() {
    Random rng = new Random(0x3a7a_7e01L);
    int decoded = 0;
    int refused = 0;
    for (Case c : cases()) {
      byte[] valid = c.bytes();
      for (int i = 0; i < 2_000; i++) {
        byte[] body = valid.clone();
        int position = rng.nextInt(body.length);
        body[position] = (byte) (body[position] + 1 + rng.nextInt(255));
        if (decodesOrRefuses(body)) {
          decoded++;
        } else {
          refused++;
        }
      }
    }
    assertThat(decoded).isPositive();
    assertThat(refused).isPositive();
  }

  /**
   * True if {@code body} decodes, false if it is refused with a {@link CodecException}; any
   * other exception escapes and fails the test. A decoded frame must re-encode to the same
   * bytes: there is exactly one encoding per frame.
   */
  private static boolean decodesOrRefuses(byte[] body) {
    Frame frame;
    try {
      frame = WireCodec.decode(body, MAX_FRAME);
    } catch (CodecException e) {
      assertThat(e.getMessage()).isNotBlank();
      return false;
    }
    assertThat(WireCodec.encode(frame)).as("re-encoding of %s", HEX.formatHex(body))
        .isEqualTo(body);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Worked examples of docs/wire-format.md

  /** Topic 00 01 .. 1f and node 20 21 .. 3f: easy to spot in a hex dump. */
  private static final TopicId EXAMPLE_TOPIC = TopicId.of(sequence(0x00));
  private static final NodeId EXAMPLE_NODE = NodeId.of(sequence(0x20));

  static Stream<Object[]> workedExamples() {
    byte[] payload = "hi".getBytes(StandardCharsets.UTF_8);
    long nonce = 1;
    MessageId id = new MessageIds().of(EXAMPLE_TOPIC, EXAMPLE_NODE, nonce, payload);
    return Stream.of(
        new Object[] {"tree", new Frame(EXAMPLE_TOPIC,
                new Tree(EXAMPLE_NODE, 300, 3, true, true)),
            "00000045"
                + "3b"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                + "ac02" + "03" + "03"},
        new Object[] {"prune", new Frame(EXAMPLE_TOPIC, new Prune(EXAMPLE_NODE)),
            "00000041"
                + "3a"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"},
        new Object[] {"join", new Frame(EXAMPLE_TOPIC,
                new Join(PeerData.of(HEX.parseHex("cafebabe")))),
            "00000026"
                + "30"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "04" + "cafebabe"},
        new Object[] {"forward join", new Frame(EXAMPLE_TOPIC,
                new ForwardJoin(PeerInfo.of(EXAMPLE_NODE), 300)),
            "00000044"
                + "31"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                + "00"
                + "ac02"},
        new Object[] {"gossip", new Frame(EXAMPLE_TOPIC,
                new Push(id, EXAMPLE_NODE, nonce, 0, Scope.SWARM, payload)),
            "0000006e"
                + "37"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "90bd787081e6802e3c1823b752a9567238e34cd388697ca6f35fe6da84296bdb"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                + "0000000000000001"
                + "00"
                + "00"
                + "02" + "6869"},
        new Object[] {"sealed gossip", new Frame(EXAMPLE_TOPIC,
                new Push(SEALED_ID, SIGNER, nonce, 0, Scope.SWARM,
                    Optional.of(new Seal(EXAMPLE_TIMESTAMP, HEX.parseHex(EXAMPLE_SIGNATURE))),
                    payload)),
            "000000b6"
                + "37"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "6bebc1389ca5cda1c6a77709aefc920da52faa7e1de6eaf872da0c82055fbf71"
                + "2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d"
                + "0000000000000001"
                + "00"
                + "02"
                + "0000018bcfe56800"
                + EXAMPLE_SIGNATURE
                + "02" + "6869"});
  }

  /**
   * The node whose Ed25519 private key (seed) is 40 41 .. 5f signs the sealed example; its
   * public key is its node id. gossip-netty's test checks the signature is that key's.
   */
  static final NodeId SIGNER = NodeId.of(HEX.parseHex(
      "2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d"));
  static final long EXAMPLE_TIMESTAMP = 1_700_000_000_000L;
  static final String EXAMPLE_SIGNATURE =
      "5722c5771d41e9ea0d2fd500e8aa02ab7b235ec58ec8235af732ed0a3f2ebcb0"
          + "ffcd68f6859ace30cd4f99df2329c742a75d41b11a69cb9d80e18f5a1b8f8a07";
  private static final MessageId SEALED_ID = new MessageIds().of(
      EXAMPLE_TOPIC, SIGNER, 1, "hi".getBytes(StandardCharsets.UTF_8));

  @Test
  void theSignedBytesOfTheSealedExampleAreTheDocumented() throws IOException {
    byte[] signed = Seal.signedBytes(EXAMPLE_TOPIC, SIGNER, 1, EXAMPLE_TIMESTAMP, Scope.SWARM,
        "hi".getBytes(StandardCharsets.UTF_8));
    String hex = "676f73736970346a2f322062726f616463617374"
        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        + "2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d"
        + "0000000000000001"
        + "0000018bcfe56800"
        + "00"
        + "6869";
    assertThat(HEX.formatHex(signed)).isEqualTo(hex);
    String doc = Files.readString(Path.of("..", "docs", "wire-format.md")).replaceAll("\\s+", "");
    assertThat(doc).contains(hex);
    assertThat(Seal.signedBytes(EXAMPLE_TOPIC, SIGNER, 1, EXAMPLE_TIMESTAMP, Scope.NEIGHBORS,
        new byte[0])).endsWith(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workedExamples")
  void workedExamplesEncodeToTheDocumentedBytes(String name, Frame frame, String hex)
      throws CodecException {
    assertThat(HEX.formatHex(withLengthPrefix(WireCodec.encode(frame)))).isEqualTo(hex);
    byte[] body = Arrays.copyOfRange(HEX.parseHex(hex), 4, hex.length() / 2);
    assertThat(WireCodec.decode(body, MAX_FRAME)).isEqualTo(frame);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workedExamples")
  void theWireFormatDocShowsEachWorkedExample(String name, Frame frame, String hex)
      throws IOException {
    // Surefire runs in the module directory; the doc lives at the repository root.
    Path doc = Path.of("..", "docs", "wire-format.md");
    String text = Files.readString(doc).replaceAll("\\s+", "");
    assertThat(text).as("docs/wire-format.md shows the %s example", name).contains(hex);
  }

  // ---------------------------------------------------------------------------------------
  // Helpers

  private static void assertByteRefused(Frame frame, int offset, int value, String message) {
    byte[] body = WireCodec.encode(frame);
    assertThatCode(() -> WireCodec.decode(body, MAX_FRAME)).doesNotThrowAnyException();
    body[offset] = (byte) value;
    assertThatThrownBy(() -> WireCodec.decode(body, MAX_FRAME))
        .isInstanceOf(CodecException.class)
        .hasMessage(message);
  }

  private static Frame gossipFrame(int payloadLength) {
    Random rng = new Random(payloadLength);
    return new Frame(TopicId.fromName("t"), new Push(messageId(rng), nodeId(rng),
        rng.nextLong(), 0, Scope.SWARM, randomBytes(rng, payloadLength)));
  }

  /** A GOSSIP body with id, origin, nonce, round 0 and scope SWARM, then the given length. */
  private static byte[] gossipBodyUpToPayloadLength(byte[] length) {
    return concat(header(7), new byte[32], new byte[32], new byte[8], varint(0),
        new byte[] {0}, length);
  }

  private static byte[] header(int type) {
    return concat(new byte[] {(byte) (WireCodec.VERSION << 4 | type)}, new byte[32]);
  }

  private static byte[] prune() {
    return header(10);
  }

  private static byte[] varint(int value) {
    ByteBuffer out = ByteBuffer.allocate(5);
    while ((value & ~0x7f) != 0) {
      out.put((byte) (value & 0x7f | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
    return Arrays.copyOf(out.array(), out.position());
  }

  private static byte[] withLengthPrefix(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] part : parts) {
      out.put(part);
    }
    return out.array();
  }

  private static byte[] sequence(int first) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }

  private static byte[] randomBytes(Random rng, int length) {
    byte[] bytes = new byte[length];
    rng.nextBytes(bytes);
    return bytes;
  }

  private static NodeId nodeId(Random rng) {
    return NodeId.of(randomBytes(rng, 32));
  }

  private static MessageId messageId(Random rng) {
    return MessageId.of(randomBytes(rng, 32));
  }
}
