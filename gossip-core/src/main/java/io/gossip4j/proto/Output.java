package io.gossip4j.proto;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.PeerData;
import java.util.Objects;

/** What a node's protocol asks its driver to do. */
public sealed interface Output {

  /** Send a message to a peer, over its connection (dialed first if there is none). */
  record Send(NodeId to, TopicId topic, Message message) implements Output {
    public Send {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Make sure a connection to the peer exists or is being made; a no-op when one does. Always
   * precedes the first {@link Send} to a peer the protocol has no connection with.
   */
  record Dial(NodeId peer, PeerData data) implements Output {
    public Dial {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(data, "data");
    }
  }

  /** No topic needs this peer any more: close the connection once what was sent is flushed. */
  record Disconnect(NodeId peer) implements Output {
    public Disconnect {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** Feed {@code timer} back as {@link Input.TimerFired} after {@code delayNanos}. */
  record Schedule(long delayNanos, Timer timer) implements Output {
    public Schedule {
      Objects.requireNonNull(timer, "timer");
      if (delayNanos < 0) {
        throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
      }
    }
  }

  /**
   * Judge a new broadcast with the node's {@code BroadcastGuard} (its signature, its age, the
   * topic's validator), anywhere but in the middle of an input, and feed the decision back as
   * {@link Input.Judged}. Only for topics the guard {@code judgesElsewhere}.
   */
  record Judge(TopicId topic, Push push) implements Output {
    public Judge {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(push, "push");
    }
  }

  /** Tell the application something about a topic. */
  record Emit(TopicId topic, TopicEvent event) implements Output {
    public Emit {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(event, "event");
    }
  }
}
