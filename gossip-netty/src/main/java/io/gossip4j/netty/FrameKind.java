package io.gossip4j.netty;

/**
 * The kinds of frame a node sends and receives, in the order of their wire type codes
 * (docs/wire-format.md): the membership's, the broadcast layer's, then the transport's own.
 */
public enum FrameKind {
  JOIN,
  FORWARD_JOIN,
  NEIGHBOR,
  NEIGHBOR_REPLY,
  DISCONNECT,
  SHUFFLE,
  SHUFFLE_REPLY,
  GOSSIP,
  IHAVE,
  GRAFT,
  PRUNE,
  TREE,
  SYNC,
  HELLO,
  CLOSE,
  HEARTBEAT;

  private static final FrameKind[] BY_TYPE = values();

  /** The kind of wire type code {@code type}, 0 to 15. */
  static FrameKind ofType(int type) {
    return BY_TYPE[type];
  }
}
