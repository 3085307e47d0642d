package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.TrafficGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class DeliveryTest {
  private static final TopicId TOPIC = TopicId.fromName("delivery");
  @RegisterExtension final Nodes nodes = new Nodes();

  private Gossip start(Gossip.Builder builder) {
    return nodes.start(builder);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSlowSubscriberGetsLaggedAndDoesNotSlowAnother() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder().subscriberQueueCapacity(16));
    CountDownLatch release = new CountDownLatch(1);
    Received slow = new Received() {
      @Override
      public void accept(GossipEvent event) {
        try {
          release.await(); // blocks its own delivery thread only
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.accept(event);
      }
    };
    Received fast = new Received();
    b.subscribe(TOPIC, List.of(), slow);
    b.subscribe(TOPIC, List.of(), fast);
    Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
    ta.joined().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 200; i++) {
      ta.broadcast(utf8("m" + i));
      int expected = i + 1;
      // The fast subscriber keeps up with every message while the slow one is stuck.
      Await.until("the fast subscriber has " + expected, () -> fast.events.size() == expected);
    }
    release.countDown();
    Await.until("the slow one is told it lagged", () -> slow.all.stream()
        .anyMatch(e -> e instanceof GossipEvent.Lagged));
    long dropped = slow.all.stream().filter(e -> e instanceof GossipEvent.Lagged)
        .mapToLong(e -> ((GossipEvent.Lagged) e).dropped()).sum();
    // What it got plus what it was told it lost is everything, counting the NeighborUp.
    Await.until("the slow one drains", () -> slow.events.size() + dropped >= 200);
    assertThat(slow.events.size() + dropped).isEqualTo(200 + 1 - countNeighborUps(slow));
    assertThat(b.metrics().topics().get(TOPIC).lagged()).isEqualTo(dropped);
  }

  @Test
  void aNodesOtherSubscriptionsGetItsOwnBroadcastsOnceAndTheSenderDoesNot() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder());
    Received sender = new Received();
    Received sibling = new Received();
    Received remote = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), sender);
    a.subscribe(TOPIC, List.of(), sibling);
    b.subscribe(TOPIC, List.of(a.addr()), remote);
    Await.until("b is a's neighbor", () -> ta.neighbors().contains(b.nodeId()));
    for (int i = 0; i < 20; i++) {
      ta.broadcast(utf8("m" + i));
    }
    Await.until("the remote subscriber has all 20", () -> remote.events.size() == 20);
    Await.until("the sibling has all 20", () -> sibling.events.size() == 20);
    for (int i = 0; i < 20; i++) {
      assertThat(sibling.count("m" + i)).isEqualTo(1);
    }
    assertThat(sibling.events).allSatisfy(r -> {
      assertThat(r.origin()).isEqualTo(a.nodeId());
      assertThat(r.deliveredFrom()).isEqualTo(a.nodeId());
      assertThat(r.scope()).isEqualTo(Scope.SWARM);
      assertThat(r.verified()).isTrue(); // signed topic: the origin is this node, for certain
    });
    // b's broadcast reaches both of a's subscriptions; the sender never hears its own.
    b.subscribe(TOPIC, List.of()).broadcast(utf8("from b"));
    Await.until("both of a's subscriptions have b's", () -> sender.count("from b") == 1
        && sibling.count("from b") == 1);
    assertThat(sender.events).extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
        .containsExactly("from b");
  }

  @Test
  void aDirectListenerExecutorDeliversOnTheEventLoopEachMessageOnce() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder().listenerExecutor(Runnable::run));
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    Received got = new Received() {
      @Override
      public void accept(GossipEvent event) {
        threads.add(Thread.currentThread().getName());
        super.accept(event);
      }
    };
    b.subscribe(TOPIC, List.of(), got);
    Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
    ta.joined().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      ta.broadcast(utf8("m" + i));
    }
    Await.until("all 100 delivered", () -> got.events.size() == 100);
    for (int i = 0; i < 100; i++) {
      assertThat(got.count("m" + i)).isEqualTo(1);
    }
    // The node's own loop thread, not one of its delivery threads.
    assertThat(threads).allMatch(t -> t.startsWith("gossip-") && !t.startsWith("gossip-events-"));
  }

  @Test
  void aBurstPastTheChannelsWaterMarkIsDeliveredWholeAndOnce() throws Exception {
    // 3,000 x 4 KiB in one go: far past the 1 MiB high-water mark, so channels turn unwritable
    // and writable again inside a flush, which then writes the queued rest.
    // Two receivers, so one flush covers two channels and one's drain runs amid the other's.
    TopicOptions unsigned = TopicOptions.builder().signed(false).build();
    Gossip a = start(Gossip.builder());
    Topic ta = a.subscribe(TOPIC, List.of(), unsigned);
    List<Received> got = List.of(new Received(), new Received());
    for (Received r : got) {
      start(Gossip.builder()).subscribe(TOPIC, List.of(a.addr()), unsigned, r);
    }
    Await.until("both receivers are neighbors", () -> ta.neighbors().size() == 2);
    int count = 3000;
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[4096];
      byte[] tag = utf8("m" + i);
      System.arraycopy(tag, 0, payload, 0, tag.length);
      ta.broadcast(payload);
    }
    for (Received r : got) {
      Await.until("the whole burst delivered", () -> r.events.size() >= count);
      assertThat(r.events).hasSize(count);
      assertThat(r.events.stream().map(e -> new String(e.payload(), 0, 6,
          StandardCharsets.UTF_8).trim()).distinct().count()).isEqualTo(count);
    }
  }

  private static long countNeighborUps(Received r) {
    return r.all.stream().filter(e -> e instanceof GossipEvent.NeighborUp).count();
  }

  @Test
  void broadcastNeighborsReachesOnlyDirectNeighbors() throws Exception {
    // a - b - c in a line: c is not a's neighbor.
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder());
    Gossip c = start(Gossip.builder());
    Received rb = new Received();
    Received rc = new Received();
    Topic tb = b.subscribe(TOPIC, List.of(), rb);
    Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
    ta.joined().get(10, TimeUnit.SECONDS);
    Topic tc = c.subscribe(TOPIC, List.of(b.addr()), rc);
    tc.joined().get(10, TimeUnit.SECONDS);
    Await.until("b has both", () -> tb.neighbors().size() == 2);
    if (ta.neighbors().contains(c.nodeId())) {
      return; // the join walk linked a and c directly: no line to test on this run
    }
    ta.broadcastNeighbors(utf8("near"));
    ta.broadcast(utf8("far"));
    Await.until("c gets the swarm broadcast", () -> rc.count("far") == 1);
    Await.until("b gets both", () -> rb.count("near") == 1 && rb.count("far") == 1);
    assertThat(rc.count("near")).isZero();
    assertThat(rb.events).filteredOn(e -> new String(e.payload(), StandardCharsets.UTF_8)
        .equals("near")).singleElement().extracting(GossipEvent.Received::scope)
        .isEqualTo(Scope.NEIGHBORS);
  }

  @Test
  void joinPeersAddsBootstrapPeersLater() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder());
    a.subscribe(TOPIC, List.of());
    Topic tb = b.subscribe(TOPIC, List.of());
    tb.joinPeers(List.of(a.addr())).get(5, TimeUnit.SECONDS);
    tb.joined().get(10, TimeUnit.SECONDS);
    assertThat(tb.neighbors()).containsExactly(a.nodeId());
  }

  @Test
  void aFrozenPeerIsDetectedByHeartbeatsAndReportedAsFailed() throws Exception {
    Gossip.Builder quick = Gossip.builder()
        .heartbeatInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(500));
    Gossip a = start(quick);
    TrafficGate gateOfB = new TrafficGate();
    Gossip b = start(Gossip.builder().pipelineCustomizer(gateOfB));
    Received ra = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), ra);
    b.subscribe(TOPIC, List.of(a.addr())).joined().get(10, TimeUnit.SECONDS);
    Await.until("a sees b", () -> ta.neighbors().contains(b.nodeId()));
    gateOfB.freeze();
    Await.until("b reported down", Duration.ofSeconds(10), () -> ra.all.contains(
        new GossipEvent.NeighborDown(b.nodeId(), NeighborDownReason.FAILED)));
    assertThat(ta.neighbors()).isEmpty();
  }

  @Test
  void aPeerThatCannotKeepUpIsDisconnectedNotWaitedFor() throws Exception {
    Gossip a = start(Gossip.builder().peerQueueFrames(8).peerQueueBytes(256 << 10));
    TrafficGate gateOfB = new TrafficGate();
    Gossip b = start(Gossip.builder().pipelineCustomizer(gateOfB));
    Topic ta = a.subscribe(TOPIC, List.of());
    b.subscribe(TOPIC, List.of(a.addr())).joined().get(10, TimeUnit.SECONDS);
    Await.until("a sees b", () -> ta.neighbors().contains(b.nodeId()));
    gateOfB.freeze();
    byte[] big = new byte[32 << 10];
    for (int i = 0; i < 2000 && a.metrics().queueOverflows() == 0; i++) {
      ta.broadcast(big).get(5, TimeUnit.SECONDS);
    }
    assertThat(a.metrics().queueOverflows()).isEqualTo(1);
    Await.until("b dropped", () -> ta.neighbors().isEmpty());
  }

  @Test
  void metricsCountFramesByKindAndConnections() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder());
    Received ra = new Received();
    a.subscribe(TOPIC, List.of(), ra);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()));
    tb.joined().get(10, TimeUnit.SECONDS);
    tb.broadcast(utf8("counted"));
    Await.until("delivered", () -> ra.count("counted") == 1);
    GossipMetrics ma = a.metrics();
    GossipMetrics mb = b.metrics();
    assertThat(ma.framesIn(FrameKind.JOIN)).isEqualTo(1);
    assertThat(mb.framesOut(FrameKind.JOIN)).isEqualTo(1);
    assertThat(ma.framesIn(FrameKind.GOSSIP)).isEqualTo(1);
    assertThat(ma.bytesIn(FrameKind.GOSSIP)).isEqualTo(mb.bytesOut(FrameKind.GOSSIP));
    assertThat(ma.connectionsOpened()).isEqualTo(1);
    assertThat(ma.topics().get(TOPIC).neighbors()).isEqualTo(1);
    assertThat(ma.topics().get(TOPIC).broadcast().delivered()).isEqualTo(1);
  }
}
