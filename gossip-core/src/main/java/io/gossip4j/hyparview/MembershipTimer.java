package io.gossip4j.hyparview;

import io.gossip4j.NodeId;

/** HyParView's timers. */
public sealed interface MembershipTimer {

  /** The periodic shuffle (and a check that the active view is full). */
  record Shuffle() implements MembershipTimer {}

  /** A JOIN or NEIGHBOR request to {@code peer} has had no answer; stale if {@code seq} moved. */
  record RequestExpired(NodeId peer, long seq) implements MembershipTimer {}
}
