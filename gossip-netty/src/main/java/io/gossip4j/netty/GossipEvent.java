package io.gossip4j.netty;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import java.util.Objects;

/** What a topic's subscriber receives. */
public sealed interface GossipEvent {

  /** A peer became our neighbor on this topic. */
  record NeighborUp(NodeId peer) implements GossipEvent {
    public NeighborUp {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** A peer stopped being our neighbor on this topic, and why. */
  record NeighborDown(NodeId peer, NeighborDownReason reason) implements GossipEvent {
    public NeighborDown {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A broadcast, delivered once to each subscriber.
   *
   * @param payload the bytes broadcast; shared between subscribers, do not modify
   * @param origin the node that broadcast it
   * @param deliveredFrom the neighbor it arrived from
   * @param scope whether it was broadcast to the swarm or to the origin's neighbors only
   * @param verified whether {@code origin} is authenticated: true when the topic is signed
   *     ({@link TopicOptions#signed()}, the default) and this node checked the origin's
   *     signature over the message, false on an unsigned topic, where {@code origin} is only
   *     what the message claims
   * @param late whether catch-up fetched it after the broadcast had passed this node by (a
   *     partition that healed, a restart, a join within {@code PlumTreeConfig.catchUpWindow}),
   *     rather than the broadcast bringing it: it may be older than the live messages around it
   */
  record Received(
      byte[] payload, NodeId origin, NodeId deliveredFrom, Scope scope, boolean verified,
      boolean late)
      implements GossipEvent {
    public Received {
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(deliveredFrom, "deliveredFrom");
      Objects.requireNonNull(scope, "scope");
    }

    /** A live delivery: the broadcast brought it. */
    public Received(
        byte[] payload, NodeId origin, NodeId deliveredFrom, Scope scope, boolean verified) {
      this(payload, origin, deliveredFrom, scope, verified, false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Received r
          && java.util.Arrays.equals(r.payload, payload)
          && r.origin.equals(origin)
          && r.deliveredFrom.equals(deliveredFrom)
          && r.scope == scope
          && r.verified == verified
          && r.late == late;
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          java.util.Arrays.hashCode(payload), origin, deliveredFrom, scope, verified, late);
    }

    @Override
    public String toString() {
      return "Received[" + payload.length + " bytes from " + origin + " via " + deliveredFrom
          + ", " + scope + (verified ? ", verified" : ", unverified") + (late ? ", late" : "") + "]";
    }
  }

  /**
   * This subscriber did not keep up: {@code dropped} events were dropped from its bounded queue
   * since the last event it got. Other subscribers are not affected.
   */
  record Lagged(long dropped) implements GossipEvent {}

  /**
   * {@code missed} broadcasts of {@code origin} never reached this node and will not: they are
   * older than catch-up could fetch (a partition longer than {@code
   * PlumTreeConfig.catchUpWindow}), or were lost where no copy was left. Seen as numbers the
   * origin skipped for longer than {@code PlumTreeConfig.gapTimeout}; a message that a topic's
   * {@link Validator} rejected on its way shows here too.
   *
   * @param origin the node whose broadcasts were missed
   * @param missed how many
   */
  record Gap(NodeId origin, long missed) implements GossipEvent {
    public Gap {
      Objects.requireNonNull(origin, "origin");
    }
  }
}
