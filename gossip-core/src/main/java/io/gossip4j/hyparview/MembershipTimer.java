package io.gossip4j.hyparview;

import io.gossip4j.NodeId;

/** HyParView's timers. */
public sealed interface MembershipTimer {

  /** The periodic shuffle (and a check that the active view is full). */
  record Shuffle() implements MembershipTimer {}

  /**
   * One shuffle soon after joining, so a new node fills its passive view (and, through it, the
   * rest of its active view) without waiting a whole shuffle interval. Not periodic; but while
   * the passive view is still empty the shuffle is repeated, and if the join failed (no
   * neighbor, no request out) the join is tried again: {@code attempt} counts the retries, each
   * waiting twice as long as the one before, up to {@code maxProbeInterval}, for as long as the
   * node knows nobody.
   */
  record JoinShuffle(int attempt) implements MembershipTimer {
    /** After the first try to join. */
    public JoinShuffle() {
      this(0);
    }
  }

  /** A round of probes to neighbors lost to failures; see {@code HyParView.onProbeLost}. */
  record ProbeLost() implements MembershipTimer {}

  /** Ask again for neighbors: the active view is not full and every known peer refused. */
  record RetryRefill() implements MembershipTimer {}

  /** A JOIN or NEIGHBOR request to {@code peer} has had no answer; stale if {@code seq} moved. */
  record RequestExpired(NodeId peer, long seq) implements MembershipTimer {}

  /**
   * A request to {@code peer} timed out a while ago and no late reply came: its connection is
   * no longer needed. Stale if another request to the peer was made since.
   */
  record LateReplyExpired(NodeId peer, long seq) implements MembershipTimer {}
}
