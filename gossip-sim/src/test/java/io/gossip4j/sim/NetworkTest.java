package io.gossip4j.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.proto.TopicSnapshot;
import io.gossip4j.wire.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {
  private static final long MAX_LATENCY = Duration.ofMillis(50).toNanos();

  @Test
  void everyNodeHoldingACrashedPeerHearsOfItWithinALatency() {
    try (Network network = new Network(NetworkConfig.withSeed(4), ProtocolConfig.defaults(), 2)) {
      List<NodeId> nodes = joinThroughFirst(network, 40);
      network.runFor(Duration.ofMinutes(1).toNanos());
      // Payloads in flight towards the victims when they crash: their senders' sides are open
      // before the victims' are.
      network.command(nodes.get(0), Simulation.TOPIC, new TopicCommand.Broadcast(
          "x".getBytes(StandardCharsets.UTF_8), Scope.SWARM));
      network.runFor(Duration.ofMillis(15).toNanos());
      List<NodeId> victims = new ArrayList<>();
      for (int i = 1; i < nodes.size(); i += 3) {
        victims.add(nodes.get(i));
      }
      network.crash(victims);
      // One latency for the news, a little for the handling; no shuffle runs in between.
      network.runFor(MAX_LATENCY + Duration.ofMillis(1).toNanos());
      for (NodeId node : network.aliveNodes()) {
        TopicSnapshot s = network.protocol(node).snapshot(Simulation.TOPIC).orElseThrow();
        assertThat(s.active()).as("active view of %s", node).doesNotContainAnyElementsOf(victims);
      }
    }
  }

  @Test
  void aNodeWhoseFirstMessageIsOnItsWayToANodeThatCrashesHearsOfTheCrash() {
    Network network = new Network(NetworkConfig.withSeed(2), ProtocolConfig.defaults());
    NodeId contact = network.addNode();
    network.command(contact, Simulation.TOPIC, new TopicCommand.Join(List.of()));
    NodeId joiner = network.addNode();
    network.command(joiner, Simulation.TOPIC,
        new TopicCommand.Join(List.of(PeerInfo.of(contact))));
    // The JOIN is on its way: the joiner's side of the connection is open, the contact's not.
    assertThat(network.protocol(joiner).connectedPeers()).containsExactly(contact);
    network.crash(contact);
    network.runFor(MAX_LATENCY + 1);
    assertThat(network.protocol(joiner).connectedPeers()).isEmpty();
  }

  @Test
  void aFailureOnAnotherWorkersThreadIsThrownToTheCallerInsteadOfHangingTheRun() {
    try (Network network = new Network(NetworkConfig.withSeed(3), ProtocolConfig.defaults(), 2)) {
      List<NodeId> nodes = joinThroughFirst(network, 70); // workers take blocks of 64 nodes
      network.observe(new Network.Observer() {
        @Override
        public void onOutput(int node, Output output, long nowNanos) {
          if (network.workerOf(node) == 1) {
            throw new IllegalArgumentException("observer failed at node " + node);
          }
        }
      });
      network.command(nodes.get(0), Simulation.TOPIC, new TopicCommand.Broadcast(
          "y".getBytes(StandardCharsets.UTF_8), Scope.SWARM));
      assertThatThrownBy(() -> network.runFor(Duration.ofSeconds(1).toNanos()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("worker failed")
          .hasRootCauseInstanceOf(IllegalArgumentException.class);
      // Its windows were cut short: it can not go on.
      assertThatThrownBy(() -> network.runFor(1)).hasMessageContaining("closed");
      assertThatThrownBy(() -> network.command(nodes.get(1), Simulation.TOPIC,
          new TopicCommand.Broadcast(new byte[] {1}, Scope.SWARM)))
          .hasMessageContaining("closed");
    }
  }

  @Test
  void eachNodeDoesTheSameNodeByNodeInWindowsAsInTimeOrder() {
    List<List<String>> outputs = assertSameAsInTimeOrder(
        new NetworkConfig(5, Duration.ofMillis(10), Duration.ofMillis(50), 0.01), false);
    assertThat(outputs.stream().mapToInt(List::size).sum()).isGreaterThan(10_000);
  }

  @Test
  void withEqualLatenciesTiesAndCrowdedWindowsRunAsInTimeOrder() {
    // Every link 10 ms: a node's timers often fall due with a message, and all the nodes
    // joining at once give the first more events in one window than the insertion sort takes.
    assertSameAsInTimeOrder(
        new NetworkConfig(6, Duration.ofMillis(10), Duration.ofMillis(10), 0), true);
  }

  /** Runs the same on two threads in windows and on one in time order; returns the outputs. */
  private static List<List<String>> assertSameAsInTimeOrder(
      NetworkConfig config, boolean joinAtOnce) {
    List<List<String>> reference = eachNodesOutputs(
        new Network(config, ProtocolConfig.defaults(), 1, true), joinAtOnce);
    List<List<String>> windows = eachNodesOutputs(
        new Network(config, ProtocolConfig.defaults(), 2), joinAtOnce);
    assertThat(windows).isEqualTo(reference);
    return reference;
  }

  /**
   * What each node output and when, through joins, shuffles, broadcasts from several origins
   * (each node's own timers within a window, among its messages) and a crash.
   */
  private static List<List<String>> eachNodesOutputs(Network network, boolean joinAtOnce) {
    int count = 150;
    List<List<String>> outputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outputs.add(new ArrayList<>());
    }
    // Each node's list is written by its own worker only.
    network.observe(new Network.Observer() {
      @Override
      public void onOutput(int node, Output output, long nowNanos) {
        outputs.get(node).add(nowNanos + " " + output);
      }
    });
    try (network) {
      List<NodeId> nodes =
          joinThroughFirst(network, count, joinAtOnce ? Duration.ZERO : Duration.ofMillis(200));
      network.runFor(Duration.ofSeconds(20).toNanos());
      for (int i = 0; i < 20; i++) {
        network.command(nodes.get(i * 7), Simulation.TOPIC, new TopicCommand.Broadcast(
            ("m" + i).getBytes(StandardCharsets.UTF_8), Scope.SWARM));
        network.runFor(Duration.ofMillis(30).toNanos());
      }
      network.crash(nodes.subList(100, 120));
      network.runFor(Duration.ofSeconds(5).toNanos());
    }
    return outputs;
  }

  @Test
  void aClosedNetworkRefusesToRun() {
    Network network = new Network(NetworkConfig.withSeed(1), ProtocolConfig.defaults(), 2);
    joinThroughFirst(network, 3);
    network.close();
    assertThatThrownBy(() -> network.runFor(1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static List<NodeId> joinThroughFirst(Network network, int count) {
    return joinThroughFirst(network, count, Duration.ofMillis(200));
  }

  /**
   * Nodes join through the first one, {@code spacing} apart; with none, all at once and nothing
   * run in between, so the first's JOINs from other workers' nodes reach its worker after its
   * own worker's, out of order.
   */
  private static List<NodeId> joinThroughFirst(Network network, int count, Duration spacing) {
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NodeId id = network.addNode();
      List<PeerInfo> bootstrap = nodes.isEmpty() ? List.of() : List.of(PeerInfo.of(nodes.get(0)));
      nodes.add(id);
      network.command(id, Simulation.TOPIC, new TopicCommand.Join(bootstrap));
      if (!spacing.isZero()) {
        network.runFor(spacing.toNanos());
      }
    }
    return nodes;
  }
}
