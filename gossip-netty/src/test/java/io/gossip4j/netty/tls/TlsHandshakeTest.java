package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossip4j.netty.Identity;
import io.gossip4j.netty.TlsProvider;
import io.gossip4j.netty.tls.PeerAuthenticationFailed.Reason;
import io.gossip4j.netty.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Handshakes between every pair of providers (BoringSSL and the JDK's, either side), on real
 * loopback connections.
 */
class TlsHandshakeTest {
  private static final List<TlsProvider> PROVIDERS = List.of(TlsProvider.JDK, TlsProvider.OPENSSL);

  private final Identity serverIdentity = Identity.generate();
  private final Identity clientIdentity = Identity.generate();
  private final List<Loopback> loopbacks = new ArrayList<>();

  /** Which provider each end of a connection uses. */
  record Ends(TlsProvider client, TlsProvider server) {
    @Override
    public String toString() {
      return "client " + client + ", server " + server;
    }
  }

  @AfterEach
  void shutDown() {
    loopbacks.forEach(Loopback::close);
  }

  static Stream<Ends> ends() {
    return PROVIDERS.stream().flatMap(c -> PROVIDERS.stream().map(s -> new Ends(c, s)));
  }

  static Stream<Arguments> transportsAndEnds() {
    Transport best = Transport.best();
    List<Transport> transports =
        best.name().equals("nio") ? List.of(best) : List.of(Transport.nio(), best);
    return transports.stream().flatMap(t -> ends().map(e -> Arguments.of(t, e)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("transportsAndEnds")
  void clientAndServerLearnEachOthersNodeId(Transport transport, Ends ends) throws Exception {
    Loopback net = loopback(transport);
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));
    Recorder accepted = net.nextAccepted();

    assertThat(client.outcome(PeerAuthenticated.class).peer()).isEqualTo(serverIdentity.nodeId());
    assertThat(accepted.outcome(PeerAuthenticated.class).peer())
        .isEqualTo(clientIdentity.nodeId());
    assertThat(TlsSetup.authenticatedPeer(client.channel())).contains(serverIdentity.nodeId());
    assertThat(TlsSetup.authenticatedPeer(accepted.channel())).contains(clientIdentity.nodeId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void authenticatedChannelCarriesDataThroughTlsOnly(Ends ends) throws Exception {
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));
    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));
    Recorder accepted = net.nextAccepted();
    client.outcome(PeerAuthenticated.class);
    accepted.outcome(PeerAuthenticated.class);

    client.channel().writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));

    assertThat(accepted.firstMessage()).isEqualTo("hello");
    assertThat(client.channel().pipeline().get(PeerAuthenticator.class)).isNull();
    SslHandler clientSsl = client.channel().pipeline().get(SslHandler.class);
    SslHandler serverSsl = accepted.channel().pipeline().get(SslHandler.class);
    assertThat(serverSsl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(serverSsl.applicationProtocol()).isEqualTo(TlsSetup.ALPN_PROTOCOL);
    assertThat(clientSsl.applicationProtocol()).isEqualTo(TlsSetup.ALPN_PROTOCOL);
    // Each end really runs on the provider it was given.
    assertThat(isBoringSsl(clientSsl)).isEqualTo(ends.client() == TlsProvider.OPENSSL);
    assertThat(isBoringSsl(serverSsl)).isEqualTo(ends.server() == TlsProvider.OPENSSL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void repeatedConnectionsAuthenticateAndDeliverDataSentAtOnce(Ends ends) throws Exception {
    // The client writes the moment it has authenticated the server; in TLS 1.3 that data can
    // reach the server together with the client's Finished. It must arrive after the server's
    // own PeerAuthenticated, not be refused as data before authentication.
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    for (int i = 0; i < 20; i++) {
      Recorder client =
          net.connect(
              server,
              ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()),
              new Recorder("ping " + i));
      Recorder accepted = net.nextAccepted();
      assertThat(client.outcome(PeerAuthenticated.class).peer())
          .isEqualTo(serverIdentity.nodeId());
      assertThat(accepted.outcome(PeerAuthenticated.class).peer())
          .isEqualTo(clientIdentity.nodeId());
      assertThat(accepted.firstMessage()).isEqualTo("ping " + i);
      client.channel().close();
      assertThat(accepted.awaitClosed()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void dialerRefusesAPeerWithAnotherNodeId(Ends ends) throws Exception {
    Identity wanted = Identity.generate();
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress impostor = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client =
        net.connect(impostor, ch -> clientTls.clientHandler(ch.alloc(), wanted.nodeId()));
    PeerAuthenticationFailed failure = client.outcome(PeerAuthenticationFailed.class);

    assertThat(failure.reason()).isEqualTo(Reason.UNEXPECTED_PEER);
    assertThat(failure.detail())
        .isEqualTo(
            "dialed node " + wanted.nodeId().toHex()
                + " but the peer is node " + serverIdentity.nodeId().toHex());
    assertThat(client.awaitClosed()).isTrue();
    assertThat(TlsSetup.authenticatedPeer(client.channel())).isEmpty();
    assertThat(net.nextAccepted().awaitClosed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void aNodeThatReachesItselfRefusesOnBothEndsWithoutAWarning(TlsProvider provider)
      throws Exception {
    // A peer's advertised loopback address, dialed on the same host, reaches this node.
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, provider);
    InetSocketAddress self = net.listen(ch -> serverTls.serverHandler(ch.alloc()));
    Identity wanted = Identity.generate();
    ListAppender<ILoggingEvent> log = logOf(PeerAuthenticator.class);

    Recorder client =
        net.connect(self, ch -> serverTls.clientHandler(ch.alloc(), wanted.nodeId()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed dialed = client.outcome(PeerAuthenticationFailed.class);
    assertThat(dialed.reason()).isEqualTo(Reason.UNEXPECTED_PEER);
    assertThat(dialed.detail()).isEqualTo("the address reached this node itself");
    assertThat(accepted.outcome(PeerAuthenticationFailed.class).detail())
        .isEqualTo("the address reached this node itself");
    assertThat(TlsSetup.authenticatedPeer(accepted.channel())).isEmpty();
    assertThat(log.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  /** Records what {@code type}'s logger logs from now on. */
  private static ListAppender<ILoggingEvent> logOf(Class<?> type) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
    return appender;
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void plaintextClientIsRefused(TlsProvider provider) throws Exception {
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, provider);
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));
    Recorder plain = net.connect(server, ch -> new ChannelInboundHandlerAdapter());

    plain.channel().writeAndFlush(
        Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
    Recorder accepted = net.nextAccepted();

    assertThat(accepted.outcome(PeerAuthenticationFailed.class).reason())
        .isEqualTo(Reason.NOT_TLS);
    assertThat(accepted.awaitClosed()).isTrue();
    assertThat(plain.awaitClosed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void silentClientTimesOut(TlsProvider provider) throws Exception {
    TlsSetup impatient = TlsSetup.forIdentity(serverIdentity, Duration.ofMillis(200), provider);
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> impatient.serverHandler(ch.alloc()));
    Recorder silent = net.connect(server, ch -> new ChannelInboundHandlerAdapter());

    Recorder accepted = net.nextAccepted();

    assertThat(accepted.outcome(PeerAuthenticationFailed.class).reason())
        .isEqualTo(Reason.TIMED_OUT);
    assertThat(silent.awaitClosed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void clientWithoutAlpnIsRefused(Ends ends) throws Exception {
    SslContext noAlpn = clientContext(ends.client(), null);
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> noAlpn.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
    assertThat(failure.detail())
        .isEqualTo("peer negotiated application protocol none, expected 'gossip4j/3'");
    assertThat(client.awaitClosed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void clientOfferingAnotherProtocolVersionIsRefused(Ends ends) throws Exception {
    SslContext otherVersion = clientContext(ends.client(), "gossip4j/2");
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> otherVersion.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
    // The JDK refuses during the handshake; BoringSSL completes it without a protocol.
    assertThat(failure.detail()).isEqualTo(ends.server() == TlsProvider.JDK
        ? "javax.net.ssl.SSLHandshakeException: No matching application layer protocol values"
        : "peer negotiated application protocol none, expected 'gossip4j/3'");
    assertThat(client.awaitClosed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void serverOfferingAnotherProtocolVersionIsRefused(Ends ends) throws Exception {
    SslContext otherVersion = TlsSetup.context(true, IdentityCertificate.generate(serverIdentity),
        ends.server(), "gossip4j/2");
    Loopback net = loopback(Transport.best());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress server = net.listen(ch -> otherVersion.newHandler(ch.alloc()));

    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));

    assertThat(client.outcome(PeerAuthenticationFailed.class).reason())
        .isEqualTo(Reason.PROTOCOL_MISMATCH);
    assertThat(client.awaitClosed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ends")
  void clientWithoutCertificateIsRefused(Ends ends) throws Exception {
    SslContext anonymous = TlsSetup.context(false, null, ends.client(), TlsSetup.ALPN_PROTOCOL);
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> anonymous.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.BAD_CERTIFICATE);
    assertThat(failure.detail()).containsIgnoringCase("certificate");
    assertThat(client.awaitClosed()).isTrue();
  }

  /** A certificate that must be refused, and the reason it must be refused with. */
  record BadCertificate(String name, IdentityCertificate certificate, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadCertificate> badCertificates() throws Exception {
    Identity identity = Identity.generate();
    Instant end = Instant.parse("2020-01-01T00:00:00Z");
    Instant later = Instant.now().plus(TestCertificates.HOUR).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    TestCertificates.SelfSigned plain = TestCertificates.selfSigned("RSA", "SHA256withRSA");
    return Stream.of(
        new BadCertificate("a bad extension signature",
            TestCertificates.libp2p(identity).signingAnotherKey().build(),
            "the signature in the libp2p public key extension does not verify"),
        new BadCertificate("an RSA identity key",
            TestCertificates.libp2p(IdentityKey.KeyType.RSA).build(),
            "identity key type is RSA, expected Ed25519"),
        new BadCertificate("an ECDSA identity key",
            TestCertificates.libp2p(IdentityKey.KeyType.ECDSA).build(),
            "identity key type is ECDSA, expected Ed25519"),
        new BadCertificate("an expired certificate",
            TestCertificates.libp2p(identity).validity(end.minus(TestCertificates.HOUR), end)
                .build(),
            "certificate expired at 2020-01-01T00:00:00Z"),
        new BadCertificate("a certificate not yet valid",
            TestCertificates.libp2p(identity).validity(later, later.plus(TestCertificates.HOUR))
                .build(),
            "certificate is not valid before " + later),
        new BadCertificate("a certificate without the extension",
            new IdentityCertificate(plain.key(), plain.certificate()),
            "certificate has no libp2p public key extension"));
  }

  static Stream<Arguments> badCertificatesAndEnds() throws Exception {
    List<BadCertificate> bad = badCertificates().toList();
    return ends().flatMap(e -> bad.stream().map(b -> Arguments.of(b, e)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("badCertificatesAndEnds")
  void aServerWithABadCertificateIsRefusedWithTheReason(BadCertificate bad, Ends ends)
      throws Exception {
    SslContext badServer =
        TlsSetup.context(true, bad.certificate(), ends.server(), TlsSetup.ALPN_PROTOCOL);
    Loopback net = loopback(Transport.best());
    TlsSetup clientTls = tls(clientIdentity, ends.client());
    InetSocketAddress server = net.listen(ch -> badServer.newHandler(ch.alloc()));

    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));

    PeerAuthenticationFailed failure = client.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.BAD_CERTIFICATE);
    assertThat(failure.detail()).startsWith("peer certificate refused: " + bad.reason());
    assertThat(client.awaitClosed()).isTrue();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("badCertificatesAndEnds")
  void aClientWithABadCertificateIsRefusedWithTheReason(BadCertificate bad, Ends ends)
      throws Exception {
    SslContext badClient =
        TlsSetup.context(false, bad.certificate(), ends.client(), TlsSetup.ALPN_PROTOCOL);
    Loopback net = loopback(Transport.best());
    TlsSetup serverTls = tls(serverIdentity, ends.server());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> badClient.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.BAD_CERTIFICATE);
    assertThat(failure.detail()).startsWith("peer certificate refused: " + bad.reason());
    assertThat(TlsSetup.authenticatedPeer(accepted.channel())).isEmpty();
    assertThat(client.awaitClosed()).isTrue();
  }

  private Loopback loopback(Transport transport) {
    Loopback loopback = new Loopback(transport);
    loopbacks.add(loopback);
    return loopback;
  }

  private static TlsSetup tls(Identity identity, TlsProvider provider) {
    return TlsSetup.forIdentity(identity, TlsSetup.DEFAULT_HANDSHAKE_TIMEOUT, provider);
  }

  /** A client context like {@link TlsSetup}'s, offering {@code protocol} in ALPN, or no ALPN. */
  private SslContext clientContext(TlsProvider provider, String protocol) throws Exception {
    return TlsSetup.context(false, IdentityCertificate.generate(clientIdentity), provider,
        protocol);
  }

  private static boolean isBoringSsl(SslHandler handler) {
    return handler.engine() instanceof ReferenceCountedOpenSslEngine;
  }
}
