package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.PeerData;
import io.gossip4j.TopicId;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Many real protocol cores on virtual time, connected by an in-memory network: the same loop a
 * driver runs, with one event queue ordered by (time, sequence) instead of sockets and a clock.
 *
 * <p>Each pair of nodes gets a fixed latency drawn from a seeded range, so messages between two
 * nodes stay in order, as on a TCP connection. A message to a crashed node is lost and its
 * sender hears {@link Input.PeerLost}; closing a connection tells the other side the same.
 * Deterministic: the same seed and calls give the same run.
 */
public final class Network {

  /** What the network does to every output, for accounting. */
  public interface Observer {
    /** A node emitted an output at {@code nowNanos}. */
    default void onOutput(NodeId node, Output output, long nowNanos) {}
  }

  private record Scheduled(long at, long seq, NodeId node, Input input)
      implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled o) {
      int byTime = Long.compare(at, o.at);
      return byTime != 0 ? byTime : Long.compare(seq, o.seq);
    }
  }

  private final class Node {
    final NodeId id;
    final Protocol protocol;
    final Consumer<Output> sink;
    /** Peers this node has an open connection with. */
    final Set<NodeId> connections = new HashSet<>();
    boolean alive = true;

    Node(NodeId id, Protocol protocol) {
      this.id = id;
      this.protocol = protocol;
      this.sink = output -> onOutput(this, output);
    }
  }

  private final NetworkConfig config;
  private final ProtocolConfig protocolConfig;
  private final SplittableRandom rng;
  private final Map<NodeId, Node> nodes = new LinkedHashMap<>();
  private final Map<Long, Long> linkLatency = new HashMap<>();
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
  private final List<Observer> observers = new ArrayList<>();
  private long now;
  private long seq;
  private long processed;

  public Network(NetworkConfig config, ProtocolConfig protocolConfig) {
    this.config = config;
    this.protocolConfig = protocolConfig;
    this.rng = new SplittableRandom(config.seed());
  }

  /** Registers an observer of every output. */
  public void observe(Observer observer) {
    observers.add(observer);
  }

  /** Adds a node with a random id and its own seeded random generator. */
  public NodeId addNode() {
    byte[] bytes = new byte[32];
    rng.nextBytes(bytes);
    NodeId id = NodeId.of(bytes);
    PeerData data = PeerData.of(("sim:" + nodes.size()).getBytes());
    Protocol protocol = new Protocol(id, data, protocolConfig, rng.split());
    nodes.put(id, new Node(id, protocol));
    return id;
  }

  /** Runs a command on a node now. */
  public void command(NodeId node, TopicId topic, TopicCommand command) {
    deliver(nodes.get(node), new Input.Command(topic, command));
  }

  /**
   * Stops a node at once: no DISCONNECT, its messages in flight are lost. Each node connected
   * to it hears {@link Input.PeerLost} one link latency later, as a transport's failure
   * detector would tell it.
   */
  public void crash(NodeId node) {
    Node crashed = nodes.get(node);
    crashed.alive = false;
    for (NodeId peer : crashed.connections) {
      Node other = nodes.get(peer);
      other.connections.remove(node);
      if (other.alive) {
        enqueue(now + latency(node, peer), peer, new Input.PeerLost(node));
      }
    }
    crashed.connections.clear();
  }

  /** Processes every event due up to {@code now + duration}, then sets the clock there. */
  public void runFor(long durationNanos) {
    runUntil(now + durationNanos);
  }

  /** Processes every event due up to {@code deadline}, then sets the clock there. */
  public void runUntil(long deadlineNanos) {
    while (!queue.isEmpty() && queue.peek().at <= deadlineNanos) {
      Scheduled next = queue.poll();
      now = next.at;
      Node node = nodes.get(next.node);
      if (node.alive) {
        deliver(node, next.input);
      }
    }
    now = Math.max(now, deadlineNanos);
  }

  private void deliver(Node node, Input input) {
    processed++;
    node.protocol.handle(input, now, node.sink);
  }

  private void onOutput(Node from, Output output) {
    for (Observer o : observers) {
      o.onOutput(from.id, output, now);
    }
    if (output instanceof Output.Send send) {
      Node to = nodes.get(send.to());
      long latency = latency(from.id, send.to());
      if (to == null || !to.alive) {
        enqueue(now + 2 * latency, from.id, new Input.PeerLost(send.to()));
      } else if (connect(from, to)
          && (config.lossRate() == 0 || rng.nextDouble() >= config.lossRate())) {
        enqueue(now + latency, send.to(), new Input.Received(from.id, send.topic(),
            send.message()));
      }
    } else if (output instanceof Output.Dial dial) {
      Node to = nodes.get(dial.peer());
      if (to == null || !to.alive) {
        enqueue(now + 2 * latency(from.id, dial.peer()), from.id,
            new Input.PeerLost(dial.peer()));
      }
    } else if (output instanceof Output.Disconnect d) {
      Node peer = nodes.get(d.peer());
      from.connections.remove(d.peer());
      if (peer != null && peer.connections.remove(from.id)) {
        enqueue(now + latency(from.id, d.peer()), d.peer(), new Input.PeerLost(from.id));
      }
    } else if (output instanceof Output.Schedule s) {
      enqueue(now + s.delayNanos(), from.id, new Input.TimerFired(s.timer()));
    }
    // Output.Emit: for observers only.
  }

  private boolean connect(Node a, Node b) {
    a.connections.add(b.id);
    b.connections.add(a.id);
    return true;
  }

  private void enqueue(long at, NodeId node, Input input) {
    queue.add(new Scheduled(at, seq++, node, input));
  }

  /** The fixed latency of the link between two nodes, drawn once per pair. */
  private long latency(NodeId a, NodeId b) {
    long key = a.compareTo(b) < 0 ? pairKey(a, b) : pairKey(b, a);
    Long latency = linkLatency.get(key);
    if (latency == null) {
      long min = config.minLatency().toNanos();
      long max = config.maxLatency().toNanos();
      latency = min == max ? min : min + rng.nextLong(max - min + 1);
      linkLatency.put(key, latency);
    }
    return latency;
  }

  private static long pairKey(NodeId a, NodeId b) {
    long ka = 0;
    long kb = 0;
    for (int i = 0; i < 8; i++) {
      ka = (ka << 8) | (a.byteAt(i) & 0xff);
      kb = (kb << 8) | (b.byteAt(i) & 0xff);
    }
    return ka * 31 + kb;
  }

  // ---- queries --------------------------------------------------------------------------

  /** Virtual time now, in nanoseconds since the start. */
  public long now() {
    return now;
  }

  /** Inputs handled so far. */
  public long processedEvents() {
    return processed;
  }

  /** Every node ever added, in order. */
  public List<NodeId> nodes() {
    return new ArrayList<>(nodes.keySet());
  }

  /** The nodes not crashed, in order. */
  public List<NodeId> aliveNodes() {
    List<NodeId> alive = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.alive) {
        alive.add(n.id);
      }
    }
    return alive;
  }

  /** Whether the node is alive. */
  public boolean isAlive(NodeId node) {
    return nodes.get(node).alive;
  }

  /** A node's protocol, to inspect its state. */
  public Protocol protocol(NodeId node) {
    return nodes.get(node).protocol;
  }

  /** Read-only view of the node ids. */
  public Collection<NodeId> ids() {
    return Collections.unmodifiableCollection(nodes.keySet());
  }
}
