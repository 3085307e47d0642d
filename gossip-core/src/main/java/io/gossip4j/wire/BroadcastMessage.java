package io.gossip4j.wire;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import java.util.List;
import java.util.Objects;

/** PlumTree's messages (Leitão, Pereira, Rodrigues 2007, "Epidemic Broadcast Trees"). */
public sealed interface BroadcastMessage extends Message {

  /**
   * A broadcast's payload. {@code round} is the number of hops it travelled before this send
   * (0 from the origin); {@code id} must equal {@link MessageIds#of} over topic, origin, nonce
   * and payload, or receivers drop it.
   */
  record Gossip(MessageId id, NodeId origin, long nonce, int round, Scope scope, byte[] payload)
      implements BroadcastMessage {
    /**
     * Most bytes a GOSSIP frame needs besides its payload: type byte, topic, id, origin, nonce,
     * round (varint, up to 5), scope, payload length (varint, up to 5).
     */
    public static final int MAX_OVERHEAD = 1 + 32 + 32 + 32 + 8 + 5 + 1 + 5;

    /** The largest payload a GOSSIP frame of at most {@code maxFrameSize} bytes can carry. */
    public static int maxPayloadSize(int maxFrameSize) {
      return maxFrameSize - MAX_OVERHEAD;
    }

    public Gossip {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(payload, "payload");
      if (round < 0) {
        throw new IllegalArgumentException("round must be >= 0, was " + round);
      }
    }

    /** The same message one hop further along. Shares the payload array: it is never mutated. */
    public Gossip withRound(int newRound) {
      return new Gossip(id, origin, nonce, newRound, scope, payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Gossip g
          && g.id.equals(id)
          && g.origin.equals(origin)
          && g.nonce == nonce
          && g.round == round
          && g.scope == scope
          && java.util.Arrays.equals(g.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, round, scope);
    }

    @Override
    public String toString() {
      return "Gossip[id=" + id + ", origin=" + origin + ", nonce=" + nonce + ", round=" + round
          + ", scope=" + scope + ", payload=" + payload.length + " bytes]";
    }
  }

  /** One announced message: its id and the round at which the announcer would send it. */
  record Announcement(MessageId id, int round) {
    public Announcement {
      Objects.requireNonNull(id, "id");
      if (round < 0) {
        throw new IllegalArgumentException("round must be >= 0, was " + round);
      }
    }
  }

  /** Lazy push: "I have these messages", batched per peer. */
  record IHave(List<Announcement> announcements) implements BroadcastMessage {
    public IHave {
      announcements = List.copyOf(announcements);
    }
  }

  /**
   * Asks the receiver to push us the payloads of {@code id}'s origin eagerly again (the origin
   * is the one of message {@code id}, which the receiver has seen) and, when {@code resend}, to
   * send that message. {@code round} is the round at which it was announced to us.
   */
  record Graft(MessageId id, int round, boolean resend) implements BroadcastMessage {
    public Graft {
      Objects.requireNonNull(id, "id");
      if (round < 0) {
        throw new IllegalArgumentException("round must be >= 0, was " + round);
      }
    }
  }

  /**
   * Asks the receiver to stop pushing us payloads of {@code origin} (announcements only): we got
   * one of its messages twice. Each origin has its own tree.
   */
  record Prune(NodeId origin) implements BroadcastMessage {
    public Prune {
      Objects.requireNonNull(origin, "origin");
    }
  }
}
