package io.gossip4j;

import java.nio.ByteBuffer;

/** A node's identity: the 32 bytes of its Ed25519 public key. */
public final class NodeId extends Id32 {
  private NodeId(byte[] bytes) {
    super(bytes);
  }

  private NodeId(ByteBuffer src) {
    super(src);
  }

  /** Reads the next 32 bytes of {@code src} into a NodeId, moving its position past them. */
  public static NodeId read(ByteBuffer src) {
    return new NodeId(src);
  }

  /** The node id made of these 32 bytes (copied). */
  public static NodeId of(byte[] bytes) {
    return new NodeId(bytes);
  }

  /** Parses the 64-character hex form printed by {@link #toHex()}. */
  public static NodeId fromHex(String hex) {
    return new NodeId(parseHex(hex, "NodeId"));
  }
}
