package io.gossip4j.proto;

import io.gossip4j.Scope;
import io.gossip4j.wire.PeerInfo;
import java.util.List;
import java.util.Objects;

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

  /** Leave the topic: tell the neighbors (DISCONNECT, not alive) and forget its state. */
  record Quit() implements TopicCommand {}
}
