package io.gossip4j.proto;

import io.gossip4j.MessageId;
import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import java.util.Objects;

/** What the protocol tells the application about a topic. */
public sealed interface TopicEvent {

  /** A peer joined our active view for this topic. */
  record NeighborUp(NodeId peer) implements TopicEvent {
    public NeighborUp {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** A peer left our active view for this topic, and why. */
  record NeighborDown(NodeId peer, NeighborDownReason reason) implements TopicEvent {
    public NeighborDown {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A broadcast delivered for the first time. {@code deliveredFrom} is the neighbor it came
   * from, {@code hops} how many hops it travelled (1 when the origin sent it to us directly),
   * {@code verified} whether the origin's signature was checked (see {@code BroadcastGuard}),
   * {@code late} whether catch-up fetched it after it had passed (a partition, a restart, a
   * join), rather than the broadcast bringing it.
   */
  record Received(
      MessageId id,
      NodeId origin,
      NodeId deliveredFrom,
      Scope scope,
      int hops,
      byte[] payload,
      boolean verified,
      boolean late)
      implements TopicEvent {
    public Received {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(deliveredFrom, "deliveredFrom");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(payload, "payload");
    }

    /** A live delivery. */
    public Received(
        MessageId id, NodeId origin, NodeId deliveredFrom, Scope scope, int hops,
        byte[] payload, boolean verified) {
      this(id, origin, deliveredFrom, scope, hops, payload, verified, false);
    }

    /** A live delivery whose origin was not verified. */
    public Received(
        MessageId id, NodeId origin, NodeId deliveredFrom, Scope scope, int hops,
        byte[] payload) {
      this(id, origin, deliveredFrom, scope, hops, payload, false, false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Received r
          && r.id.equals(id)
          && r.origin.equals(origin)
          && r.deliveredFrom.equals(deliveredFrom)
          && r.scope == scope
          && r.hops == hops
          && r.verified == verified
          && r.late == late
          && java.util.Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, deliveredFrom, hops);
    }

    @Override
    public String toString() {
      return "Received[id=" + id + ", origin=" + origin + ", from=" + deliveredFrom + ", scope="
          + scope + ", hops=" + hops + ", payload=" + payload.length + " bytes"
          + (verified ? ", verified" : "") + (late ? ", late" : "") + "]";
    }
  }

  /**
   * {@code missed} broadcasts of {@code origin} never reached us and will not: older than
   * catch-up could fetch (a partition longer than the catch-up window), or lost where no copy
   * was left. Seen as nonces the origin skipped for longer than {@code gapTimeout}; a message
   * a validator on its path rejected shows here too.
   */
  record Gap(NodeId origin, long missed) implements TopicEvent {
    public Gap {
      Objects.requireNonNull(origin, "origin");
    }
  }

  /**
   * {@code peer} refused this node: its admission rule for the topic keeps us out. A join
   * through it cannot succeed.
   */
  record Refused(NodeId peer) implements TopicEvent {
    public Refused {
      Objects.requireNonNull(peer, "peer");
    }
  }
}
