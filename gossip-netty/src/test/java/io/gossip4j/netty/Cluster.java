package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.TrafficGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Many real nodes on loopback with one topic, for the network tests. Each node has a {@link
 * TrafficGate} in its pipelines, for partitions.
 */
final class Cluster implements AutoCloseable {
  final TopicId topic;
  final List<Gossip> nodes = new ArrayList<>();
  final List<Topic> topics = new ArrayList<>();
  final List<Received> received = new ArrayList<>();
  final List<Identity> identities = new ArrayList<>();
  final List<TrafficGate> gates = new ArrayList<>();
  private final Random random;
  private final UnaryOperator<Gossip.Builder> settings;

  Cluster(String topicName, long seed) {
    this(topicName, seed, UnaryOperator.identity());
  }

  /** A cluster whose nodes are built with {@code settings} applied to the defaults. */
  Cluster(String topicName, long seed, UnaryOperator<Gossip.Builder> settings) {
    this.topic = TopicId.fromName(topicName);
    this.random = new Random(seed);
    this.settings = settings;
  }

  /** A started node, subscribed to the cluster's topic. */
  private record Member(Gossip gossip, Topic topic, Received received, TrafficGate gate) {}

  /** Starts a node and joins it through a random earlier node. */
  Gossip add() {
    Identity identity = Identity.generate();
    Member m = start(identity);
    nodes.add(m.gossip());
    identities.add(identity);
    received.add(m.received());
    topics.add(m.topic());
    gates.add(m.gate());
    return m.gossip();
  }

  private Member start(Identity identity) {
    long seed = random.nextLong();
    List<NodeAddr> bootstrap = randomLiveAddr();
    TrafficGate gate = new TrafficGate();
    Gossip g = settings.apply(Gossip.builder().identity(identity).seed(seed))
        .pipelineCustomizer(gate).build().start();
    Received r = new Received();
    return new Member(g, g.subscribe(topic, bootstrap, r), r, gate);
  }

  private List<NodeAddr> randomLiveAddr() {
    List<NodeAddr> live = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (isLive(i)) {
        live.add(nodes.get(i).addr());
      }
    }
    return live.isEmpty() ? List.of() : List.of(live.get(random.nextInt(live.size())));
  }

  /**
   * Crashes node {@code i} and starts it again with the same key (a new port, so a new
   * address), joining through a random live node; its received messages start afresh.
   */
  Gossip restart(int i) {
    nodes.get(i).abort();
    Member m = start(identities.get(i));
    nodes.set(i, m.gossip());
    received.set(i, m.received());
    topics.set(i, m.topic());
    gates.set(i, m.gate());
    return m.gossip();
  }

  /** Whether the live nodes' neighbor relation connects all of them. */
  boolean connected() {
    int first = -1;
    int live = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (isLive(i)) {
        live++;
        first = first < 0 ? i : first;
      }
    }
    Set<Integer> seen = new HashSet<>();
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    todo.add(first);
    seen.add(first);
    while (!todo.isEmpty()) {
      for (NodeId n : topics.get(todo.poll()).neighbors()) {
        int j = indexOf(n);
        if (j >= 0 && isLive(j) && seen.add(j)) {
          todo.add(j);
        }
      }
    }
    return seen.size() == live;
  }

  /** Node {@code sender} broadcasts {@code text}; waits until every other live node has it once. */
  void broadcastToAll(int sender, String text, Duration deadline) {
    broadcastToAllBut(sender, text, deadline, -1);
  }

  /** As {@link #broadcastToAll}, not waiting for node {@code except} (-1: none). */
  void broadcastToAllBut(int sender, String text, Duration deadline, int except) {
    topics.get(sender).broadcast(text.getBytes(StandardCharsets.UTF_8));
    Await.until(text + " at every live node", deadline, () -> {
      for (int i = 0; i < nodes.size(); i++) {
        if (isLive(i) && i != sender && i != except && received.get(i).count(text) != 1) {
          return false;
        }
      }
      return true;
    }, () -> {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < nodes.size(); i++) {
        if (isLive(i) && i != sender && i != except && received.get(i).count(text) != 1) {
          sb.append("\n  node ").append(i).append(" has it ").append(received.get(i).count(text))
              .append(" times; neighbors ").append(indices(topics.get(i).neighbors()));
        }
      }
      return sb.append("\n  sender ").append(sender).append(" neighbors ")
          .append(indices(topics.get(sender).neighbors())).toString();
    });
  }

  void addAll(int count) {
    for (int i = 0; i < count; i++) {
      add();
    }
  }

  boolean isLive(int i) {
    return !nodes.get(i).isClosed();
  }

  /** Every live node has at least {@code min} neighbors, all live, and views are symmetric. */
  boolean settled(int min) {
    for (int i = 0; i < nodes.size(); i++) {
      if (!isLive(i)) {
        continue;
      }
      var neighbors = topics.get(i).neighbors();
      if (neighbors.size() < min) {
        return false;
      }
      for (NodeId n : neighbors) {
        int j = indexOf(n);
        if (j < 0 || !isLive(j) || !topics.get(j).neighbors().contains(nodes.get(i).nodeId())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Which live nodes break {@link #settled}: for the message of a failed wait. */
  String unsettled(int min) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      if (!isLive(i)) {
        continue;
      }
      var neighbors = topics.get(i).neighbors();
      List<String> bad = new ArrayList<>();
      for (NodeId n : neighbors) {
        int j = indexOf(n);
        if (j < 0 || !isLive(j)) {
          bad.add("dead " + j);
        } else if (!topics.get(j).neighbors().contains(nodes.get(i).nodeId())) {
          bad.add("one-way " + j + " (its view " + indices(topics.get(j).neighbors()) + ")");
        }
      }
      if (neighbors.size() < min || !bad.isEmpty()) {
        sb.append("\n  node ").append(i).append(": ").append(indices(neighbors)).append(' ')
            .append(bad);
      }
    }
    return sb.toString();
  }

  private List<Integer> indices(Set<NodeId> ids) {
    List<Integer> list = new ArrayList<>();
    for (NodeId n : ids) {
      list.add(indexOf(n));
    }
    return list;
  }

  int indexOf(NodeId id) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).nodeId().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    for (Gossip g : nodes) {
      g.close();
    }
  }
}
