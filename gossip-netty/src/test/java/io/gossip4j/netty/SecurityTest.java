package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossip4j.TopicId;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * A running node against callers that do not play by the rules: plaintext, handshakes never
 * finished, more handshakes than allowed. Impersonation is refused in ConnectionTest (node
 * level) and TlsHandshakeTest (TLS level).
 */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class SecurityTest {
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
  @RegisterExtension final Nodes nodes = new Nodes();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** A raw TCP connection to {@code node} from local address {@code from}: no TLS at all. */
  private Socket connect(Gossip node, String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(node.addr().addresses().get(0), 2_000);
    s.setSoTimeout((int) CLOSE_DEADLINE.toMillis());
    return s;
  }

  /** Reads until the node closes the socket; returns how long that took. */
  private static Duration awaitClosedByNode(Socket s) throws IOException {
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // a TLS alert may come first: read past it
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node did not close the connection within " + CLOSE_DEADLINE);
    } catch (IOException e) {
      // reset by the node: closed as well
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static int[] pendingHandshakes(Gossip g) {
    return g.onLoop(d -> d.connections().pendingHandshakes()).join();
  }

  private static long refused(Gossip g) {
    return g.onLoop(d -> d.connections().metrics().connectionsRefused()).join();
  }

  /** A real peer can still join {@code node} and exchange a broadcast with it. */
  private void assertServesARealPeer(Gossip node) throws Exception {
    TopicId topic = TopicId.fromName("still serving");
    Received r = new Received();
    node.subscribe(topic, List.of(), r);
    Gossip peer = nodes.start(Gossip.builder());
    Topic t = peer.subscribe(topic, List.of(node.addr()));
    t.joined().get(10, TimeUnit.SECONDS);
    t.broadcast("hello".getBytes(StandardCharsets.UTF_8));
    Await.until("the broadcast", () -> r.count("hello") == 1);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void aPlaintextConnectionIsRefused(TlsProvider provider) throws Exception {
    Gossip node = nodes.start(Gossip.builder().tlsProvider(provider));
    Socket s = connect(node, "127.0.0.1");
    // A well-formed HELLO, then a JOIN, in the clear.
    byte[] hello = {0, 0, 0, 9, 0x2b, 0, 0, 0, 0, 0, 0, 0, 42};
    s.getOutputStream().write(hello);
    s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitClosedByNode(s);
    assertThat(node.metrics().connectionsOpened()).isZero();
    assertServesARealPeer(node);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void aPeerThatNeverFinishesTheHandshakeIsDroppedAfterTheTimeout(TlsProvider provider)
      throws Exception {
    Duration timeout = Duration.ofMillis(400);
    Gossip node = nodes.start(Gossip.builder().handshakeTimeout(timeout).tlsProvider(provider));
    Socket silent = connect(node, "127.0.0.1");
    Socket partial = connect(node, "127.0.0.1");
    // The first bytes of a TLS 1.3 ClientHello record, and then nothing.
    partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
    Duration silentTook = awaitClosedByNode(silent);
    Duration partialTook = awaitClosedByNode(partial);
    assertThat(silentTook).isBetween(timeout.minusMillis(100), CLOSE_DEADLINE);
    assertThat(partialTook).isLessThan(CLOSE_DEADLINE);
    Await.until("handshake slots released", () -> pendingHandshakes(node)[0] == 0);
    assertServesARealPeer(node);
  }

  @Test
  void pendingHandshakesAreCappedPerAddressAndInTotal() throws Exception {
    Gossip node = nodes.start(Gossip.builder()
        .maxPendingHandshakes(5)
        .maxPendingHandshakesPerAddress(3)
        .handshakeTimeout(Duration.ofSeconds(30)));
    List<Socket> fromOne = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fromOne.add(connect(node, "127.0.0.1"));
    }
    Await.until("3 handshakes pending", () -> pendingHandshakes(node)[0] == 3);
    // A 4th from the same address is closed before any TLS work.
    awaitClosedByNode(connect(node, "127.0.0.1"));
    assertThat(refused(node)).isEqualTo(1);
    // Other addresses take the rest of the total: 2 more, then the total cap refuses.
    connect(node, "127.0.0.2");
    connect(node, "127.0.0.3");
    Await.until("5 handshakes pending", () -> pendingHandshakes(node)[0] == 5);
    awaitClosedByNode(connect(node, "127.0.0.4"));
    assertThat(refused(node)).isEqualTo(2);
    assertThat(pendingHandshakes(node)[1]).isEqualTo(3); // addresses tracked
    // Callers that give up free their slots, and real peers get in again.
    for (Socket s : sockets) {
      s.close();
    }
    Await.until("slots released", () -> pendingHandshakes(node)[0] == 0
        && pendingHandshakes(node)[1] == 0);
    assertServesARealPeer(node);
  }

  @Test
  void joinsRefusedOverTheHandshakeCapAreRetriedUntilEveryoneIsIn() throws Exception {
    Gossip contact = nodes.start(Gossip.builder()
        .maxPendingHandshakesPerAddress(2).handshakeTimeout(Duration.ofSeconds(30)));
    TopicId topic = TopicId.fromName("burst");
    contact.subscribe(topic, List.of());
    // Two silent callers hold the contact's slots for 127.0.0.1: every joiner is refused.
    Socket hog1 = connect(contact, "127.0.0.1");
    Socket hog2 = connect(contact, "127.0.0.1");
    Await.until("slots taken", () -> pendingHandshakes(contact)[0] == 2);
    List<Topic> joiners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      joiners.add(nodes.start(Gossip.builder()).subscribe(topic, List.of(contact.addr())));
    }
    Await.until("every joiner refused", () -> refused(contact) >= 8);
    hog1.close();
    hog2.close();
    // Their joins failed; each retries after 1 s, 2 s, ... and gets in.
    Await.until("every joiner has a neighbor", Duration.ofSeconds(30),
        () -> joiners.stream().allMatch(t -> !t.neighbors().isEmpty()));
  }

  @Test
  void acceptedConnectionsAreCapped() throws Exception {
    Gossip node = nodes.start(
        Gossip.builder().maxConnections(4).handshakeTimeout(Duration.ofSeconds(30)));
    for (int i = 0; i < 4; i++) {
      connect(node, "127.0.0." + (i + 1));
    }
    Await.until("4 channels open",
        () -> node.onLoop(d -> d.connections().openChannels()).join() == 4);
    awaitClosedByNode(connect(node, "127.0.0.9"));
    assertThat(refused(node)).isEqualTo(1);
  }

  @Test
  void aFloodOfBadConnectionsLogsOnlyAFewWarnings() throws Exception {
    Gossip node = nodes.start(Gossip.builder().maxPendingHandshakesPerAddress(2));
    Logger logger = (Logger) LoggerFactory.getLogger("io.gossip4j");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      for (int i = 0; i < 100; i++) {
        Socket s = connect(node, "127.0.0.1");
        s.getOutputStream().write(new byte[] {0, 0, 0, 5, 0x2b, 1, 2, 3, 4}); // plaintext junk
        awaitClosedByNode(s);
        s.close();
      }
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
    // 100 refused handshakes: at most one window's allowance is logged (10 per 10 s).
    List<ILoggingEvent> refusals = appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .filter(e -> e.getFormattedMessage().contains("refused"))
        .toList();
    assertThat(refusals).hasSizeBetween(1, 20);
  }

  @Test
  void subscribingPastTheTopicCapIsRefusedAtTheApi() {
    Gossip node = nodes.start(Gossip.builder().maxTopics(2));
    node.subscribe(TopicId.fromName("one"), List.of());
    node.subscribe(TopicId.fromName("two"), List.of());
    node.subscribe(TopicId.fromName("two"), List.of()); // the same topic again is fine
    assertThatThrownBy(() -> node.subscribe(TopicId.fromName("three"), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Gossip.Builder.maxTopics");
  }

  @Test
  void invalidCapsNameTheSetting() {
    assertThatThrownBy(() -> Gossip.builder().maxPendingHandshakes(0).build())
        .hasMessageContaining("Gossip.Builder.maxPendingHandshakes");
    assertThatThrownBy(() -> Gossip.builder().maxPendingHandshakes(4)
        .maxPendingHandshakesPerAddress(5).build())
        .hasMessageContaining("Gossip.Builder.maxPendingHandshakesPerAddress");
    assertThatThrownBy(() -> Gossip.builder().maxConnections(0).build())
        .hasMessageContaining("Gossip.Builder.maxConnections");
    assertThatThrownBy(() -> Gossip.builder().maxTopics(0).build())
        .hasMessageContaining("Gossip.Builder.maxTopics");
  }
}
