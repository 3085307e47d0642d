package io.gossip4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.TopicId;
import io.gossip4j.netty.FrameKind;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.Topic;
import io.gossip4j.netty.TopicOptions;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GossipMetersTest {
  private static final TopicId TOPIC = TopicId.fromName("meters");

  /** Checks {@code condition} every 5 ms until it holds; fails after 30 s. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  @Test
  void broadcastsFromAnOriginTheAdmissionRuleRefusesAreCountedAsDroppedNotAdmitted()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Gossip a = Gossip.builder().build().start();
        Gossip b = Gossip.builder().build().start();
        Gossip c = Gossip.builder().build().start()) {
      new GossipMeters(a, Tags.of("node", "a"), Duration.ZERO).bindTo(registry);
      // a keeps c out; b takes everyone, so c's broadcasts reach a through b.
      Topic ta = a.subscribe(TOPIC, List.of(), TopicOptions.builder()
          .admission(peer -> !peer.equals(c.nodeId())).build());
      Topic tb = b.subscribe(TOPIC, List.of(a.addr()));
      tb.joined().get(10, TimeUnit.SECONDS);
      Topic tc = c.subscribe(TOPIC, List.of(b.addr()));
      tc.joined().get(10, TimeUnit.SECONDS);
      tc.broadcast("from c".getBytes()).get(10, TimeUnit.SECONDS);
      String hex = TOPIC.toHex();
      await("a dropped c's broadcast", () -> {
        registry.get("gossip.connections.opened").functionCounter().count(); // a scrape
        return registry.find("gossip.topic.dropped")
            .tags("topic", hex, "reason", "not_admitted").functionCounter() != null
            && registry.get("gossip.topic.dropped")
                .tags("topic", hex, "reason", "not_admitted").functionCounter().count() == 1;
      });
      assertThat(ta.neighbors()).containsExactly(b.nodeId());
    }
  }

  @Test
  void aNodesFramesDeliveriesAndTopicsReachTheRegistry() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Gossip a = Gossip.builder().build().start();
        Gossip b = Gossip.builder().build().start()) {
      new GossipMeters(b, Tags.of("node", "b"), Duration.ZERO).bindTo(registry);
      AtomicInteger received = new AtomicInteger();
      Topic tb = b.subscribe(TOPIC, List.of(), event -> {
        if (event instanceof GossipEvent.Received) {
          received.incrementAndGet();
        }
      });
      Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
      ta.joined().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 10; i++) {
        ta.broadcast(("m" + i).getBytes());
      }
      await("10 deliveries at b", () -> received.get() == 10);

      String hex = TOPIC.toHex();
      // A topic subscribed after binding gets its meters at the next reading of any meter,
      // as a scrape reads them all.
      assertThat(registry.find("gossip.topic.delivered").functionCounter()).isNull();
      registry.get("gossip.connections.opened").functionCounter().count();
      assertThat(registry.get("gossip.topic.delivered").tags("topic", hex, "node", "b")
          .functionCounter().count()).isEqualTo(10);
      assertThat(registry.get("gossip.topic.neighbors").tag("topic", hex).gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("gossip.topic.subscribers").tag("topic", hex).gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("gossip.topic.dropped")
          .tags("topic", hex, "reason", "invalid_signature").functionCounter().count())
          .isZero();
      assertThat(registry.get("gossip.topic.dropped")
          .tags("topic", hex, "reason", "not_admitted").functionCounter().count()).isZero();
      assertThat(registry.get("gossip.frames.received").tags("kind", "GOSSIP", "node", "b")
          .functionCounter().count()).isEqualTo(b.metrics().framesIn(FrameKind.GOSSIP))
          .isGreaterThanOrEqualTo(10);
      assertThat(registry.get("gossip.bytes.received").tag("kind", "GOSSIP")
          .functionCounter().count()).isEqualTo(b.metrics().bytesIn(FrameKind.GOSSIP));
      assertThat(registry.get("gossip.frames.sent").tag("kind", "NEIGHBOR_REPLY")
          .functionCounter().count()
          + registry.get("gossip.frames.received").tag("kind", "JOIN")
          .functionCounter().count()).isPositive();
      assertThat(registry.get("gossip.connections.opened").functionCounter().count())
          .isPositive();
      assertThat(registry.find("gossip.frames.received").functionCounters())
          .hasSize(FrameKind.values().length);

      // Leaving the topic removes its meters at the next reading.
      tb.close();
      await("b to leave the topic", () -> b.metrics().topics().isEmpty());
      registry.get("gossip.connections.opened").functionCounter().count();
      assertThat(registry.find("gossip.topic.delivered").functionCounter()).isNull();
      assertThat(registry.find("gossip.topic.neighbors").gauge()).isNull();
    }
    // A closed node's meters keep their last values.
    assertThat(registry.get("gossip.frames.received").tag("kind", "GOSSIP").functionCounter()
        .count()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aSnapshotServesEveryReadingWithinItsMaxAge() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Gossip a = Gossip.builder().build().start()) {
      new GossipMeters(a, Tags.empty(), Duration.ofHours(1)).bindTo(registry);
      a.subscribe(TOPIC, List.of());
      // Bound before the subscription, and the snapshot is an hour fresh: no topic yet.
      assertThat(registry.find("gossip.topic.subscribers").gauge()).isNull();
      assertThat(registry.get("gossip.frames.sent").tag("kind", "GOSSIP").functionCounter()
          .count()).isZero();
    }
  }

  @Test
  void aBinderBindsOnceAndRefusesANegativeMaxAge() throws Exception {
    try (Gossip a = Gossip.builder().build().start()) {
      GossipMeters meters = new GossipMeters(a);
      meters.bindTo(new SimpleMeterRegistry());
      assertThatThrownBy(() -> meters.bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
      assertThatThrownBy(() -> new GossipMeters(a, Tags.empty(), Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }
  }
}
