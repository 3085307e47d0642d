package io.gossip4j.wire;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** PlumTree's messages (Leitão, Pereira, Rodrigues 2007, "Epidemic Broadcast Trees"). */
public sealed interface BroadcastMessage extends Message {

  /**
   * A broadcast's payload, pushed eagerly (the paper's and the wire's GOSSIP). {@code round} is the number of hops it travelled before this send
   * (0 from the origin); {@code id} must equal {@link MessageIds#of} over topic, origin, nonce
   * and payload, or receivers drop it. {@code seal}, when present, is the origin's signed
   * timestamp: it travels unchanged from hop to hop so every receiver can check who wrote the
   * message (docs/wire-format.md, section 5.1). {@code ownTree} is set by an origin that sends
   * often enough to have a broadcast tree of its own; without it the message rides the topic's
   * shared tree. {@code late} marks a copy that catch-up fetched after the broadcast had passed
   * (a WANT's answer, and every copy forwarded from it): its receivers tell the application so.
   */
  record Push(
      MessageId id,
      NodeId origin,
      long nonce,
      int round,
      Scope scope,
      boolean ownTree,
      boolean late,
      Optional<Seal> seal,
      byte[] payload)
      implements BroadcastMessage {
    /**
     * Most bytes a GOSSIP frame needs besides its payload: type byte, topic, id, origin, nonce,
     * round (varint, up to 5), flags, the seal (timestamp and signature), payload length
     * (varint, up to 5).
     */
    public static final int MAX_OVERHEAD = 1 + 32 + 32 + 32 + 8 + 5 + 1 + Seal.SIZE + 5;

    /** The largest payload a GOSSIP frame of at most {@code maxFrameSize} bytes can carry. */
    public static int maxPayloadSize(int maxFrameSize) {
      return maxFrameSize - MAX_OVERHEAD;
    }

    public Push {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(seal, "seal");
      Objects.requireNonNull(payload, "payload");
      if (round < 0) {
        throw new IllegalArgumentException("round must be >= 0, was " + round);
      }
    }

    /** A live (not caught-up) message. */
    public Push(MessageId id, NodeId origin, long nonce, int round, Scope scope,
        boolean ownTree, Optional<Seal> seal, byte[] payload) {
      this(id, origin, nonce, round, scope, ownTree, false, seal, payload);
    }

    /** A live message on the shared tree. */
    public Push(MessageId id, NodeId origin, long nonce, int round, Scope scope,
        Optional<Seal> seal, byte[] payload) {
      this(id, origin, nonce, round, scope, false, false, seal, payload);
    }

    /** An unsealed message on the shared tree: its origin did not sign it. */
    public Push(MessageId id, NodeId origin, long nonce, int round, Scope scope,
        byte[] payload) {
      this(id, origin, nonce, round, scope, false, false, Optional.empty(), payload);
    }

    /** The same message one hop further along. Shares the payload array: it is never mutated. */
    public Push withRound(int newRound) {
      return new Push(id, origin, nonce, newRound, scope, ownTree, late, seal, payload);
    }

    /**
     * This message as catch-up serves it: marked late, and on the shared tree (its origin's own
     * tree, if it has one, was built for live traffic).
     */
    public Push asLate() {
      return new Push(id, origin, nonce, round, scope, false, true, seal, payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Push g
          && g.id.equals(id)
          && g.origin.equals(origin)
          && g.nonce == nonce
          && g.round == round
          && g.scope == scope
          && g.ownTree == ownTree
          && g.late == late
          && g.seal.equals(seal)
          && java.util.Arrays.equals(g.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, round, scope);
    }

    @Override
    public String toString() {
      return "Push[id=" + id + ", origin=" + origin + ", nonce=" + nonce + ", round=" + round
          + ", scope=" + scope + (ownTree ? ", own tree" : "") + (late ? ", late" : "") + seal.map(s -> ", " + s).orElse(", unsealed") + ", payload="
          + payload.length + " bytes]";
    }
  }

  /**
   * What the origin of a signed broadcast adds to it: when it sent it, and its Ed25519
   * signature over topic, origin, nonce, timestamp, scope and payload (the signed bytes are
   * defined in docs/wire-format.md, section 7.1). The codec only carries it; checking it is the
   * job of the {@code BroadcastGuard} of the receiving node.
   *
   * @param timestampMillis the origin's wall clock when it broadcast, ms since the Unix epoch
   * @param signature the 64-byte Ed25519 signature; not copied, do not modify
   */
  record Seal(long timestampMillis, byte[] signature) {
    /** Bytes of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;
    /** Bytes a seal takes on the wire: the timestamp and the signature. */
    public static final int SIZE = Long.BYTES + SIGNATURE_LENGTH;
    /**
     * Starts the signed bytes, so a broadcast signature can never be mistaken for a signature
     * the same key makes for anything else: ASCII "gossip4j/2 broadcast".
     */
    public static final String SIGNING_CONTEXT = "gossip4j/2 broadcast";

    private static final byte[] CONTEXT_BYTES =
        SIGNING_CONTEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public Seal {
      Objects.requireNonNull(signature, "signature");
      if (signature.length != SIGNATURE_LENGTH) {
        throw new IllegalArgumentException(
            "signature must be " + SIGNATURE_LENGTH + " bytes, was " + signature.length);
      }
    }

    /**
     * The bytes the origin signs: the context, topic, origin, nonce and timestamp (8 bytes
     * big-endian each), the scope (0 SWARM, 1 NEIGHBORS) and the payload. Every field before
     * the payload has a fixed size, so two different messages never sign the same bytes.
     */
    public static byte[] signedBytes(
        TopicId topic, NodeId origin, long nonce, long timestampMillis, Scope scope,
        byte[] payload) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(
          CONTEXT_BYTES.length + 2 * Id32.LENGTH + 2 * Long.BYTES + 1 + payload.length);
      bytes.put(CONTEXT_BYTES);
      bytes.put(topic.toBytes());
      bytes.put(origin.toBytes());
      bytes.putLong(nonce);
      bytes.putLong(timestampMillis);
      bytes.put((byte) (scope == Scope.NEIGHBORS ? 1 : 0));
      bytes.put(payload);
      return bytes.array();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Seal s
          && s.timestampMillis == timestampMillis
          && java.util.Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(timestampMillis) * 31 + java.util.Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
      return "Seal[timestamp=" + timestampMillis + "]";
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

  /**
   * The sender's place in the topic's shared tree (docs/wire-format.md, section 5.5): the root
   * it follows, the root's sequence number it last heard, its distance in hops from the root,
   * whether it has a path to the root at all ({@code routed}; a node that lost its path says so,
   * so the nodes below it look elsewhere) and whether it chose the receiver as its parent.
   * {@code seqRequest} asks the receiver to pass on, towards the root, a request for a newer
   * sequence number of that root: the sender lost its path, and only a newer number makes its
   * other neighbors feasible parents (Babel's seqno request). {@code seqAnswer} says that the
   * root raised {@code seq} to answer such a request: it travels down the tree and to the nodes
   * that asked, not over every link as a beacon's number does.
   */
  record Tree(NodeId root, int seq, int distance, boolean routed, boolean parentIsYou,
      boolean seqRequest, boolean seqAnswer) implements BroadcastMessage {
    /** An offer that neither asks for nor answers a request. */
    public Tree(NodeId root, int seq, int distance, boolean routed, boolean parentIsYou) {
      this(root, seq, distance, routed, parentIsYou, false, false);
    }

    public Tree {
      Objects.requireNonNull(root, "root");
      if (seq < 0) {
        throw new IllegalArgumentException("seq must be >= 0, was " + seq);
      }
      if (distance < 0) {
        throw new IllegalArgumentException("distance must be >= 0, was " + distance);
      }
    }
  }

  /**
   * One step of catch-up's range-based set reconciliation (docs/wire-format.md, section 5.6):
   * ranges that together cover the whole id space, in ascending order, each saying what the
   * sender holds there among the messages of its catch-up window.
   */
  record Sync(List<SyncRange> ranges) implements BroadcastMessage {
    public Sync {
      ranges = List.copyOf(ranges);
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("a SYNC has at least one range");
      }
      for (int i = 1; i < ranges.size(); i++) {
        if (SyncRange.compareBounds(ranges.get(i - 1).upper(), ranges.get(i).upper()) >= 0) {
          throw new IllegalArgumentException("SYNC range " + i + "'s bound is not above the "
              + "bound of the range before it");
        }
      }
      if (ranges.get(ranges.size() - 1).upper().length != 0) {
        throw new IllegalArgumentException("a SYNC's last range must end at the end of the id "
            + "space (an empty bound)");
      }
    }
  }

  /** Asks for these messages' payloads: catch-up pulls what a SYNC showed we lack. */
  record Want(List<MessageId> ids) implements BroadcastMessage {
    public Want {
      ids = List.copyOf(ids);
    }
  }
}
