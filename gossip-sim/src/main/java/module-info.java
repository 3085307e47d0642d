/**
 * gossip4j's simulator: many gossip-core protocol instances on virtual time, connected by an
 * in-memory network with seeded latencies, run by worker threads that give the same result on
 * any number of threads; and the papers' scenarios (stable, mass failure, churn, flood) with
 * their measures (reliability, relative message redundancy, last delivery hop, latency).
 */
module io.gossip4j.sim {
  // transitive: NodeId, ProtocolConfig, Input and Output, from the core, are part of this API.
  requires transitive io.gossip4j.core;
  requires org.slf4j;

  exports io.gossip4j.sim;
}
