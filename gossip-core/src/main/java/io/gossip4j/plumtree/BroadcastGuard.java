package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import java.util.Optional;

/**
 * Origin authentication and application validation, plugged into the core by its driver. The
 * core has no keys and no clock, so it asks: to {@linkplain #seal seal} each broadcast it
 * originates, and to {@linkplain #judge judge} each broadcast it receives. gossip-netty
 * implements it with Ed25519 signatures, the wall clock and the topic's validator;
 * {@link #ACCEPT_ALL} seals nothing and accepts everything (the simulator's default).
 *
 * <p>{@link #seal} is called on the protocol's thread and must not block. {@link #judge} is
 * called there too for topics whose judgement is cheap; for the others ({@link
 * #judgesElsewhere}) the protocol hands the message out as {@link BroadcastOutput.Judge}, and
 * its driver calls {@code judge} where it likes (a pool of threads) and gives the decision back
 * to {@link PlumTree#onJudged}.
 */
public interface BroadcastGuard {

  /** Seals nothing and accepts every broadcast, unverified. */
  BroadcastGuard ACCEPT_ALL = new BroadcastGuard() {
    @Override
    public Optional<Seal> seal(
        TopicId topic, NodeId origin, long nonce, Scope scope, byte[] payload) {
      return Optional.empty();
    }

    @Override
    public GuardDecision judge(TopicId topic, Push gossip) {
      return GuardDecision.ACCEPT_UNVERIFIED;
    }

    @Override
    public String toString() {
      return "BroadcastGuard.ACCEPT_ALL";
    }
  };

  /**
   * The seal of a broadcast this node originates: its timestamp and signature, or empty if
   * the topic is not signed.
   */
  Optional<Seal> seal(TopicId topic, NodeId origin, long nonce, Scope scope, byte[] payload);

  /**
   * Whether this topic's broadcasts are judged away from the protocol's thread: true where
   * judging costs real work (an Ed25519 verification, an application's validator). Default:
   * false, judged in place.
   */
  default boolean judgesElsewhere(TopicId topic) {
    return false;
  }

  /**
   * Judges a broadcast received for the first time: called once per message id, after the
   * duplicate check and the id check, before it is delivered or forwarded.
   */
  GuardDecision judge(TopicId topic, Push gossip);
}
