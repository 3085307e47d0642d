/**
 * Internal: mutual TLS 1.3 with the libp2p certificate scheme (an ECDSA P-256 certificate
 * carrying the node's Ed25519 identity key and its signature), where that identity key is the
 * peer's node id, on BoringSSL or the JDK's TLS. Entry point {@link
 * io.gossip4j.netty.tls.TlsSetup}. Not exported by the module.
 */
package io.gossip4j.netty.tls;
