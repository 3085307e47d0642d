package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage;
import java.util.Objects;

/**
 * What {@link PlumTree} asks of the layer above, in the order it asked: read with {@link
 * PlumTree#drainOutputs} after each input.
 */
public sealed interface BroadcastOutput {

  /** Send a message to a peer. */
  record Send(NodeId to, BroadcastMessage message) implements BroadcastOutput {
    public Send {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Feed {@code timer} back to {@link PlumTree#onTimer} after {@code delayNanos}. */
  record Schedule(long delayNanos, BroadcastTimer timer) implements BroadcastOutput {
    public Schedule {
      Objects.requireNonNull(timer, "timer");
    }
  }

  /**
   * Hand a newly received broadcast to the application; {@code verified} says whether its
   * origin's signature was checked.
   */
  record Deliver(Push push, NodeId deliveredFrom, boolean verified) implements BroadcastOutput {
    public Deliver {
      Objects.requireNonNull(push, "push");
      Objects.requireNonNull(deliveredFrom, "deliveredFrom");
    }
  }

  /**
   * Judge this new message with the node's {@link BroadcastGuard#judge} (off the protocol's
   * thread if the driver likes) and hand the decision to {@link PlumTree#onJudged}. Its copies
   * wait until then.
   */
  record Judge(Push push) implements BroadcastOutput {
    public Judge {
      Objects.requireNonNull(push, "push");
    }
  }

  /**
   * A neighbor reached {@link PlumTreeConfig#invalidMessageLimit()}: drop it from the swarm
   * (PlumTree has already forgotten it).
   */
  record Expel(NodeId peer) implements BroadcastOutput {
    public Expel {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /**
   * Tell the application that {@code missed} broadcasts of {@code origin} never reached us and
   * will not: older than catch-up could fetch (a partition longer than the catch-up window), or
   * lost where no copy was left.
   */
  record Gap(NodeId origin, long missed) implements BroadcastOutput {
    public Gap {
      Objects.requireNonNull(origin, "origin");
    }
  }
}
