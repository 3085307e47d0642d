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
 * <p>Called on the protocol's thread only, and synchronously: it must not block.
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
   * Judges a broadcast received for the first time: called once per message id, after the
   * duplicate check and the id check, before it is delivered or forwarded.
   */
  GuardDecision judge(TopicId topic, Push gossip);
}
