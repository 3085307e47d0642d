package io.gossip4j.proto;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.PeerData;
import java.util.Objects;

/** Everything that can happen to a node's protocol: the argument of {@link Protocol#handle}. */
public sealed interface Input {

  /** A message arrived from a peer. */
  record Received(NodeId from, TopicId topic, Message message) implements Input {
    public Received {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The application asks something of one topic. */
  record Command(TopicId topic, TopicCommand command) implements Input {
    public Command {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(command, "command");
    }
  }

  /** A timer scheduled by an earlier {@link Output.Schedule} is due. */
  record TimerFired(Timer timer) implements Input {
    public TimerFired {
      Objects.requireNonNull(timer, "timer");
    }
  }

  /** The connection to a peer closed, failed, or could not be established. */
  record PeerLost(NodeId peer) implements Input {
    public PeerLost {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** The decision on a broadcast handed out by an earlier {@link Output.Judge}. */
  record Judged(TopicId topic, MessageId id, GuardDecision decision) implements Input {
    public Judged {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(decision, "decision");
    }
  }

  /** Our own peer data (listen addresses) changed. */
  record LocalDataChanged(PeerData data) implements Input {
    public LocalDataChanged {
      Objects.requireNonNull(data, "data");
    }
  }
}
