package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.TopicId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class GossipTest {
  private static final TopicId TOPIC = TopicId.fromName("gossip-test");
  @RegisterExtension final Nodes nodes = new Nodes();

  private Gossip start() {
    return nodes.start(Gossip.builder());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void threeNodesJoinThroughOneBootstrapAndEachBroadcastReachesTheOthersOnce() throws Exception {
    Gossip a = start();
    Gossip b = start();
    Gossip c = start();
    Received ra = new Received();
    Received rb = new Received();
    Received rc = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), ra);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()), rb);
    Topic tc = c.subscribe(TOPIC, List.of(a.addr()), rc);
    tb.joined().get(10, TimeUnit.SECONDS);
    tc.joined().get(10, TimeUnit.SECONDS);
    Await.until("a full mesh of 3", () -> ta.neighbors().size() == 2
        && tb.neighbors().size() == 2 && tc.neighbors().size() == 2);

    List<String> names = List.of("a", "b", "c");
    List<Topic> topics = List.of(ta, tb, tc);
    List<Received> received = List.of(ra, rb, rc);
    for (int i = 0; i < 3; i++) {
      topics.get(i).broadcast(utf8("from " + names.get(i))).get(5, TimeUnit.SECONDS);
    }
    Await.until("every message everywhere", () -> eachHasTheOthers(received, names, "from "));
    // A node forwards a message when it first delivers it, so by now each has sent every copy
    // it forwards. Its marker goes straight to its neighbors, behind those copies on the same
    // connections: once every marker has arrived, so has every copy, and a second delivery of
    // any message would be counted.
    for (int i = 0; i < 3; i++) {
      topics.get(i).broadcastNeighbors(utf8("marker of " + names.get(i)))
          .get(5, TimeUnit.SECONDS);
    }
    Await.until("every marker at both neighbors",
        () -> eachHasTheOthers(received, names, "marker of "));
    for (int i = 0; i < 3; i++) {
      Received r = received.get(i);
      for (int j = 0; j < 3; j++) {
        int once = i == j ? 0 : 1; // no one delivers its own message
        assertThat(r.count("from " + names.get(j)))
            .as(names.get(i) + " delivers the message from " + names.get(j)).isEqualTo(once);
        assertThat(r.count("marker of " + names.get(j)))
            .as(names.get(i) + " delivers the marker of " + names.get(j)).isEqualTo(once);
      }
      assertThat(r.events).hasSize(4);
      for (GossipEvent.Received e : r.events) {
        String text = new String(e.payload(), StandardCharsets.UTF_8);
        Gossip origin = text.endsWith("a") ? a : text.endsWith("b") ? b : c;
        assertThat(e.origin()).isEqualTo(origin.nodeId());
        assertThat(List.of(a.nodeId(), b.nodeId(), c.nodeId())).contains(e.deliveredFrom());
      }
    }
  }

  /** Whether each node has at least one copy of {@code prefix} + each other node's name. */
  private static boolean eachHasTheOthers(List<Received> received, List<String> names,
      String prefix) {
    for (int i = 0; i < received.size(); i++) {
      for (int j = 0; j < names.size(); j++) {
        if (i != j && received.get(i).count(prefix + names.get(j)) == 0) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void aNodeThatJoinsLateCatchesUpOnTheWindowMarkedLateAndOnce() throws Exception {
    Gossip a = start();
    Gossip b = start();
    Topic ta = a.subscribe(TOPIC, List.of()); // signed, the default
    for (int i = 0; i < 3; i++) {
      ta.broadcast(utf8("before b " + i)).get(5, TimeUnit.SECONDS);
    }
    List<GossipEvent.Received> atB = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.subscribe(TOPIC, List.of(a.addr()), TopicOptions.defaults(), e -> {
      if (e instanceof GossipEvent.Received r) {
        atB.add(r);
      }
    });
    Await.until("b catches up on a's three", () -> atB.size() >= 3);
    ta.broadcast(utf8("after b")).get(5, TimeUnit.SECONDS);
    Await.until("b gets the live one", () -> atB.size() >= 4);
    assertThat(atB.subList(0, 3)).allSatisfy(r -> {
      assertThat(r.late()).isTrue();
      assertThat(r.verified()).isTrue();
      assertThat(new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8))
          .startsWith("before b ");
    });
    assertThat(atB.stream().map(r -> new String(r.payload(),
        java.nio.charset.StandardCharsets.UTF_8)).distinct().count()).isEqualTo(4);
    assertThat(atB.get(3).late()).isFalse();
    assertThat(b.metrics().framesIn(FrameKind.SYNC)).isPositive();
    assertThat(a.metrics().topics().get(TOPIC).broadcast().deliveredLate()).isZero();
  }

  @Test
  void theBlockingStreamDeliversEventsInOrder() throws Exception {
    Gossip a = start();
    Gossip b = start();
    // Unsigned: signed messages are verified on several threads and may be delivered in either
    // order (per-origin order is not promised); this is about the stream keeping its order.
    TopicOptions unsigned = TopicOptions.builder().signed(false).build();
    Topic ta = a.subscribe(TOPIC, List.of(), unsigned);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()), unsigned);
    tb.joined().get(10, TimeUnit.SECONDS);
    assertThat(ta.poll(Duration.ofSeconds(10))).isEqualTo(new GossipEvent.NeighborUp(b.nodeId()));
    assertThat(tb.take()).isEqualTo(new GossipEvent.NeighborUp(a.nodeId()));
    tb.broadcast(utf8("one"));
    tb.broadcast(utf8("two"));
    GossipEvent first = ta.poll(Duration.ofSeconds(10));
    GossipEvent second = ta.poll(Duration.ofSeconds(10));
    assertThat(first).isEqualTo(new GossipEvent.Received(utf8("one"), b.nodeId(), b.nodeId(),
        io.gossip4j.Scope.SWARM, false));
    assertThat(second).isEqualTo(new GossipEvent.Received(utf8("two"), b.nodeId(), b.nodeId(),
        io.gossip4j.Scope.SWARM, false));
  }

  @Test
  void anOversizedBroadcastIsRefusedWithTheLimitInTheMessage() {
    Gossip a = start();
    Topic ta = a.subscribe(TOPIC, List.of());
    int limit = ta.maxPayloadSize();
    assertThatThrownBy(() -> ta.broadcast(new byte[limit + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(limit));
  }

  @Test
  void broadcastsPastTheQueuedBytesBoundAreRefusedUntilTheLoopCatchesUp() throws Exception {
    Gossip a = nodes.start(Gossip.builder().maxQueuedBroadcastBytes(4 * 16_384));
    Topic ta = a.subscribe(TOPIC, List.of());
    // Hold the event loop, as a node far behind would be.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> held = a.onLoop(d -> {
      try {
        return release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(ta.broadcast(new byte[16_384]));
    }
    assertThatThrownBy(() -> ta.broadcast(new byte[1]))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("Gossip.Builder.maxQueuedBroadcastBytes");
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture.allOf(accepted.toArray(new CompletableFuture<?>[0]))
        .get(10, TimeUnit.SECONDS);
    // Handled: the room is back.
    ta.broadcast(new byte[16_384]).get(10, TimeUnit.SECONDS);
  }

  @Test
  void callsAfterCloseThrowIllegalState() {
    Gossip a = start();
    Topic ta = a.subscribe(TOPIC, List.of());
    a.close();
    assertThatThrownBy(() -> ta.broadcast(utf8("late"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> a.subscribe(TOPIC, List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::metrics).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInvalidBuilderSettingIsNamed() {
    assertThatThrownBy(() -> Gossip.builder().maxFrameSize(100).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Gossip.Builder.maxFrameSize");
    assertThatThrownBy(() -> Gossip.builder().idleTimeout(Duration.ofMillis(500)).build())
        .hasMessageContaining("Gossip.Builder.idleTimeout");
    assertThatThrownBy(() -> Gossip.builder().subscriberQueueCapacity(0).build())
        .hasMessageContaining("Gossip.Builder.subscriberQueueCapacity");
    assertThatThrownBy(() -> Gossip.builder().maxQueuedBroadcastBytes(1000).build())
        .hasMessageContaining("Gossip.Builder.maxQueuedBroadcastBytes");
  }

  @Test
  void closingANodeTellsItsNeighborsItQuit() throws Exception {
    Gossip a = start();
    Gossip b = start();
    Received ra = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), ra);
    b.subscribe(TOPIC, List.of(a.addr())).joined().get(10, TimeUnit.SECONDS);
    Await.until("a sees b", () -> ta.neighbors().contains(b.nodeId()));
    b.close();
    Await.until("a hears that b quit", () -> ra.all.contains(
        new GossipEvent.NeighborDown(b.nodeId(), io.gossip4j.NeighborDownReason.QUIT)));
    assertThat(ta.neighbors()).isEmpty();
  }

  @Test
  void aNodeKeepsItsIdAcrossRestartsWithItsKeyFile(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    java.nio.file.Path keyFile = dir.resolve("node.key");
    Gossip first = nodes.start(Gossip.builder().identity(Identity.loadOrCreate(keyFile)));
    io.gossip4j.NodeId id = first.nodeId();
    first.close();
    Gossip second = nodes.start(Gossip.builder().identity(Identity.loadOrCreate(keyFile)));
    assertThat(second.nodeId()).isEqualTo(id);
  }
}
