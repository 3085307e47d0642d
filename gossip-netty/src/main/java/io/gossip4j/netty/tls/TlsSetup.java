package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import io.gossip4j.netty.Identity;
import io.gossip4j.wire.WireCodec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS 1.3 for one node identity: the handlers that authenticate a connection in either
 * direction.
 *
 * <p>Each side presents a self-signed certificate for its Ed25519 key and accepts only such a
 * certificate from the other (see {@link SelfSignedEd25519TrustManager}); the peer's node id is
 * its certificate's key. Both sides offer and require the application protocol {@value
 * #ALPN_PROTOCOL} in ALPN, which is how the protocol version is agreed: a peer speaking another
 * version is refused during the handshake. The JDK's TLS provider is used because Netty's OpenSSL
 * does not offer Ed25519.
 *
 * <p>The contexts are built once and shared by all connections; instances are thread-safe.
 */
public final class TlsSetup {
  /**
   * The ALPN protocol name both sides require: gossip4j's wire protocol, version 2 (origin
   * signatures in GOSSIP). A version 1 node fails the handshake with this one.
   */
  public static final String ALPN_PROTOCOL = "gossip4j/" + WireCodec.VERSION;

  /** How long a handshake may take before the connection is closed, if not configured. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  static final AttributeKey<NodeId> PEER = AttributeKey.valueOf(TlsSetup.class, "peer");

  private static final String TLS_1_3 = "TLSv1.3";

  private final SslContext clientContext;
  private final SslContext serverContext;
  private final Duration handshakeTimeout;
  private final RefusalLog refusals = new RefusalLog();
  private final NodeId self;

  private TlsSetup(Identity identity, Duration handshakeTimeout) {
    X509Certificate certificate = IdentityCertificate.selfSigned(identity);
    this.self = identity.nodeId();
    this.handshakeTimeout = handshakeTimeout;
    try {
      this.clientContext =
          configure(SslContextBuilder.forClient().keyManager(identity.privateKey(), certificate))
              // No host names here: the node id is checked instead, by PeerAuthenticator.
              .endpointIdentificationAlgorithm(null)
              .build();
      this.serverContext =
          configure(SslContextBuilder.forServer(identity.privateKey(), certificate))
              .clientAuth(ClientAuth.REQUIRE)
              .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for " + identity, e);
    }
  }

  /** TLS for {@code identity} with the {@linkplain #DEFAULT_HANDSHAKE_TIMEOUT default timeout}. */
  public static TlsSetup forIdentity(Identity identity) {
    return forIdentity(identity, DEFAULT_HANDSHAKE_TIMEOUT);
  }

  /**
   * TLS for {@code identity}; a handshake that takes longer than {@code handshakeTimeout} fails
   * with {@link PeerAuthenticationFailed.Reason#TIMED_OUT}.
   */
  public static TlsSetup forIdentity(Identity identity, Duration handshakeTimeout) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException(
          "handshake timeout " + handshakeTimeout + " must be positive");
    }
    return new TlsSetup(identity, handshakeTimeout);
  }

  /**
   * The handler for a connection this node dials to reach {@code expectedPeer}. Add it first in
   * the pipeline, before the channel connects; it installs the TLS handler in front of itself and
   * fires {@link PeerAuthenticated} or {@link PeerAuthenticationFailed} (then closes the channel),
   * the latter with {@link PeerAuthenticationFailed.Reason#UNEXPECTED_PEER} if another node
   * answers.
   */
  public ChannelHandler clientHandler(ByteBufAllocator alloc, NodeId expectedPeer) {
    Objects.requireNonNull(expectedPeer, "expectedPeer");
    // No peer host and port: the JDK then keeps no client session cache, so every connection
    // is a full handshake that proves the peer's key, never a resumption keyed by an address.
    return new PeerAuthenticator(newSslHandler(clientContext, alloc), self, expectedPeer,
        refusals);
  }

  /**
   * The handler for an accepted connection: like {@link #clientHandler}, for any peer that
   * presents a valid certificate.
   */
  public ChannelHandler serverHandler(ByteBufAllocator alloc) {
    return new PeerAuthenticator(newSslHandler(serverContext, alloc), self, null, refusals);
  }

  /** The peer a channel authenticated, once {@link PeerAuthenticated} has been fired on it. */
  public static Optional<NodeId> authenticatedPeer(Channel channel) {
    return Optional.ofNullable(channel.attr(PEER).get());
  }

  private SslHandler newSslHandler(SslContext context, ByteBufAllocator alloc) {
    Objects.requireNonNull(alloc, "alloc");
    SslHandler handler = context.newHandler(alloc);
    handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return handler;
  }

  private static SslContextBuilder configure(SslContextBuilder builder) {
    return builder
        .sslProvider(SslProvider.JDK)
        .protocols(TLS_1_3)
        .trustManager(SelfSignedEd25519TrustManager.INSTANCE)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                // Both sides send a fatal alert rather than continue without the protocol.
                SelectorFailureBehavior.FATAL_ALERT,
                SelectedListenerFailureBehavior.FATAL_ALERT,
                ALPN_PROTOCOL));
  }
}
