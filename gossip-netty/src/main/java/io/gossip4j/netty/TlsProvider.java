package io.gossip4j.netty;

/**
 * Which TLS implementation a node's connections use. Both speak the same TLS 1.3 handshake with
 * the same certificates, so the two ends of a connection may use different ones.
 */
public enum TlsProvider {
  /**
   * {@link #OPENSSL} where netty-tcnative's BoringSSL loads, {@link #JDK} otherwise. The default;
   * the choice, and why BoringSSL is not used, are logged when the node is built.
   */
  AUTO,
  /** The JDK's own TLS (SunJSSE): works everywhere, at about half BoringSSL's throughput. */
  JDK,
  /**
   * BoringSSL through Netty's OpenSSL engine: needs {@code io.netty:netty-tcnative-boringssl-static}
   * (an optional dependency of gossip-netty) for this platform on the class or module path.
   */
  OPENSSL
}
