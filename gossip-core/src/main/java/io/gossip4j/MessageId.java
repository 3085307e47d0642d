package io.gossip4j;

import java.nio.ByteBuffer;

/**
 * A broadcast's identity: SHA-256 over topic, origin, the origin's nonce and the payload
 * (see {@code io.gossip4j.wire.MessageIds}). Receivers recompute it, so it cannot be spoofed.
 */
public final class MessageId extends Id32 {
  private MessageId(byte[] bytes) {
    super(bytes);
  }

  private MessageId(ByteBuffer src) {
    super(src);
  }

  /** Reads the next 32 bytes of {@code src} into a MessageId, moving its position past them. */
  public static MessageId read(ByteBuffer src) {
    return new MessageId(src);
  }

  /** The message id made of these 32 bytes (copied). */
  public static MessageId of(byte[] bytes) {
    return new MessageId(bytes);
  }

  /** Parses the 64-character hex form printed by {@link #toHex()}. */
  public static MessageId fromHex(String hex) {
    return new MessageId(parseHex(hex, "MessageId"));
  }
}
