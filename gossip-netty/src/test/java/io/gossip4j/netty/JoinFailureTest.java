package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
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
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
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
      try (Socket accepted = silent.accept()) {
        InputStream in = accepted.getInputStream();
        while (in.read() >= 0) {
          // the ClientHello, then the end of the stream
        }
      }
      assertThat(node.metrics().connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void aPeerIsReachedOnItsSecondAddressWhileTheFirstConnectIsStillPending() throws Exception {
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it
    // stays pending. The second address wins meanwhile, and closing the pending attempt must
    // neither disturb the winner nor count as a failure of the dial.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Gossip peer = node();
        Gossip node = node()) {
      List<Socket> fillers = fillAcceptQueue(full);
      try {
        peer.subscribe(TOPIC, List.of());
        InetSocketAddress pending =
            new InetSocketAddress(full.getInetAddress(), full.getLocalPort());
        NodeAddr both = new NodeAddr(peer.nodeId(),
            List.of(pending, peer.addr().addresses().get(0)));
        Topic topic = node.subscribe(TOPIC, List.of(both));
        topic.joined().get(30, TimeUnit.SECONDS);
        assertThat(topic.neighbors()).containsExactly(peer.nodeId());
        assertThat(node.metrics().connectionsOpened()).isEqualTo(1);
        assertThat(node.metrics().connectionsFailed()).isZero();
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  /** Connects to {@code server} until a connect does not complete: its accept queue is full. */
  private static List<Socket> fillAcceptQueue(ServerSocket server) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      try {
        s.connect(server.getLocalSocketAddress(), 500);
        sockets.add(s);
      } catch (SocketTimeoutException full) {
        s.close();
        return sockets;
      }
    }
    throw new AssertionError("the accept queue never filled: " + sockets.size() + " connects");
  }

  @Test
  void aClosedPortIsReportedAsRefused() throws Exception {
    InetSocketAddress closed = ClosedPort.loopback();
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
  void theApplicationHearsOfEachFailedConnectionWithoutALoggingBackend() throws Exception {
    InetSocketAddress closed = ClosedPort.loopback();
    List<ConnectionFailure> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Gossip real = node();
        Gossip node = Gossip.builder().joinTimeout(JOIN_TIMEOUT)
            .connectionFailureListener(heard::add).build().start()) {
      real.subscribe(TOPIC, List.of());
      NodeId nobody = Identity.generate().nodeId();
      NodeId wanted = Identity.generate().nodeId();
      InetSocketAddress realAddress = real.addr().addresses().get(0);
      node.subscribe(TOPIC, List.of(new NodeAddr(nobody, List.of(closed)),
          new NodeAddr(wanted, List.of(realAddress))));
      Await.until("both failures heard", () -> heard.stream().anyMatch(f ->
          f.peer().equals(nobody) && f.address().equals(closed)
              && f.reason().equals("connection refused"))
          && heard.stream().anyMatch(f -> f.peer().equals(wanted)
              && f.address().equals(realAddress)
              && f.reason().startsWith("TLS UNEXPECTED_PEER")
              && f.reason().contains(real.nodeId().toHex())));
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
