package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.plumtree.BroadcastGuard;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link BroadcastGuard}: seals our broadcasts with our Ed25519 key and the wall
 * clock, and judges received ones by their signature, their timestamp and the topic's
 * {@link Validator}, as each topic's {@link TopicOptions} say (docs/wire-format.md, section
 * 7.1). Signatures are BouncyCastle's low-level Ed25519 (RFC 8032), several times faster than
 * the JDK's; the node id is the public key.
 *
 * <p>Seals on the node's event loop. Judges there for topics that are neither signed nor
 * validated, and on the node's judging threads ({@link BroadcastJudges}) for the others, several
 * messages at once: everything it reads is immutable or concurrent.
 */
final class OriginSigner implements BroadcastGuard {
  private static final Logger log = LoggerFactory.getLogger(OriginSigner.class);

  private final byte[] privateKey;
  private final byte[] publicKey;
  private final LongSupplier wallClockMillis;
  /** Origins whose decoded keys are kept; ~200 bytes each. */
  static final int MAX_CACHED_KEYS = 4096;

  /** Decoded public keys of recent origins, shared by the judging threads. */
  private final Map<NodeId, Ed25519.PublicPoint> originKeys = new ConcurrentHashMap<>();
  /** Written on the loop, read by the judging threads too. */
  private final Map<TopicId, TopicOptions> topics = new ConcurrentHashMap<>();

  /**
   * @param identity whose key signs our broadcasts
   * @param wallClockMillis the time for our timestamps and the replay window, in ms since the
   *     epoch ({@code System::currentTimeMillis} outside tests)
   */
  OriginSigner(Identity identity, LongSupplier wallClockMillis) {
    this.privateKey = identity.privateSeed();
    this.publicKey = identity.nodeId().toBytes();
    this.wallClockMillis = wallClockMillis;
  }

  /** Sets a topic's options, on its first subscription. */
  void configure(TopicId topic, TopicOptions options) {
    topics.put(topic, options);
  }

  /** Forgets a topic's options, when its last subscription ends. */
  void forget(TopicId topic) {
    topics.remove(topic);
  }

  /** A topic's options: the defaults for a topic not configured. */
  TopicOptions options(TopicId topic) {
    return topics.getOrDefault(topic, TopicOptions.defaults());
  }

  @Override
  public Optional<Seal> seal(
      TopicId topic, NodeId origin, long nonce, Scope scope, byte[] payload) {
    if (!options(topic).signed()) {
      return Optional.empty();
    }
    long timestamp = wallClockMillis.getAsLong();
    byte[] message = Seal.signedBytes(topic, origin, nonce, timestamp, scope, payload);
    byte[] signature = new byte[Seal.SIGNATURE_LENGTH];
    Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return Optional.of(new Seal(timestamp, signature));
  }

  /** Signatures and validators are real work: they run off the event loop. */
  @Override
  public boolean judgesElsewhere(TopicId topic) {
    TopicOptions options = options(topic);
    return options.signed() || options.validator() != Validator.ACCEPT_ALL;
  }

  @Override
  public GuardDecision judge(TopicId topic, Push gossip) {
    TopicOptions options = options(topic);
    if (options.signed()) {
      if (!hasValidSignature(topic, gossip)) {
        log.debug("dropped broadcast {} on topic {}: not signed by its origin {}",
            gossip.id().shortHex(), topic, gossip.origin().shortHex());
        return GuardDecision.INVALID_SIGNATURE;
      }
      long timestamp = gossip.seal().get().timestampMillis();
      long now = wallClockMillis.getAsLong();
      if (timestamp < now - options.replayWindow().toMillis()
          || timestamp > now + options.maxClockSkew().toMillis()) {
        log.debug("dropped broadcast {} on topic {}: timestamp {} is outside the replay window"
            + " at {}", gossip.id().shortHex(), topic, timestamp, now);
        return GuardDecision.REPLAY;
      }
    }
    Verdict verdict = validate(options.validator(), topic, gossip);
    if (verdict == Verdict.ACCEPT) {
      return options.signed() ? GuardDecision.ACCEPT_VERIFIED : GuardDecision.ACCEPT_UNVERIFIED;
    }
    return verdict == Verdict.REJECT ? GuardDecision.REJECT : GuardDecision.IGNORE;
  }

  /** Whether the message carries a seal whose signature its origin made. */
  boolean hasValidSignature(TopicId topic, Push gossip) {
    if (gossip.seal().isEmpty()) {
      return false;
    }
    Seal seal = gossip.seal().get();
    Ed25519.PublicPoint key = originKey(gossip.origin());
    if (key == null) {
      return false; // not a key BouncyCastle verifies against: no signature can be good
    }
    byte[] message = Seal.signedBytes(topic, gossip.origin(), gossip.nonce(),
        seal.timestampMillis(), gossip.scope(), gossip.payload());
    return Ed25519.verify(seal.signature(), 0, key, message, 0, message.length);
  }

  /** Keys cached now, for tests of the bound. */
  int cachedKeys() {
    return originKeys.size();
  }

  /**
   * The origin's public key, decoded (and checked as {@code Ed25519.verify} checks a key given
   * as bytes) once rather than for every message: a fifth to a third of a verification.
   * Null if BouncyCastle refuses the key. At most {@link #MAX_CACHED_KEYS}, then it starts over.
   */
  private Ed25519.PublicPoint originKey(NodeId origin) {
    Ed25519.PublicPoint key = originKeys.get(origin);
    if (key == null) {
      key = Ed25519.validatePublicKeyPartialExport(origin.toBytes(), 0);
      if (key == null) {
        return null;
      }
      if (originKeys.size() >= MAX_CACHED_KEYS) {
        originKeys.clear();
      }
      originKeys.put(origin, key);
    }
    return key;
  }

  private static Verdict validate(Validator validator, TopicId topic, Push gossip) {
    try {
      Verdict verdict = validator.validate(gossip.origin(), gossip.payload());
      return verdict == null ? Verdict.IGNORE : verdict;
    } catch (RuntimeException e) {
      log.warn("the validator of topic {} failed on broadcast {}; ignoring it", topic,
          gossip.id().shortHex(), e);
      return Verdict.IGNORE;
    }
  }
}
