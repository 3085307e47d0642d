/**
 * Binds a gossip4j node's metrics to a Micrometer registry: {@link
 * io.gossip4j.micrometer.GossipMeters}.
 */
module io.gossip4j.micrometer {
  requires transitive io.gossip4j.netty;
  requires transitive micrometer.core;

  exports io.gossip4j.micrometer;
}
