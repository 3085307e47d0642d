package io.gossip4j.hyparview;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.wire.MembershipMessage;
import java.util.Objects;

/**
 * What {@link HyParView} asks of the layer above, in the order it asked: read with {@link
 * HyParView#drainOutputs} after each input.
 */
public sealed interface MembershipOutput {

  /** Send a message to a peer (the driver dials it if needed). */
  record Send(NodeId to, MembershipMessage message) implements MembershipOutput {
    public Send {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Feed {@code timer} back to {@link HyParView#onTimer} after {@code delayNanos}. */
  record Schedule(long delayNanos, MembershipTimer timer) implements MembershipOutput {
    public Schedule {
      Objects.requireNonNull(timer, "timer");
    }
  }

  /** {@code peer} entered the active view. */
  record NeighborUp(NodeId peer) implements MembershipOutput {
    public NeighborUp {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** {@code peer} left the active view. */
  record NeighborDown(NodeId peer, NeighborDownReason reason) implements MembershipOutput {
    public NeighborDown {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * {@code peer} refused us (DISCONNECT, not admitted): its admission rule keeps us out of the
   * topic. It is in no view of ours any more.
   */
  record Refused(NodeId peer) implements MembershipOutput {
    public Refused {
      Objects.requireNonNull(peer, "peer");
    }
  }
}
