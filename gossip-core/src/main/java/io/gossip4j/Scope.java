package io.gossip4j;

/** How far a broadcast travels. */
public enum Scope {
  /** To every node of the topic's swarm, through the broadcast tree. */
  SWARM,
  /** To the sender's direct neighbors only; they deliver it and do not forward it. */
  NEIGHBORS
}
