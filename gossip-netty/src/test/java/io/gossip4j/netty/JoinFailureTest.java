package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.TopicId;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Topic#joined()} fails, saying why for each bootstrap address, and joining goes on. */
class JoinFailureTest {
  private static final TopicId TOPIC = TopicId.fromName("join-failure-test");
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

  private static Gossip node() {
    return node(TlsProvider.AUTO);
  }

  private static Gossip node(TlsProvider provider) {
    return Gossip.builder().joinTimeout(JOIN_TIMEOUT).tlsProvider(provider).build().start();
  }

  /** The failure {@code joined()} completed with, waiting well past the join timeout. */
  private static JoinFailedException failureOf(Topic topic) throws Exception {
    try {
      topic.joined().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(JoinFailedException.class);
      return (JoinFailedException) e.getCause();
    }
    throw new AssertionError("joined() completed although no peer could be reached");
  }

  @Test
  void aPeerIsReachedOnItsSecondAddressWhileItsFirstHangs() throws Exception {
    // A listener that never accepts: the TCP connect succeeds (the kernel completes it) and the
    // TLS handshake then waits for ever. Dialed one address after the other, the node would
    // wait out the 60 s handshake and idle timeouts before it tried the next; staggered, the
    // second address is tried a quarter second later and wins.
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Gossip peer = node();
        Gossip node = Gossip.builder().handshakeTimeout(Duration.ofSeconds(60))
            .idleTimeout(Duration.ofSeconds(60)).build().start()) {
      peer.subscribe(TOPIC, List.of());
      InetSocketAddress hanging =
          new InetSocketAddress(silent.getInetAddress(), silent.getLocalPort());
      NodeAddr both = new NodeAddr(peer.nodeId(),
          List.of(hanging, peer.addr().addresses().get(0)));
      Topic topic = node.subscribe(TOPIC, List.of(both));
      topic.joined().get(30, TimeUnit.SECONDS);
      assertThat(topic.neighbors()).containsExactly(peer.nodeId());
      // The losing attempt was closed, not left to hang: its socket reads to its end.
      silent.setSoTimeout(30_000);
      try (java.net.Socket accepted = silent.accept()) {
        java.io.InputStream in = accepted.getInputStream();
        while (in.read() >= 0) {
          // the ClientHello, then the end of the stream
        }
      }
      assertThat(node.metrics().connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void aClosedPortIsReportedAsRefused() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }
    NodeAddr nobody = new NodeAddr(Identity.generate().nodeId(), List.of(closed));
    try (Gossip node = node()) {
      Topic topic = node.subscribe(TOPIC, List.of(nobody));
      JoinFailedException failure = failureOf(topic);
      assertThat(failure.failures()).containsEntry(closed, "connection refused");
      assertThat(failure.getMessage()).contains(closed.toString(), "connection refused");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void anotherNodeAnsweringIsReportedWithBothIds(TlsProvider provider) throws Exception {
    try (Gossip real = node(provider); Gossip node = node(provider)) {
      real.subscribe(TOPIC, List.of());
      Identity wanted = Identity.generate();
      InetSocketAddress address = real.addr().addresses().get(0);
      Topic topic = node.subscribe(TOPIC, List.of(new NodeAddr(wanted.nodeId(), List.of(address))));
      JoinFailedException failure = failureOf(topic);
      assertThat(failure.failures().get(address))
          .startsWith("TLS UNEXPECTED_PEER")
          .contains(wanted.nodeId().toHex(), real.nodeId().toHex());
    }
  }

  @Test
  void noBootstrapPeersSaysSo() throws Exception {
    try (Gossip node = node()) {
      JoinFailedException failure = failureOf(node.subscribe(TOPIC, List.of()));
      assertThat(failure.failures()).isEmpty();
      assertThat(failure.getMessage()).contains("no bootstrap peers were given");
    }
  }

  @Test
  void joiningGoesOnAndALaterJoinedCompletes() throws Exception {
    try (Gossip node = node(); Gossip later = node()) {
      Topic topic = node.subscribe(TOPIC, List.of());
      failureOf(topic);
      later.subscribe(TOPIC, List.of(node.addr()));
      topic.joined().get(30, TimeUnit.SECONDS); // a fresh future: completes once a peer joins us
      assertThat(topic.neighbors()).contains(later.nodeId());
    }
  }
}
