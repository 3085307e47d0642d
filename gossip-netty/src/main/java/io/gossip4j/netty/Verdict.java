package io.gossip4j.netty;

/** A {@link Validator}'s decision about a broadcast. */
public enum Verdict {
  /** Deliver it to the subscribers and forward it to the swarm. */
  ACCEPT,
  /**
   * Drop it, and hold it against the neighbor that sent it: a neighbor that sends {@code
   * PlumTreeConfig.invalidMessageLimit} rejected or badly signed messages is disconnected. For
   * messages no honest node would send.
   */
  REJECT,
  /**
   * Drop it without blaming anyone: neither delivered nor forwarded. For messages that are
   * well-formed but unwanted here (stale, duplicate in application terms).
   */
  IGNORE
}
