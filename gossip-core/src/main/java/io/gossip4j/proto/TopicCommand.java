package io.gossip4j.proto;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.wire.PeerInfo;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** What the application can ask of a topic. */
public sealed interface TopicCommand {

  /** Join the topic (creating its state on first use) through these peers; again to add peers. */
  record Join(List<PeerInfo> bootstrap) implements TopicCommand {
    public Join {
      bootstrap = List.copyOf(bootstrap);
    }
  }

  /** Broadcast a payload to the whole swarm or to direct neighbors only. */
  record Broadcast(byte[] payload, Scope scope) implements TopicCommand {
    public Broadcast {
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /**
   * Who may be in the topic with us (creating its state on first use, as {@link Join} does):
   * peers the rule refuses are dropped now and refused from now on ({@link
   * io.gossip4j.hyparview.HyParView#setAdmission}), and their broadcasts are not delivered.
   */
  record Admit(Predicate<NodeId> rule) implements TopicCommand {
    public Admit {
      Objects.requireNonNull(rule, "rule");
    }
  }

  /** Leave the topic: tell the neighbors (DISCONNECT, not alive) and forget its state. */
  record Quit() implements TopicCommand {}
}
