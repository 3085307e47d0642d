package io.gossip4j.wire;

import io.gossip4j.Id32;
import io.gossip4j.NodeId;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A cursor over one frame body that reads the wire's field encodings (see docs/wire-format.md).
 *
 * <p>Every read checks the remaining bytes before it touches or allocates anything, and fails
 * with a {@link CodecException} naming the field, the message type and the field's offset.
 * That is what makes {@link WireCodec#decode} total: no read can underflow the buffer, and no
 * count or length can make it allocate more than the body holds.
 */
final class FrameReader {
  /** Longest varint for a value of 0 to {@link Integer#MAX_VALUE}: 31 bits, 7 per byte. */
  private static final int MAX_VARINT_BYTES = 5;
  /** Wire codes of a boolean byte: 0 is false, 1 is true. */
  private static final List<Boolean> BOOLEAN_CODES = List.of(false, true);

  private final ByteBuffer body;
  private final int start;
  private String messageType = "frame header";

  /** Reads {@code body} from its position to its limit; {@code body} itself is not moved. */
  FrameReader(ByteBuffer body) {
    this.body = body.duplicate();
    this.start = body.position();
  }

  /** Names the message being read, for error messages, once its type byte is known. */
  void messageType(String name) {
    messageType = name;
  }

  /** One unsigned byte. */
  int u8(String field) throws CodecException {
    require(1, field);
    return body.get() & 0xff;
  }

  /** A boolean byte: 0 or 1, nothing else. */
  boolean flag(String field) throws CodecException {
    return code(field, BOOLEAN_CODES);
  }

  /**
   * A one-byte code: the value at that index of {@code byCode}, which also names the accepted
   * values in the error for any other byte.
   */
  <T> T code(String field, List<T> byCode) throws CodecException {
    int offset = offset();
    int value = u8(field);
    if (value >= byCode.size()) {
      throw errorAt(offset, "field " + field + " is " + hexByte(value) + ", expected "
          + describeCodes(byCode));
    }
    return byCode.get(value);
  }

  /**
   * A byte of bit flags; refused if a bit outside {@code defined} is set, so that a later
   * version's flag is never silently ignored. {@code meaning} names the defined bits.
   */
  int flags(String field, int defined, String meaning) throws CodecException {
    int offset = offset();
    int value = u8(field);
    if ((value & ~defined) != 0) {
      throw errorAt(offset, "field " + field + " is " + hexByte(value) + ", only " + meaning
          + " are defined");
    }
    return value;
  }

  /** A 32-byte id, as a fresh array. */
  byte[] id(String field) throws CodecException {
    return bytes(field, Id32.LENGTH);
  }

  /** Eight bytes, big-endian, whatever the byte order of the caller's buffer. */
  long fixed64(String field) throws CodecException {
    require(Long.BYTES, field);
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (body.get() & 0xff);
    }
    return value;
  }

  /**
   * An unsigned LEB128 varint holding 0 to {@link Integer#MAX_VALUE}. Only the minimal encoding
   * is accepted (no trailing 0x00 continuation groups), so every frame has exactly one
   * encoding and re-encoding a decoded frame gives back the same bytes.
   */
  int varint(String field) throws CodecException {
    return varint(field, null);
  }

  /**
   * {@link #varint(String)} of the field named {@code field + " " + suffix}: the name is only
   * put together for an error, so reading a valid frame builds no strings.
   */
  int varint(String field, String suffix) throws CodecException {
    int offset = offset();
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (!body.hasRemaining()) {
        throw errorAt(offset, "truncated varint in field " + name(field, suffix));
      }
      int b = body.get() & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw errorAt(offset, "non-minimal varint in field " + name(field, suffix));
        }
        if (value > Integer.MAX_VALUE) {
          throw errorAt(offset, "varint " + value + " in field " + name(field, suffix)
              + " exceeds the maximum " + Integer.MAX_VALUE);
        }
        return (int) value;
      }
    }
    throw errorAt(offset, "varint in field " + name(field, suffix) + " is longer than "
        + MAX_VARINT_BYTES + " bytes");
  }

  /**
   * A list's element count, refused unless that many elements of at least
   * {@code minElementSize} bytes fit in what remains: the caller may then allocate for it.
   */
  int count(String field, int minElementSize) throws CodecException {
    int offset = offset();
    int count = varint(field, "count");
    int fit = body.remaining() / minElementSize;
    if (count > fit) {
      throw errorAt(offset, field + " count " + count + " exceeds the " + fit
          + " entries the remaining " + body.remaining() + " bytes can hold");
    }
    return count;
  }

  /** {@code length} bytes, as a fresh array; refused if fewer remain. */
  byte[] bytes(String field, int length) throws CodecException {
    require(length, field);
    byte[] bytes = new byte[length];
    body.get(bytes);
    return bytes;
  }

  /**
   * A varint length and then that many bytes, for the last field of a message: the length must
   * equal what remains exactly, since the frame's own length already bounds it.
   */
  byte[] lastBytes(String field) throws CodecException {
    int offset = offset();
    int length = varint(field, "length");
    if (length != body.remaining()) {
      throw errorAt(offset, "field " + field + " length " + length + " does not match the "
          + body.remaining() + " bytes that remain");
    }
    return bytes(field, length);
  }

  /** Varint length, at most {@link PeerData#MAX_LENGTH}, then the bytes. */
  PeerData peerData(String field) throws CodecException {
    int offset = offset();
    int length = varint(field, "length");
    if (length > PeerData.MAX_LENGTH) {
      throw errorAt(offset, "field " + field + " length " + length
          + " exceeds PeerData.MAX_LENGTH " + PeerData.MAX_LENGTH);
    }
    return PeerData.of(bytes(field, length));
  }

  /** A 32-byte node id, then its peer data. */
  PeerInfo peerInfo(String field) throws CodecException {
    NodeId id = id32(field, "id", NodeId::read);
    return new PeerInfo(id, peerData(field + " data"));
  }

  /** Refuses bytes left over after a complete message. */
  void end() throws CodecException {
    if (body.hasRemaining()) {
      throw error(body.remaining() + " trailing bytes after a complete message");
    }
  }

  /** An error at the current offset. */
  CodecException error(String what) {
    return errorAt(offset(), what);
  }

  private CodecException errorAt(int offset, String what) {
    return new CodecException(what + " (" + messageType + ", offset " + offset + ")");
  }

  /**
   * A 32-byte id, read by {@code reader} ({@code NodeId::read} and the like) straight from the
   * body, without a view of its own.
   */
  <T> T id32(String field, Function<ByteBuffer, T> reader) throws CodecException {
    return id32(field, null, reader);
  }

  /** {@link #id32(String, Function)} of the field named {@code field + " " + suffix}. */
  <T> T id32(String field, String suffix, Function<ByteBuffer, T> reader)
      throws CodecException {
    if (body.remaining() < Id32.LENGTH) {
      throw error("truncated field " + name(field, suffix) + ": needs " + Id32.LENGTH
          + " bytes, " + body.remaining() + " remain");
    }
    return reader.apply(body);
  }

  private static String name(String field, String suffix) {
    return suffix == null ? field : field + " " + suffix;
  }

  private void require(int length, String field) throws CodecException {
    if (body.remaining() < length) {
      throw error("truncated field " + field + ": needs " + length + " bytes, "
          + body.remaining() + " remain");
    }
  }

  private int offset() {
    return body.position() - start;
  }

  /** "0 (HIGH) or 1 (LOW)". */
  private static String describeCodes(List<?> byCode) {
    StringBuilder text = new StringBuilder();
    for (int code = 0; code < byCode.size(); code++) {
      if (code > 0) {
        text.append(code == byCode.size() - 1 ? " or " : ", ");
      }
      text.append(code).append(" (").append(byCode.get(code)).append(')');
    }
    return text.toString();
  }

  /** "0x0c": how error messages show a byte. */
  static String hexByte(int value) {
    return "0x" + HexFormat.of().toHexDigits((byte) value);
  }
}
