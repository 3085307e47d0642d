/**
 * gossip4j's simulator: many gossip-core protocol instances on virtual time, connected by an
 * in-memory network with seeded latencies, run by worker threads that give the same result on
 * any number of threads; and the papers' scenarios (stable, mass failure, churn, flood) with
 * their measures (reliability, relative message redundancy, last delivery hop, latency).
 */
// "exports": Network's API takes the core's protocol types (ProtocolConfig, Input, Output),
// which the core exports to this module and the transport only. The simulator is a tool of
// gossip4j's own (the sim command, the tests), not an API for applications.
@SuppressWarnings("exports")
module io.gossip4j.sim {
  // transitive: NodeId and the configs, from the core, are part of this API.
  requires transitive io.gossip4j.core;

  exports io.gossip4j.sim;
}
