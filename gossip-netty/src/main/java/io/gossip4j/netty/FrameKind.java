package io.gossip4j.netty;

/**
 * The kinds of frame a node sends and receives, each with its wire type code
 * (docs/wire-format.md): the membership's, the broadcast layer's, then the transport's own.
 */
public enum FrameKind {
  JOIN(0),
  FORWARD_JOIN(1),
  NEIGHBOR(2),
  NEIGHBOR_REPLY(3),
  DISCONNECT(4),
  SHUFFLE(5),
  SHUFFLE_REPLY(6),
  GOSSIP(7),
  IHAVE(8),
  GRAFT(9),
  PRUNE(10),
  TREE(11),
  SYNC(12),
  HELLO(13),
  CLOSE(14),
  HEARTBEAT(15);

  // By code, spelled out rather than taken from ordinal(): reordering the constants must not
  // change what a code counts as.
  private static final FrameKind[] BY_TYPE = new FrameKind[16];

  static {
    for (FrameKind kind : values()) {
      BY_TYPE[kind.code] = kind;
    }
  }

  private final int code;

  FrameKind(int code) {
    this.code = code;
  }

  /** The kind of wire type code {@code type}, 0 to 15. */
  static FrameKind ofType(int type) {
    return BY_TYPE[type];
  }

  /** Its wire type code. */
  int code() {
    return code;
  }
}
