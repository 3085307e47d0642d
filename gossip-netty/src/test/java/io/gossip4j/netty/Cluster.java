package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Many real nodes on loopback with one topic, for the network tests. */
final class Cluster implements AutoCloseable {
  final TopicId topic;
  final List<Gossip> nodes = new ArrayList<>();
  final List<Topic> topics = new ArrayList<>();
  final List<Received> received = new ArrayList<>();
  private final Random random;

  Cluster(String topicName, long seed) {
    this.topic = TopicId.fromName(topicName);
    this.random = new Random(seed);
  }

  /** Starts a node and joins it through up to two random earlier nodes. */
  Gossip add() {
    Gossip g = Gossip.builder().seed(random.nextLong()).build().start();
    List<NodeAddr> bootstrap = new ArrayList<>();
    if (!nodes.isEmpty()) {
      bootstrap.add(nodes.get(random.nextInt(nodes.size())).addr());
    }
    Received r = new Received();
    topics.add(g.subscribe(topic, bootstrap, r));
    nodes.add(g);
    received.add(r);
    return g;
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
