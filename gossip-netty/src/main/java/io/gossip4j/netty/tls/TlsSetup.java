package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import io.gossip4j.netty.Identity;
import io.gossip4j.netty.TlsProvider;
import io.gossip4j.wire.WireCodec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS 1.3 for one node identity: the handlers that authenticate a connection in either
 * direction.
 *
 * <p>Each side presents a certificate per the libp2p TLS scheme (see {@link IdentityCertificate})
 * and accepts only such a certificate from the other (see {@link Libp2pTrustManager}); the peer's
 * node id is the Ed25519 key in its certificate's libp2p extension. Both sides offer and require
 * the application protocol {@value #ALPN_PROTOCOL} in ALPN, which is how the protocol version is
 * agreed: a peer speaking another version is refused at the end of the handshake.
 *
 * <p>The TLS implementation is BoringSSL (through netty-tcnative) or the JDK's, as {@link
 * TlsProvider} chooses; the certificates are ECDSA P-256, which both accept.
 *
 * <p>The contexts are built once and shared by all connections; instances are thread-safe.
 */
public final class TlsSetup {
  /**
   * The ALPN protocol name both sides require: gossip4j's wire protocol, version 3. A node of
   * another version is refused at the handshake, with {@link
   * PeerAuthenticationFailed.Reason#PROTOCOL_MISMATCH}.
   */
  public static final String ALPN_PROTOCOL = "gossip4j/" + WireCodec.VERSION;

  /** How long a handshake may take before the connection is closed, if not configured. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  static final AttributeKey<NodeId> PEER = AttributeKey.valueOf(TlsSetup.class, "peer");

  private static final Logger log = LoggerFactory.getLogger(TlsSetup.class);
  private static final String TLS_1_3 = "TLSv1.3";

  private final SslContext clientContext;
  private final SslContext serverContext;
  private final Duration handshakeTimeout;
  private final RefusalLog refusals = new RefusalLog();
  private final NodeId self;
  private final TlsProvider provider;

  private TlsSetup(Identity identity, Duration handshakeTimeout, TlsProvider provider) {
    IdentityCertificate certificate = IdentityCertificate.generate(identity);
    this.self = identity.nodeId();
    this.handshakeTimeout = handshakeTimeout;
    this.provider = provider;
    try {
      this.clientContext = context(false, certificate, provider, ALPN_PROTOCOL);
      this.serverContext = context(true, certificate, provider, ALPN_PROTOCOL);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for " + identity, e);
    }
  }

  /**
   * TLS for {@code identity} with the {@linkplain #DEFAULT_HANDSHAKE_TIMEOUT default timeout} on
   * the provider {@link TlsProvider#AUTO} chooses.
   */
  public static TlsSetup forIdentity(Identity identity) {
    return forIdentity(identity, DEFAULT_HANDSHAKE_TIMEOUT, TlsProvider.AUTO);
  }

  /**
   * TLS for {@code identity} on {@code provider}; a handshake that takes longer than {@code
   * handshakeTimeout} fails with {@link PeerAuthenticationFailed.Reason#TIMED_OUT}.
   *
   * @throws IllegalStateException if {@code provider} is {@link TlsProvider#OPENSSL} and
   *     BoringSSL is not available (see {@link #resolve})
   */
  public static TlsSetup forIdentity(
      Identity identity, Duration handshakeTimeout, TlsProvider provider) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException(
          "handshake timeout " + handshakeTimeout + " must be positive");
    }
    return new TlsSetup(identity, handshakeTimeout, resolve(provider));
  }

  /**
   * The provider {@code requested} stands for here: {@link TlsProvider#JDK} or {@link
   * TlsProvider#OPENSSL}. {@link TlsProvider#AUTO} takes BoringSSL if it loads and offers TLS
   * 1.3; the outcome, and why BoringSSL is not used, are logged.
   *
   * @throws IllegalStateException if {@link TlsProvider#OPENSSL} is requested and BoringSSL is
   *     not available, saying why
   */
  public static TlsProvider resolve(TlsProvider requested) {
    Objects.requireNonNull(requested, "provider");
    String unavailable = openSslUnavailability();
    switch (requested) {
      case JDK:
        log.debug("TLS provider JDK, as configured");
        return TlsProvider.JDK;
      case OPENSSL:
        if (unavailable != null) {
          throw new IllegalStateException("TLS provider OPENSSL is not available: " + unavailable);
        }
        log.debug("TLS provider OPENSSL ({}), as configured", OpenSsl.versionString());
        return TlsProvider.OPENSSL;
      default:
        if (unavailable != null) {
          log.info("TLS provider JDK: BoringSSL is not available ({})", unavailable);
          return TlsProvider.JDK;
        }
        log.info("TLS provider OPENSSL ({})", OpenSsl.versionString());
        return TlsProvider.OPENSSL;
    }
  }

  /** Why BoringSSL cannot be used here, or null if it can. */
  private static String openSslUnavailability() {
    if (!OpenSsl.isAvailable()) {
      Throwable cause = OpenSsl.unavailabilityCause();
      return "netty-tcnative-boringssl-static for this platform did not load"
          + (cause == null ? "" : ": " + cause);
    }
    if (!SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      return OpenSsl.versionString() + " does not offer TLS 1.3";
    }
    return null;
  }

  /** The provider in use: {@link TlsProvider#JDK} or {@link TlsProvider#OPENSSL}. */
  public TlsProvider provider() {
    return provider;
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
   * The handler for a connection that asks which node answers at an address: like {@link
   * #clientHandler}, for whichever node proves its key (this node itself is still refused).
   */
  public ChannelHandler clientHandlerForAnyPeer(ByteBufAllocator alloc) {
    return new PeerAuthenticator(newSslHandler(clientContext, alloc), self, null, refusals);
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

  /**
   * A client or server context: TLS 1.3 only, on {@code provider}, presenting {@code certificate}
   * (none if null), trusting {@link Libp2pTrustManager}, offering {@code protocol} in ALPN (no
   * ALPN if null); a server requires a client certificate.
   */
  static SslContext context(boolean server, IdentityCertificate certificate,
      TlsProvider provider, String protocol) throws SSLException {
    SslContextBuilder builder;
    if (server) {
      builder = SslContextBuilder.forServer(certificate.privateKey(), certificate.certificate())
          .clientAuth(ClientAuth.REQUIRE);
    } else {
      builder = SslContextBuilder.forClient()
          // No host names here: the node id is checked instead, by PeerAuthenticator.
          .endpointIdentificationAlgorithm(null);
      if (certificate != null) {
        builder.keyManager(certificate.privateKey(), certificate.certificate());
      }
    }
    builder.sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols(TLS_1_3)
        .trustManager(Libp2pTrustManager.INSTANCE);
    if (protocol != null) {
      builder.applicationProtocolConfig(alpn(provider, protocol));
    }
    return builder.build();
  }

  /**
   * ALPN offering {@code protocol} only. The JDK ends a handshake without a common
   * protocol with a fatal alert; Netty's OpenSSL engine cannot, so it completes without one, and
   * {@link PeerAuthenticator} refuses the connection then. Either way both ends learn the reason.
   */
  private static ApplicationProtocolConfig alpn(TlsProvider provider, String protocol) {
    return provider == TlsProvider.OPENSSL
        ? new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
            SelectedListenerFailureBehavior.ACCEPT, protocol)
        : new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.FATAL_ALERT,
            SelectedListenerFailureBehavior.FATAL_ALERT, protocol);
  }
}
