package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.TrafficGate;
import io.gossip4j.netty.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class ConnectionTest {
  @RegisterExtension final Nodes nodes = new Nodes();

  private Gossip start(Identity identity) {
    return start(Gossip.builder().identity(identity));
  }

  private Gossip start(Gossip.Builder builder) {
    return nodes.start(builder);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<SocketAddress[]> channels(Gossip from, Gossip to) {
    return from.onLoop(d -> d.connections().channelsTo(to.nodeId())).join();
  }

  @Test
  void simultaneousDialsLeaveOneSharedConnectionAndLoseNoMessage() throws Exception {
    Gossip a = start(Identity.generate());
    Gossip b = start(Identity.generate());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier barrier = new CyclicBarrier(2);
    try {
      for (int round = 0; round < 200; round++) {
        TopicId topic = TopicId.fromName("race " + round);
        long joinsAtA = a.metrics().framesIn(FrameKind.JOIN);
        long joinsAtB = b.metrics().framesIn(FrameKind.JOIN);
        Received ra = new Received();
        Received rb = new Received();
        // Both subscribe at the same instant, each bootstrapping from the other: both dial.
        var fa = pool.submit(() -> {
          barrier.await();
          return a.subscribe(topic, List.of(b.addr()), ra);
        });
        var fb = pool.submit(() -> {
          barrier.await();
          return b.subscribe(topic, List.of(a.addr()), rb);
        });
        Topic ta = fa.get(10, TimeUnit.SECONDS);
        Topic tb = fb.get(10, TimeUnit.SECONDS);
        ta.joined().get(10, TimeUnit.SECONDS);
        tb.joined().get(10, TimeUnit.SECONDS);
        int r = round;
        // Until both dials are through, each side may briefly hold a different one; the
        // tie-break must end with exactly one, the same on both sides (same port pair).
        Await.until("one shared channel in round " + r, Duration.ofSeconds(10),
            () -> sameSingleConnection(a, b));
        // The JOINs sent during the race each arrived exactly once.
        assertThat(a.metrics().framesIn(FrameKind.JOIN) - joinsAtA).isEqualTo(1);
        assertThat(b.metrics().framesIn(FrameKind.JOIN) - joinsAtB).isEqualTo(1);
        ta.broadcast(utf8("a" + r));
        tb.broadcast(utf8("b" + r));
        Await.until("both broadcasts in round " + r, Duration.ofSeconds(10),
            () -> rb.count("a" + r) == 1 && ra.count("b" + r) == 1);
        ta.close();
        tb.close();
        Await.until("connections released after round " + r, Duration.ofSeconds(10),
            () -> channels(a, b).isEmpty() && channels(b, a).isEmpty());
        assertThat(ra.events).hasSize(1);
        assertThat(rb.events).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    // The race was real: in some rounds both dials completed and one connection was retired.
    long replaced = a.metrics().connectionsReplaced() + b.metrics().connectionsReplaced();
    assertThat(replaced).isPositive();
  }

  private static boolean sameSingleConnection(Gossip a, Gossip b) {
    List<SocketAddress[]> ab = channels(a, b);
    List<SocketAddress[]> ba = channels(b, a);
    return ab.size() == 1 && ba.size() == 1
        && ab.get(0)[0].equals(ba.get(0)[1]) && ab.get(0)[1].equals(ba.get(0)[0]);
  }

  @Test
  void aRestartedNodeWithTheSameKeyReplacesItsStaleConnection() throws Exception {
    Identity keyOfB = Identity.generate();
    Gossip a = start(Identity.generate());
    TrafficGate gateOfB = new TrafficGate();
    Gossip b = start(Gossip.builder().identity(keyOfB).pipelineCustomizer(gateOfB));
    TopicId topic = TopicId.fromName("restart");
    Received ra = new Received();
    Topic ta = a.subscribe(topic, List.of(), ra);
    b.subscribe(topic, List.of(a.addr())).joined().get(10, TimeUnit.SECONDS);
    Await.until("a sees b", () -> ta.neighbors().contains(b.nodeId()));
    SocketAddress staleRemote = channels(a, b).get(0)[1];

    // b freezes: its connection to a stays open, half-dead. It comes back on a new port.
    gateOfB.freeze();
    Gossip b2 = start(keyOfB);
    Received rb2 = new Received();
    Topic tb2 = b2.subscribe(topic, List.of(a.addr()), rb2);
    tb2.joined().get(10, TimeUnit.SECONDS);
    Await.until("a keeps only the new connection", Duration.ofSeconds(10), () -> {
      List<SocketAddress[]> list = channels(a, b2);
      return list.size() == 1 && !list.get(0)[1].equals(staleRemote);
    });
    assertThat(a.metrics().connectionsReplaced()).isPositive();
    ta.broadcast(utf8("welcome back"));
    tb2.broadcast(utf8("hello again"));
    Await.until("both ways", () -> rb2.count("welcome back") == 1
        && ra.count("hello again") == 1);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void aNodeWhoseKeyIsNotTheIdDialedIsRefused(TlsProvider provider) throws Exception {
    Gossip a = start(Gossip.builder().tlsProvider(provider));
    Gossip b = start(Gossip.builder().tlsProvider(provider));
    NodeId impostorId = Identity.generate().nodeId();
    // b's address, but claimed to be another node: the TLS check must refuse it.
    NodeAddr forged = new NodeAddr(impostorId, b.addr().addresses());
    Received ra = new Received();
    Topic ta = a.subscribe(TopicId.fromName("impostor"), List.of(forged), ra);
    Await.until("the dial to be refused", () -> a.metrics().connectionsFailed() >= 1);
    assertThat(ta.neighbors()).isEmpty();
    assertThat(ra.all).isEmpty();
    assertThat(a.metrics().connectionsOpened()).isZero();
  }

  @Test
  void badFramesAfterTheHandshakeCloseOnlyThatConnection() throws Exception {
    Gossip a = start(Identity.generate());
    Gossip b = start(Identity.generate());
    TopicId topic = TopicId.fromName("bad frames");
    Received ra = new Received();
    Topic ta = a.subscribe(topic, List.of(), ra);
    Topic tb = b.subscribe(topic, List.of(a.addr()));
    tb.joined().get(10, TimeUnit.SECONDS);

    // Garbage: type 0x0f of version 2 is a reserved control frame type.
    assertClosedAfter(a, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 0x2f, 1, 2}));
    // Oversized: a length prefix far above the 64 KiB limit.
    assertClosedAfter(a, Unpooled.wrappedBuffer(new byte[] {0, 0x10, 0, 0, 0x20}));
    // Truncated: a JOIN whose topic id stops after 3 bytes.
    assertClosedAfter(a, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 0x20, 1, 2, 3}));
    assertThat(a.metrics().rejectedFrames()).isEqualTo(3);
    // The node goes on serving its real peer.
    tb.broadcast(utf8("still here"));
    Await.until("delivery after the attacks", () -> ra.count("still here") == 1);
  }

  /** Dials {@code target} as an authenticated peer, sends HELLO then {@code frame}. */
  private static void assertClosedAfter(Gossip target, ByteBuf frame) throws Exception {
    try (RawPeer peer = new RawPeer(target)) {
      peer.sendRaw(frame);
      assertThat(peer.awaitClosed(Duration.ofSeconds(10)))
          .as("the node closes the connection").isTrue();
    }
  }
}
