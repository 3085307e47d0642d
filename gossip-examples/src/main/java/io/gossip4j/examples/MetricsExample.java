package io.gossip4j.examples;

import io.gossip4j.TopicId;
import io.gossip4j.micrometer.GossipMeters;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.Topic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's metrics through Micrometer: bind {@link GossipMeters} to the application's registry
 * (Prometheus, JMX, OTLP...); here a {@link SimpleMeterRegistry}, printed after a few
 * broadcasts. Run by ExamplesTest.
 */
final class MetricsExample {
  private MetricsExample() {}

  public static void main(String[] args) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    TopicId topic = TopicId.fromName("metrics-example");
    try (Gossip alice = Gossip.builder().build().start();
        Gossip bob = Gossip.builder().build().start()) {
      // Duration.ZERO: each reading takes a new snapshot, so this one-shot printout is current.
      // A registry scraped now and then keeps the default: one snapshot per second at most.
      new GossipMeters(bob, Tags.of("node", "bob"), Duration.ZERO).bindTo(registry);
      Topic b = bob.subscribe(topic, List.of());
      Topic a = alice.subscribe(topic, List.of(bob.addr()));
      a.joined().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        a.broadcast(("hello " + i).getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      }
      int received = 0;
      while (received < 5) {
        if (b.take() instanceof GossipEvent.Received) {
          received++;
        }
      }
      // The first reading after a subscription brings the topic's meters.
      registry.get("gossip.connections.opened").functionCounter().count();
      for (FunctionCounter c : registry.find("gossip.topic.delivered").functionCounters()) {
        System.out.printf("%s %s = %.0f%n", c.getId().getName(), c.getId().getTags(),
            c.count());
      }
      Gauge neighbors = registry.get("gossip.topic.neighbors").gauge();
      System.out.printf("%s %s = %.0f%n", neighbors.getId().getName(),
          neighbors.getId().getTags(), neighbors.value());
      FunctionCounter frames = registry.get("gossip.frames.received").tag("kind", "GOSSIP")
          .functionCounter();
      System.out.printf("%s %s = %.0f%n", frames.getId().getName(), frames.getId().getTags(),
          frames.count());
    }
  }
}
