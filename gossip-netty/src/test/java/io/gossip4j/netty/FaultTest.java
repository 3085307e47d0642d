package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.netty.transport.TrafficGate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults on real loopback clusters of 30 to 40 nodes in one JVM: mass failure, a node that
 * stops reading, a partition and its healing, a restart with the same key. Liveness settings
 * are shortened (heartbeat 200 ms, idle timeout 1 s, handshake timeout 1 s, shuffle every
 * second) so that each fault heals in seconds.
 */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class FaultTest {
  private static final Duration HEAL = Duration.ofSeconds(60);

  private static Gossip.Builder fast(Gossip.Builder b, int rotation) {
    return b.heartbeatInterval(Duration.ofMillis(200))
        .idleTimeout(Duration.ofSeconds(1))
        .handshakeTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(1))
        .membership(HyParViewConfig.builder()
            .shuffleInterval(Duration.ofSeconds(1))
            .activeRotationShuffles(rotation)
            .build());
  }

  @Test
  void afterHalfOfFortyNodesAreKilledAtOnceEverySurvivorGetsEveryLaterBroadcast() {
    try (Cluster c = new Cluster("half killed", 3, b -> fast(b, 0))) {
      c.addAll(40);
      Await.until("a settled overlay", HEAL, () -> c.settled(2) && c.connected(),
          () -> c.unsettled(2));
      for (int i = 0; i < 40; i += 2) {
        c.nodes.get(i).abort();
      }
      Await.until("the survivors connected again", HEAL, () -> c.settled(1) && c.connected(),
          () -> c.unsettled(1));
      for (int m = 0; m < 20; m++) {
        c.broadcastToAll(1 + 2 * m, "after " + m, Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void aNodeThatStopsReadingIsDroppedWithoutStallingItsPeersAndRejoinsAfterwards()
      throws Exception {
    try (Cluster c = new Cluster("stalled", 4, b -> fast(b, 0))) {
      c.addAll(30);
      Await.until("a settled overlay", HEAL, () -> c.settled(2) && c.connected(),
          () -> c.unsettled(2));
      int stalled = 7;
      NodeId stalledId = c.nodes.get(stalled).nodeId();
      // Its event loop blocks: nothing is read, nothing written, not even heartbeats.
      CountDownLatch resume = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      CountDownLatch unblocked = new CountDownLatch(1);
      c.nodes.get(stalled).driver().loop().execute(() -> {
        blocked.countDown();
        try {
          resume.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          unblocked.countDown();
        }
      });
      blocked.await(10, TimeUnit.SECONDS);
      try {
        Await.until("every peer dropped the stalled node", Duration.ofSeconds(10), () -> {
          for (int i = 0; i < 30; i++) {
            if (i != stalled && c.topics.get(i).neighbors().contains(stalledId)) {
              return false;
            }
          }
          return true;
        });
        // Meanwhile everyone else goes on: broadcasts reach all other nodes.
        for (int m = 0; m < 5; m++) {
          c.broadcastToAllBut(stalled + 1 + m, "during " + m, Duration.ofSeconds(10), stalled);
        }
        // All of that happened while the node was still stalled.
        assertThat(unblocked.getCount()).as("the node was stalled throughout").isEqualTo(1);
      } finally {
        resume.countDown();
      }
      Await.until("the stalled node back in the overlay", HEAL,
          () -> c.topics.get(stalled).neighbors().size() >= 1 && c.settled(1) && c.connected());
      c.broadcastToAll(0, "after the stall", Duration.ofSeconds(30));
      c.broadcastToAll(stalled, "from the stalled node", Duration.ofSeconds(30));
    }
  }

  @Test
  void aPartitionSplitsTheOverlayAndOnceHealedBroadcastsReachEveryone() {
    // Rotation on: without it the two sides, full again, would never dial across.
    try (Cluster c = new Cluster("partition", 5, b -> fast(b, 2))) {
      c.addAll(30);
      Await.until("a settled overlay", HEAL, () -> c.settled(2) && c.connected(),
          () -> c.unsettled(2));
      Set<NodeId> sideA = new HashSet<>();
      Set<NodeId> sideB = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        (i % 2 == 0 ? sideA : sideB).add(c.nodes.get(i).nodeId());
      }
      for (int i = 0; i < 30; i++) {
        Set<NodeId> other = i % 2 == 0 ? sideB : sideA;
        c.gates.get(i).block(other::contains);
      }
      Await.until("no neighbor across the partition", HEAL, () -> {
        for (int i = 0; i < 30; i++) {
          Set<NodeId> other = i % 2 == 0 ? sideB : sideA;
          for (NodeId n : c.topics.get(i).neighbors()) {
            if (other.contains(n)) {
              return false;
            }
          }
        }
        return true;
      });
      assertThat(c.connected()).as("the overlay is split").isFalse();
      for (TrafficGate gate : c.gates) {
        gate.unblock();
      }
      Await.until("one overlay again", HEAL, () -> c.settled(1) && c.connected(),
          () -> c.unsettled(1));
      for (int m = 0; m < 10; m++) {
        c.broadcastToAll(m * 3, "healed " + m, Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void aNodeRestartedWithTheSameKeyRejoinsAndGetsAndSendsBroadcasts() {
    try (Cluster c = new Cluster("restart", 6, b -> fast(b, 0))) {
      c.addAll(30);
      Await.until("a settled overlay", HEAL, () -> c.settled(2) && c.connected(),
          () -> c.unsettled(2));
      NodeId before = c.nodes.get(11).nodeId();
      Gossip again = c.restart(11);
      assertThat(again.nodeId()).isEqualTo(before);
      Await.until("the restarted node in the overlay", HEAL,
          () -> c.settled(1) && c.connected(),
          () -> c.unsettled(1));
      c.broadcastToAll(0, "to the restarted", Duration.ofSeconds(30));
      c.broadcastToAll(11, "from the restarted", Duration.ofSeconds(30));
      // Its peers hold one channel to it, the new one.
      for (int i = 0; i < 30; i++) {
        if (i != 11 && c.topics.get(i).neighbors().contains(before)) {
          Gossip peer = c.nodes.get(i);
          List<?> channels = peer.onLoop(d -> d.connections().channelsTo(before)).join();
          assertThat(channels).hasSize(1);
        }
      }
    }
  }
}
