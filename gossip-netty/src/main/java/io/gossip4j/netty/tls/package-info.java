/**
 * Internal: mutual TLS 1.3 with self-signed Ed25519 certificates, where a peer's certificate key
 * is its node id. Entry point {@link io.gossip4j.netty.tls.TlsSetup}. Not exported by the module.
 */
package io.gossip4j.netty.tls;
