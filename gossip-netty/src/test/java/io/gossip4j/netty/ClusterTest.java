package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class ClusterTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void twentyNodesEachBroadcastFiftyAndEverySubscriberGetsEachMessageOnce() throws Exception {
    try (Cluster c = new Cluster("exactly-once", 1)) {
      c.addAll(20);
      // Some nodes get a second, independent subscription to the same topic: it gets the other
      // nodes' messages and its own node's, which the broadcasting subscription does not.
      List<Received> extra = new ArrayList<>();
      List<Integer> extraOwner = new ArrayList<>();
      for (int i = 0; i < 20; i += 4) {
        Received r = new Received();
        c.nodes.get(i).subscribe(c.topic, List.of(), r);
        extra.add(r);
        extraOwner.add(i);
      }
      Await.until("a settled overlay", Duration.ofSeconds(60), () -> c.settled(2));
      for (int m = 0; m < 50; m++) {
        for (int i = 0; i < 20; i++) {
          c.topics.get(i).broadcast(utf8(i + ":" + m));
        }
      }
      Await.until("every subscriber has every message", Duration.ofSeconds(60), () -> {
        for (Received r : c.received) {
          if (r.events.size() < 19 * 50) {
            return false;
          }
        }
        for (Received r : extra) {
          if (r.events.size() < 20 * 50) {
            return false;
          }
        }
        return true;
      });
      for (int i = 0; i < 20; i++) {
        assertSubscriberGotEachOnce(c.received.get(i), i, false);
      }
      for (int k = 0; k < extra.size(); k++) {
        assertSubscriberGotEachOnce(extra.get(k), extraOwner.get(k), true);
      }
    }
  }

  private static void assertSubscriberGotEachOnce(Received r, int owner, boolean seesOwn) {
    assertThat(r.events).hasSize(seesOwn ? 20 * 50 : 19 * 50);
    for (int i = 0; i < 20; i++) {
      for (int m = 0; m < 50; m++) {
        assertThat(r.count(i + ":" + m)).as("message %d:%d at node %d", i, m, owner)
            .isEqualTo(i == owner && !seesOwn ? 0 : 1);
      }
    }
  }

  @Test
  void afterTenOfThirtyNodesAreKilledTheSurvivorsHealAndGetEveryLaterBroadcast() {
    try (Cluster c = new Cluster("mass-failure", 2)) {
      c.addAll(30);
      Await.until("a settled overlay", Duration.ofSeconds(60), () -> c.settled(2));
      List<NodeId> dead = new ArrayList<>();
      for (int i = 0; i < 30; i += 3) {
        dead.add(c.nodes.get(i).nodeId());
        c.nodes.get(i).abort();
      }
      Await.until("survivors heal", Duration.ofSeconds(60), () -> c.settled(2),
          () -> c.unsettled(2));
      for (int i = 0; i < 30; i++) {
        if (c.isLive(i)) {
          assertThat(c.topics.get(i).neighbors()).doesNotContainAnyElementsOf(dead);
        }
      }
      for (int m = 0; m < 10; m++) {
        int sender = 1 + 3 * m;
        String text = "after " + m;
        c.topics.get(sender).broadcast(utf8(text));
        Await.until("message " + m + " at every survivor", Duration.ofSeconds(30), () -> {
          for (int i = 0; i < 30; i++) {
            if (c.isLive(i) && i != sender && c.received.get(i).count(text) != 1) {
              return false;
            }
          }
          return true;
        });
      }
      for (int i = 0; i < 30; i++) {
        if (c.isLive(i)) {
          for (int m = 0; m < 10; m++) {
            assertThat(c.received.get(i).count("after " + m)).isLessThanOrEqualTo(1);
          }
        }
      }
    }
  }
}
