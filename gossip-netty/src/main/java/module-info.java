/**
 * gossip4j's transport: gossip over mutually authenticated TLS 1.3 connections on Netty, where a
 * node's Ed25519 public key is its node id.
 */
module io.gossip4j.netty {
  // transitive: NodeId, from the core, is part of this module's API.
  requires transitive io.gossip4j.core;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports io.gossip4j.netty;
}
