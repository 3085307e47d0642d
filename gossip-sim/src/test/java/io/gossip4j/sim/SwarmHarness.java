package io.gossip4j.sim;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.proto.TopicEvent;
import io.gossip4j.proto.TopicSnapshot;
import io.gossip4j.wire.PeerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A network of nodes on one topic, recording every delivery, for the swarm-level tests. */
final class SwarmHarness {
  static final TopicId TOPIC = TopicId.fromName("test-topic");

  final Network network;
  final List<NodeId> nodes = new ArrayList<>();
  /** Per node, every Received event in order. */
  final Map<NodeId, List<TopicEvent.Received>> received = new HashMap<>();
  long payloadSends;

  SwarmHarness(long seed, ProtocolConfig config) {
    network = new Network(NetworkConfig.withSeed(seed), config);
    network.observe(
        new Network.Observer() {
          @Override
          public void onOutput(int node, Output output, long nowNanos) {
            if (output instanceof Output.Emit e && e.event() instanceof TopicEvent.Received r) {
              received.computeIfAbsent(network.nodeAt(node), k -> new ArrayList<>()).add(r);
            } else if (output instanceof Output.Send s
                && s.message() instanceof io.gossip4j.wire.BroadcastMessage.Push) {
              payloadSends++;
            }
          }
        });
  }

  /** Adds {@code count} nodes; each joins through the first one, a second apart. */
  void joinAllThroughFirst(int count) {
    for (int i = 0; i < count; i++) {
      NodeId id = network.addNode();
      List<PeerInfo> bootstrap = nodes.isEmpty() ? List.of() : List.of(PeerInfo.of(nodes.get(0)));
      nodes.add(id);
      network.command(id, TOPIC, new TopicCommand.Join(bootstrap));
      network.runFor(Duration.ofMillis(200).toNanos());
    }
  }

  void run(Duration d) {
    network.runFor(d.toNanos());
  }

  void broadcast(NodeId from, byte[] payload) {
    network.command(from, TOPIC, new TopicCommand.Broadcast(payload, Scope.SWARM));
  }

  TopicSnapshot snapshot(NodeId node) {
    return network.protocol(node).snapshot(TOPIC).orElseThrow();
  }

  /** How many times each node delivered the message with this payload. */
  Map<NodeId, Integer> deliveriesOf(byte[] payload) {
    Map<NodeId, Integer> counts = new HashMap<>();
    for (NodeId n : nodes) {
      int c = 0;
      for (TopicEvent.Received r : received.getOrDefault(n, List.of())) {
        if (java.util.Arrays.equals(r.payload(), payload)) {
          c++;
        }
      }
      counts.put(n, c);
    }
    return counts;
  }

  List<MessageId> idsDeliveredAt(NodeId node) {
    List<MessageId> ids = new ArrayList<>();
    for (TopicEvent.Received r : received.getOrDefault(node, List.of())) {
      ids.add(r.id());
    }
    return ids;
  }
}
