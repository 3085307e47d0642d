package io.gossip4j.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void nodesJoinedThroughOneContactConvergeToFullActiveAndNonEmptyPassiveViews() {
    // Without rotation: a swap in progress leaves two views one short for a moment.
    SwarmHarness h = new SwarmHarness(1, ProtocolConfig.defaults().withMembership(
        HyParViewConfig.builder().activeRotationShuffles(0).build()));
    h.joinAllThroughFirst(50);
    h.run(Duration.ofMinutes(10));
    int full = 0;
    for (NodeId n : h.nodes) {
      TopicSnapshot s = h.snapshot(n);
      assertThat(s.passive()).as("passive view of %s", n).isNotEmpty();
      // Active views are symmetric: a neighbor of mine has me as a neighbor.
      for (NodeId peer : s.active()) {
        assertThat(h.snapshot(peer).active()).as("%s in the view of %s", n, peer).contains(n);
      }
      if (s.active().size() == 5) {
        full++;
      }
    }
    assertThat(full).isEqualTo(50);
  }

  @Test
  void aBroadcastReachesEveryNodeExactlyOnce() {
    SwarmHarness h = new SwarmHarness(2, ProtocolConfig.defaults());
    h.joinAllThroughFirst(30);
    h.run(Duration.ofMinutes(2));
    for (int i = 0; i < 20; i++) {
      byte[] payload = bytes("message " + i);
      NodeId sender = h.nodes.get(i % h.nodes.size());
      h.broadcast(sender, payload);
      h.run(Duration.ofSeconds(5));
      assertEveryNodeButTheSenderDeliveredOnce(h, h.nodes, sender, payload);
    }
  }

  @Test
  void theSamePayloadBroadcastTwiceByOneOriginIsDeliveredTwice() {
    SwarmHarness h = new SwarmHarness(3, ProtocolConfig.defaults());
    h.joinAllThroughFirst(10);
    h.run(Duration.ofMinutes(1));
    byte[] payload = bytes("same");
    h.broadcast(h.nodes.get(3), payload);
    h.broadcast(h.nodes.get(3), payload);
    h.run(Duration.ofSeconds(5));
    Map<NodeId, Integer> counts = h.deliveriesOf(payload);
    for (NodeId n : h.nodes) {
      assertThat(counts.get(n)).isEqualTo(n.equals(h.nodes.get(3)) ? 0 : 2);
    }
  }

  @Test
  void afterTheTreeFormsEachNodeGetsOnePayloadCopy() {
    SwarmHarness h = new SwarmHarness(4, ProtocolConfig.defaults());
    h.joinAllThroughFirst(40);
    h.run(Duration.ofMinutes(3));
    NodeId sender = h.nodes.get(7);
    for (int i = 0; i < 5; i++) {
      byte[] warmUp = bytes("warm-up " + i);
      h.broadcast(sender, warmUp);
      h.run(Duration.ofSeconds(2));
      assertEveryNodeButTheSenderDeliveredOnce(h, h.nodes, sender, warmUp);
    }
    long before = h.payloadSends;
    h.broadcast(sender, bytes("steady"));
    h.run(Duration.ofSeconds(2));
    // Reliability first: a broadcast that reached few nodes also sends few copies, a low RMR.
    assertEveryNodeButTheSenderDeliveredOnce(h, h.nodes, sender, bytes("steady"));
    // RMR = m / (n - 1) - 1: with a formed tree, every payload send is a first delivery.
    double rmr = (double) (h.payloadSends - before) / (h.nodes.size() - 1) - 1;
    assertThat(rmr).isLessThan(0.05);
  }

  /** Each of {@code nodes} delivered the payload once, but its sender, which never does. */
  private static void assertEveryNodeButTheSenderDeliveredOnce(
      SwarmHarness h, List<NodeId> nodes, NodeId sender, byte[] payload) {
    Map<NodeId, Integer> counts = h.deliveriesOf(payload);
    for (NodeId n : nodes) {
      assertThat(counts.get(n))
          .as("deliveries of \"%s\" at %s", new String(payload, StandardCharsets.UTF_8), n)
          .isEqualTo(n.equals(sender) ? 0 : 1);
    }
  }

  @Test
  void failedNeighborsAreReplacedAndLaterBroadcastsReachEverySurvivor() {
    SwarmHarness h = new SwarmHarness(5, ProtocolConfig.defaults());
    h.joinAllThroughFirst(50);
    h.run(Duration.ofMinutes(3));
    for (int i = 0; i < 20; i++) {
      h.network.crash(h.nodes.get(1 + i * 2));
    }
    List<NodeId> alive = h.network.aliveNodes();
    h.run(Duration.ofMinutes(3));
    for (NodeId n : alive) {
      TopicSnapshot s = h.snapshot(n);
      assertThat(s.active()).as("active view of %s", n).isNotEmpty()
          .allMatch(h.network::isAlive);
    }
    for (int i = 0; i < 10; i++) {
      byte[] payload = bytes("after " + i);
      NodeId sender = alive.get(i * 3);
      h.broadcast(sender, payload);
      h.run(Duration.ofSeconds(5));
      assertEveryNodeButTheSenderDeliveredOnce(h, alive, sender, payload);
    }
  }

  @Test
  void theSameSeedGivesTheSameRunBitForBit() {
    assertThat(trace(11)).isEqualTo(trace(11)).isNotEqualTo(trace(12));
  }

  private static List<String> trace(long seed) {
    List<String> lines = new java.util.ArrayList<>();
    SwarmHarness h = new SwarmHarness(seed, ProtocolConfig.defaults());
    h.network.observe(new Network.Observer() {
      @Override
      public void onOutput(int node, io.gossip4j.proto.Output output, long nowNanos) {
        lines.add(nowNanos + " " + h.network.nodeAt(node) + " " + output);
      }
    });
    h.joinAllThroughFirst(15);
    h.run(Duration.ofMinutes(2));
    for (int i = 0; i < 5; i++) {
      h.broadcast(h.nodes.get(i), bytes("det " + i));
      h.run(Duration.ofSeconds(1));
    }
    return lines;
  }
}
