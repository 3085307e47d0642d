package io.gossip4j.sim;

/** Who sends a simulation's broadcasts. */
public enum Senders {
  /** One node, drawn once per run, sends every broadcast (it never crashes). */
  SINGLE,
  /** Each broadcast comes from a node drawn at random among the live ones. */
  RANDOM,
  /** Every live node sends at the same instant, one broadcast each, until the batch is done. */
  ALL
}
