package io.gossip4j.wire;

import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.util.List;
import java.util.Objects;

/** HyParView's messages (Leitão, Pereira, Rodrigues 2007, section 4). */
public sealed interface MembershipMessage extends Message {

  /** Priority of a NEIGHBOR request: a high one is always accepted. */
  enum Priority {
    /** Sent by a node whose active view is empty: the receiver must accept. */
    HIGH,
    /** The receiver accepts only while its active view has room. */
    LOW
  }

  /** A new node asks a contact to admit it to the swarm. */
  record Join(PeerData data) implements MembershipMessage {
    public Join {
      Objects.requireNonNull(data, "data");
    }
  }

  /** A join spreading on a random walk of at most {@code ttl} more hops. */
  record ForwardJoin(PeerInfo peer, int ttl) implements MembershipMessage {
    public ForwardJoin {
      Objects.requireNonNull(peer, "peer");
      requireNonNegative(ttl, "ttl");
    }
  }

  /** A request to become active neighbors; answered by {@link NeighborReply}. */
  record Neighbor(Priority priority, PeerData data) implements MembershipMessage {
    public Neighbor {
      Objects.requireNonNull(priority, "priority");
      Objects.requireNonNull(data, "data");
    }
  }

  /** The answer to {@link Join} or {@link Neighbor}: accepted means both are now neighbors. */
  record NeighborReply(boolean accepted, PeerData data) implements MembershipMessage {
    public NeighborReply {
      Objects.requireNonNull(data, "data");
    }
  }

  /** The sender drops us from its active view, and why. */
  record Disconnect(Why why) implements MembershipMessage {
    /** Why a DISCONNECT was sent (docs/wire-format.md, 4.5, gives the wire codes). */
    public enum Why {
      /** The sender leaves the topic. */
      LEAVING,
      /** The sender stays in the topic (it made room, or gave up on a request). */
      DROPPED,
      /**
       * The sender's admission rule for the topic refuses the receiver: it takes nothing the
       * receiver sends on this topic, and the receiver should not ask again.
       */
      NOT_ADMITTED
    }

    public Disconnect {
      Objects.requireNonNull(why, "why");
    }

    /** {@link Why#DROPPED} if {@code alive}, else {@link Why#LEAVING}. */
    public Disconnect(boolean alive) {
      this(alive ? Why.DROPPED : Why.LEAVING);
    }

    /** Whether the sender stays in the topic. */
    public boolean alive() {
      return why != Why.LEAVING;
    }
  }

  /** A sample of the origin's views on a random walk of at most {@code ttl} more hops. */
  record Shuffle(PeerInfo origin, List<PeerInfo> nodes, int ttl) implements MembershipMessage {
    public Shuffle {
      Objects.requireNonNull(origin, "origin");
      nodes = List.copyOf(nodes);
      requireNonNegative(ttl, "ttl");
    }
  }

  /** The accepting node's sample of its passive view, sent back to a shuffle's origin. */
  record ShuffleReply(List<PeerInfo> nodes) implements MembershipMessage {
    public ShuffleReply {
      nodes = List.copyOf(nodes);
    }
  }

  private static void requireNonNegative(int value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + value);
    }
  }
}
