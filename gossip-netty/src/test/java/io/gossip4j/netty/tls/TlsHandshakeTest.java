package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossip4j.netty.Identity;
import io.gossip4j.netty.tls.PeerAuthenticationFailed.Reason;
import io.gossip4j.netty.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class TlsHandshakeTest {
  private final Identity serverIdentity = Identity.generate();
  private final Identity clientIdentity = Identity.generate();
  private final TlsSetup serverTls = TlsSetup.forIdentity(serverIdentity);
  private final TlsSetup clientTls = TlsSetup.forIdentity(clientIdentity);
  private final List<Loopback> loopbacks = new ArrayList<>();

  @AfterEach
  void shutDown() {
    loopbacks.forEach(Loopback::close);
  }

  static Stream<Transport> transports() {
    Transport best = Transport.best();
    return best.name().equals("nio") ? Stream.of(best) : Stream.of(Transport.nio(), best);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void clientAndServerLearnEachOthersNodeId(Transport transport) throws Exception {
    Loopback net = loopback(transport);
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

  @Test
  void authenticatedChannelCarriesDataThroughTlsOnly() throws Exception {
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));
    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));
    Recorder accepted = net.nextAccepted();
    client.outcome(PeerAuthenticated.class);
    accepted.outcome(PeerAuthenticated.class);

    client.channel().writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));

    assertThat(accepted.firstMessage()).isEqualTo("hello");
    assertThat(client.channel().pipeline().get(PeerAuthenticator.class)).isNull();
    assertThat(client.channel().pipeline().get(SslHandler.class)).isNotNull();
    SslHandler ssl = accepted.channel().pipeline().get(SslHandler.class);
    assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(ssl.applicationProtocol()).isEqualTo(TlsSetup.ALPN_PROTOCOL);
  }

  @Test
  void repeatedConnectionsAuthenticateAndDeliverDataSentAtOnce() throws Exception {
    // The client writes the moment it has authenticated the server; in TLS 1.3 that data can
    // reach the server together with the client's Finished. It must arrive after the server's
    // own PeerAuthenticated, not be refused as data before authentication.
    Loopback net = loopback(Transport.best());
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

  @Test
  void dialerRefusesAPeerWithAnotherNodeId() throws Exception {
    Identity wanted = Identity.generate();
    Loopback net = loopback(Transport.best());
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

  @Test
  void aNodeThatReachesItselfRefusesOnBothEndsWithoutAWarning() throws Exception {
    // A peer's advertised loopback address, dialed on the same host, reaches this node.
    Loopback net = loopback(Transport.best());
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

  @Test
  void plaintextClientIsRefused() throws Exception {
    Loopback net = loopback(Transport.best());
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

  @Test
  void silentClientTimesOut() throws Exception {
    TlsSetup impatient = TlsSetup.forIdentity(serverIdentity, Duration.ofMillis(200));
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> impatient.serverHandler(ch.alloc()));
    Recorder silent = net.connect(server, ch -> new ChannelInboundHandlerAdapter());

    Recorder accepted = net.nextAccepted();

    assertThat(accepted.outcome(PeerAuthenticationFailed.class).reason())
        .isEqualTo(Reason.TIMED_OUT);
    assertThat(silent.awaitClosed()).isTrue();
  }

  @Test
  void clientWithoutAlpnIsRefused() throws Exception {
    SslContext noAlpn = clientContext(clientIdentity, null).build();
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> noAlpn.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
    assertThat(failure.detail())
        .isEqualTo("peer negotiated application protocol none, expected 'gossip4j/3'");
    assertThat(client.awaitClosed()).isTrue();
  }

  @Test
  void clientOfferingAnotherProtocolVersionIsRefused() throws Exception {
    SslContext otherVersion = clientContext(clientIdentity, "gossip4j/2").build();
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> otherVersion.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
    assertThat(failure.detail()).contains("No matching application layer protocol");
    assertThat(client.outcome(SslHandshakeCompletionEvent.class).isSuccess()).isFalse();
    assertThat(client.awaitClosed()).isTrue();
  }

  @Test
  void serverOfferingAnotherProtocolVersionIsRefused() throws Exception {
    SslContext otherVersion =
        SslContextBuilder.forServer(
                serverIdentity.privateKey(), IdentityCertificate.selfSigned(serverIdentity))
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3")
            .clientAuth(ClientAuth.REQUIRE)
            .trustManager(SelfSignedEd25519TrustManager.INSTANCE)
            .applicationProtocolConfig(alpn("gossip4j/2"))
            .build();
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> otherVersion.newHandler(ch.alloc()));

    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));

    assertThat(client.outcome(PeerAuthenticationFailed.class).reason())
        .isEqualTo(Reason.PROTOCOL_MISMATCH);
    assertThat(client.awaitClosed()).isTrue();
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    SslContext anonymous =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3")
            .trustManager(SelfSignedEd25519TrustManager.INSTANCE)
            .endpointIdentificationAlgorithm(null)
            .applicationProtocolConfig(alpn(TlsSetup.ALPN_PROTOCOL))
            .build();
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> serverTls.serverHandler(ch.alloc()));

    Recorder client = net.connect(server, ch -> anonymous.newHandler(ch.alloc()));
    Recorder accepted = net.nextAccepted();

    PeerAuthenticationFailed failure = accepted.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.BAD_CERTIFICATE);
    assertThat(failure.detail()).contains("Empty client certificate chain");
    assertThat(client.awaitClosed()).isTrue();
  }

  @Test
  void serverWithAnRsaCertificateIsRefused() throws Exception {
    TestCertificates.SelfSigned rsa = TestCertificates.selfSigned("RSA", "SHA256withRSA");
    SslContext rsaServer =
        SslContextBuilder.forServer(rsa.key(), rsa.certificate())
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3")
            .clientAuth(ClientAuth.REQUIRE)
            .trustManager(SelfSignedEd25519TrustManager.INSTANCE)
            .applicationProtocolConfig(alpn(TlsSetup.ALPN_PROTOCOL))
            .build();
    Loopback net = loopback(Transport.best());
    InetSocketAddress server = net.listen(ch -> rsaServer.newHandler(ch.alloc()));

    Recorder client =
        net.connect(server, ch -> clientTls.clientHandler(ch.alloc(), serverIdentity.nodeId()));

    PeerAuthenticationFailed failure = client.outcome(PeerAuthenticationFailed.class);
    assertThat(failure.reason()).isEqualTo(Reason.BAD_CERTIFICATE);
    assertThat(failure.detail()).contains("certificate key is RSA, expected Ed25519");
    assertThat(client.awaitClosed()).isTrue();
  }

  private Loopback loopback(Transport transport) {
    Loopback loopback = new Loopback(transport);
    loopbacks.add(loopback);
    return loopback;
  }

  /** A client context like {@link TlsSetup}'s, offering {@code protocol} in ALPN, or no ALPN. */
  private static SslContextBuilder clientContext(Identity identity, String protocol) {
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3")
            .keyManager(identity.privateKey(), IdentityCertificate.selfSigned(identity))
            .trustManager(SelfSignedEd25519TrustManager.INSTANCE)
            .endpointIdentificationAlgorithm(null);
    return protocol == null ? builder : builder.applicationProtocolConfig(alpn(protocol));
  }

  private static ApplicationProtocolConfig alpn(String protocol) {
    return new ApplicationProtocolConfig(
        Protocol.ALPN,
        SelectorFailureBehavior.FATAL_ALERT,
        SelectedListenerFailureBehavior.FATAL_ALERT,
        protocol);
  }
}
