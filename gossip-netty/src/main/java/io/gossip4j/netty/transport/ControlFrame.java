package io.gossip4j.netty.transport;

import io.gossip4j.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The transport's own frames, in the type codes the wire format reserves for it (11 to 15): they
 * never reach the protocol core. Each is the version/type byte, plus an incarnation for HELLO.
 */
sealed interface ControlFrame {
  int HELLO = WireCodec.FIRST_TRANSPORT_TYPE;
  int CLOSE = WireCodec.FIRST_TRANSPORT_TYPE + 1;
  int HEARTBEAT = WireCodec.FIRST_TRANSPORT_TYPE + 2;

  /**
   * First frame on every connection, both ways, after TLS: the sender's incarnation, random per
   * process start, so a connection from a restarted peer can be told from a duplicate one.
   */
  record Hello(long incarnation) implements ControlFrame {}

  /**
   * "I will write nothing more on this connection": sent on the connection that lost the
   * one-channel-per-peer tie-break, after everything already written to it.
   */
  record Close() implements ControlFrame {}

  /** Sent on a connection idle for writing, so the peer's read-idle timer sees it alive. */
  record Heartbeat() implements ControlFrame {}

  /** The byte that starts a frame of this type. */
  static byte typeByte(int type) {
    return (byte) ((WireCodec.VERSION << 4) | type);
  }

  /** Writes the frame as it goes on the wire: its 4-byte length, then its body. */
  static ByteBuf encode(ControlFrame frame, ByteBufAllocator alloc) {
    if (frame instanceof Hello hello) {
      return alloc.buffer(FrameLength.BYTES + 9).writeInt(9).writeByte(typeByte(HELLO))
          .writeLong(hello.incarnation());
    } else if (frame instanceof Close) {
      return alloc.buffer(FrameLength.BYTES + 1).writeInt(1).writeByte(typeByte(CLOSE));
    } else {
      return alloc.buffer(FrameLength.BYTES + 1).writeInt(1).writeByte(typeByte(HEARTBEAT));
    }
  }
}
