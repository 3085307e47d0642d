package io.gossip4j.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void nodesJoinedThroughOneContactConvergeToFullActiveAndNonEmptyPassiveViews() {
    SwarmHarness h = new SwarmHarness(1, ProtocolConfig.defaults());
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
      Map<NodeId, Integer> counts = h.deliveriesOf(payload);
      for (NodeId n : h.nodes) {
        assertThat(counts.get(n)).as("deliveries of message %d at %s", i, n)
            .isEqualTo(n.equals(sender) ? 0 : 1);
      }
    }
  }
}
