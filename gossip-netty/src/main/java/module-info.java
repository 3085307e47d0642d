/**
 * gossip4j's transport: gossip over mutually authenticated TLS 1.3 connections on Netty, where a
 * node's Ed25519 public key is its node id.
 *
 * <p>Native epoll is used when Netty finds its library: on the class path, or on the module path
 * when the module is resolved ({@code --add-modules io.netty.transport.epoll.linux.x86_64}, as
 * nothing requires it). Otherwise the transport falls back to NIO. BoringSSL is the same: on the
 * module path, {@code --add-modules
 * io.netty.tcnative.classes.openssl,io.netty.internal.tcnative.openssl.linux.x86_64}, else the
 * JDK's TLS.
 */
module io.gossip4j.netty {
  // transitive: NodeId, from the core, is part of this module's API.
  requires transitive io.gossip4j.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.handler;
  requires transitive io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  // DnsDiscovery reads SRV, A/AAAA and TXT records with the JDK's DNS client.
  requires java.naming;

  exports io.gossip4j.netty;
}
