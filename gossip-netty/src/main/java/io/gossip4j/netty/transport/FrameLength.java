package io.gossip4j.netty.transport;

import io.netty.buffer.ByteBuf;

/**
 * The 4-byte big-endian length before every frame body on the wire. Outbound frames are built
 * with it in front of the body, in the same buffer, so a frame is one buffer to write and
 * encrypt (a separate prefix buffer per frame, as a prepending handler makes, doubled the
 * writes queued in TLS and allocated a promise to join them).
 */
public final class FrameLength {
  /** Size of the prefix. */
  public static final int BYTES = 4;

  private FrameLength() {}

  /** The frame type of a prefixed frame: the low four bits of its first body byte. */
  static int type(ByteBuf frame) {
    return frame.getUnsignedByte(frame.readerIndex() + BYTES) & 0x0f;
  }

  /** Body bytes of a prefixed frame. */
  static int bodyLength(ByteBuf frame) {
    return frame.readableBytes() - BYTES;
  }
}
