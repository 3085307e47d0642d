package io.gossip4j.netty;

import io.gossip4j.NodeId;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a node treats one topic's broadcasts: whether they are signed, how old a message may be,
 * and which application checks it. Made with {@link #builder()}; {@link #defaults()} signs,
 * accepts messages up to 120 s old and 10 s ahead of our clock, and accepts every payload.
 *
 * <p><b>Signing.</b> On a signed topic every broadcast we originate carries our Ed25519
 * signature over topic, origin, nonce, a timestamp, scope and payload; every broadcast we
 * receive is verified once, before it is delivered or forwarded, and arrives as a
 * {@link GossipEvent.Received} with {@code verified} true. A message without a valid signature
 * is dropped and held against the neighbor that sent it. All nodes of a swarm should agree:
 * a signed node drops every unsigned message. On an unsigned topic nothing is signed or
 * checked, and deliveries say {@code verified} false.
 *
 * <p><b>Replays.</b> On a signed topic a message whose signed timestamp is more than {@link
 * #replayWindow} older than our clock, or more than {@link #maxClockSkew} ahead of it, is
 * dropped. Their sum must not exceed {@code PlumTreeConfig.seenCacheRetention}, so a message
 * replayed after its id has left the seen-message cache is always too old to be delivered
 * again; and the window must be longer than {@code PlumTreeConfig.catchUpWindow}, so what
 * catch-up fetches is not refused (both checked at {@link Gossip#subscribe(io.gossip4j.TopicId,
 * java.util.Collection, TopicOptions, java.util.function.Consumer) subscribe}).
 *
 * @param signed sign our broadcasts and require valid signatures on received ones
 * @param validator the application's check of each new message
 * @param replayWindow how old, by its signed timestamp, a message may be when it reaches us
 * @param maxClockSkew how far ahead of our clock a message's timestamp may be
 * @param admission who may be in the topic with this node (see {@link Builder#admission})
 */
public record TopicOptions(
    boolean signed, Validator validator, Duration replayWindow, Duration maxClockSkew,
    Predicate<NodeId> admission) {

  /** The default admission: every node. */
  private static final Predicate<NodeId> EVERYONE = peer -> true;

  private static final Duration MAX_DURATION = Duration.ofDays(1);

  public TopicOptions {
    Objects.requireNonNull(validator, "TopicOptions.validator");
    Objects.requireNonNull(admission, "TopicOptions.admission");
    check("TopicOptions.replayWindow", replayWindow, Duration.ofMillis(1));
    check("TopicOptions.maxClockSkew", maxClockSkew, Duration.ZERO);
  }

  /** Signed, a 120 s replay window, 10 s of clock skew, every payload accepted. */
  public static TopicOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@link Builder#admission} was set, rather than left to admit everyone. */
  boolean admissionSet() {
    return admission != EVERYONE;
  }

  /**
   * Whether two subscriptions of one topic agree on how broadcasts are treated: every option
   * but the admission rule, which is the topic's and changes at run time ({@link
   * Topic#admission}).
   */
  boolean sameRulesAs(TopicOptions other) {
    return signed == other.signed && validator.equals(other.validator)
        && replayWindow.equals(other.replayWindow) && maxClockSkew.equals(other.maxClockSkew);
  }

  /** The options, saying only whether an admission rule is set (a lambda prints as noise). */
  @Override
  public String toString() {
    return "TopicOptions[signed=" + signed + ", validator=" + validator + ", replayWindow="
        + replayWindow + ", maxClockSkew=" + maxClockSkew
        + (admissionSet() ? ", admission set" : "") + "]";
  }

  private static void check(String field, Duration value, Duration min) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + MAX_DURATION + ", was " + value);
    }
  }

  /** Builds {@link TopicOptions}; {@link #build()} checks every field and names a bad one. */
  public static final class Builder {
    private boolean signed = true;
    private Validator validator = Validator.ACCEPT_ALL;
    private Duration replayWindow = Duration.ofSeconds(120);
    private Duration maxClockSkew = Duration.ofSeconds(10);
    private Predicate<NodeId> admission = EVERYONE;

    private Builder() {}

    /** Whether broadcasts are signed and signatures required. Default true. */
    public Builder signed(boolean value) {
      signed = value;
      return this;
    }

    /** The application's check of each new message. Default {@link Validator#ACCEPT_ALL}. */
    public Builder validator(Validator value) {
      validator = value;
      return this;
    }

    /**
     * How old a signed message may be when it reaches us. Default 120 s: longer than the
     * default catch-up window (90 s), which a signed topic's window must be.
     */
    public Builder replayWindow(Duration value) {
      replayWindow = value;
      return this;
    }

    /** How far ahead of our clock a signed message's timestamp may be. Default 10 s. */
    public Builder maxClockSkew(Duration value) {
      maxClockSkew = value;
      return this;
    }

    /**
     * Who may be in the topic with this node; default everyone. A peer the rule refuses is put
     * in no view, passed on to nobody, and told it is not admitted whatever it sends on the
     * topic; broadcasts from an origin the rule refuses are neither delivered nor forwarded (on
     * a signed topic the origin is proved; on an unsigned one it is only claimed). A node that
     * only refusing peers answer sees {@link Topic#joined()} fail saying so.
     *
     * <p>The rule is the topic's, not one subscription's: a subscription that sets one replaces
     * the topic's rule, and {@link Topic#admission} changes it at run time. It runs on the node's
     * event loop for every node id the topic hears of, so it must be quick and must not block; a
     * rule that throws refuses that peer. It is not compared when a topic is subscribed again.
     */
    public Builder admission(Predicate<NodeId> value) {
      admission = value;
      return this;
    }

    /** The options; throws {@link IllegalArgumentException} naming the first bad field. */
    public TopicOptions build() {
      return new TopicOptions(signed, validator, replayWindow, maxClockSkew, admission);
    }
  }
}
