package io.gossip4j.proto;

import io.gossip4j.TopicId;
import io.gossip4j.hyparview.MembershipTimer;
import io.gossip4j.plumtree.BroadcastTimer;
import java.util.Objects;

/**
 * An opaque timer value the driver hands back when it is due. Timers cannot be cancelled: each
 * carries the topic's epoch (a topic left and joined again gets a new one) and enough state for
 * its protocol to recognize it as stale, in which case firing it does nothing.
 */
public sealed interface Timer {

  /** A HyParView timer of one topic. */
  record Membership(TopicId topic, long epoch, MembershipTimer timer) implements Timer {
    public Membership {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(timer, "timer");
    }
  }

  /** A PlumTree timer of one topic. */
  record Broadcast(TopicId topic, long epoch, BroadcastTimer timer) implements Timer {
    public Broadcast {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(timer, "timer");
    }
  }
}
