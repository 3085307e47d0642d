package io.gossip4j.netty;

import io.gossip4j.NodeId;

/**
 * Decides whether a topic's broadcasts are delivered and forwarded, like gossipsub's
 * validators. Called once per message, after the origin's signature and timestamp were checked
 * (on a signed topic) and before any subscriber sees it or any neighbor gets it, on one of the
 * node's judging threads ({@link Gossip.Builder#verificationThreads}): possibly for several
 * messages at once, so it must be thread-safe. It should be quick: messages wait for it. A
 * validator that throws is taken as {@link Verdict#IGNORE}.
 */
@FunctionalInterface
public interface Validator {

  /** Accepts everything: the default. */
  Validator ACCEPT_ALL = (origin, payload) -> Verdict.ACCEPT;

  /**
   * @param origin the node that broadcast the message; authenticated on a signed topic
   * @param payload the message's bytes; do not modify
   * @return what to do with it; null is taken as {@link Verdict#IGNORE}
   */
  Verdict validate(NodeId origin, byte[] payload);
}
