package io.gossip4j.plumtree;

/**
 * What a node's {@link BroadcastGuard} decided about a new broadcast, and so what PlumTree does
 * with it: deliver and forward it, or drop it; remember its id as seen, so its copies are
 * dropped unjudged; count it against the neighbor that sent it.
 */
public enum GuardDecision {
  /** The origin's signature and timestamp are good and the validator accepted: deliver. */
  ACCEPT_VERIFIED(true, true, false),
  /** Nothing about the origin was checked (an unsigned topic); the validator accepted. */
  ACCEPT_UNVERIFIED(true, true, false),
  /** The validator rejected it: dropped, seen, and a strike against the sender. */
  REJECT(false, true, true),
  /** The validator ignored it: dropped and seen, nobody is blamed. */
  IGNORE(false, true, false),
  /**
   * No seal, or a signature that does not verify: dropped and a strike against the sender, but
   * not seen. The signature is not part of the id, so remembering the id would let a neighbor
   * suppress the genuine message by sending a forged copy of it first.
   */
  INVALID_SIGNATURE(false, false, true),
  /**
   * A good signature, but the timestamp is outside the replay window: dropped and seen. Not
   * held against the sender, which may be an honest node whose clock differs from ours.
   */
  REPLAY(false, true, false);

  private final boolean delivers;
  private final boolean marksSeen;
  private final boolean strikesSender;

  GuardDecision(boolean delivers, boolean marksSeen, boolean strikesSender) {
    this.delivers = delivers;
    this.marksSeen = marksSeen;
    this.strikesSender = strikesSender;
  }

  /** Whether the message is delivered to the application and forwarded. */
  public boolean delivers() {
    return delivers;
  }

  /** Whether the message's origin was authenticated (signature and timestamp checked). */
  public boolean verified() {
    return this == ACCEPT_VERIFIED;
  }

  /** Whether its id is remembered, so later copies are dropped as duplicates unjudged. */
  public boolean marksSeen() {
    return marksSeen;
  }

  /** Whether it counts towards {@link PlumTreeConfig#invalidMessageLimit()} for its sender. */
  public boolean strikesSender() {
    return strikesSender;
  }
}
