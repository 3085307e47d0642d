package io.gossip4j.wire;

/**
 * A protocol message exchanged between two nodes about one topic: either membership
 * (HyParView) or broadcast (PlumTree). On the wire it travels inside a {@link Frame}.
 */
public sealed interface Message permits MembershipMessage, BroadcastMessage {}
