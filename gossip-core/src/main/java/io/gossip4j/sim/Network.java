package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.PeerData;
import io.gossip4j.TopicId;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Many real protocol cores on virtual time, connected by an in-memory network: the same loop a
 * driver runs, with one event queue ordered by (time, sequence) instead of sockets and a clock.
 *
 * <p>Each pair of nodes has a fixed latency drawn from a seeded range (a hash of the seed and
 * the pair, so no table is kept), so messages between two nodes stay in order, as on a TCP
 * connection. A message to a crashed node is lost and its sender hears {@link Input.PeerLost};
 * closing a connection tells the other side the same. Nodes can be added at any time.
 * Deterministic: the same seed and calls give the same run.
 *
 * <p>Connections: sending a message opens the connection between two live nodes if there is
 * none (a dial), and a message that arrives re-opens it, so a node that holds a peer in its
 * views always learns of that peer's crash. A {@link Input.PeerLost} is stale, and dropped, when
 * the node has a connection to that peer again by the time it arrives: it was about an older
 * connection, and must not take down the new one.
 */
public final class Network {

  /** What the network does, for accounting. Called on the simulation's thread. */
  public interface Observer {
    /** A node emitted an output at {@code nowNanos}. */
    default void onOutput(NodeId node, Output output, long nowNanos) {}

    /** A message reached a live node, which handles it next. */
    default void onReceived(NodeId node, Input.Received received, long nowNanos) {}
  }

  private final class Node {
    final NodeId id;
    final int index;
    final Protocol protocol;
    final Consumer<Output> sink;
    /** Peers this node has an open connection with: a handful, so a plain array is fastest. */
    Node[] connections = new Node[8];
    int connectionCount;
    boolean alive = true;

    Node(NodeId id, int index, Protocol protocol) {
      this.id = id;
      this.index = index;
      this.protocol = protocol;
      this.sink = output -> onOutput(this, output);
    }

    boolean connectedTo(Node peer) {
      for (int i = 0; i < connectionCount; i++) {
        if (connections[i] == peer) {
          return true;
        }
      }
      return false;
    }

    /** Adds the connection; returns whether it is new. */
    boolean addConnection(Node peer) {
      if (connectedTo(peer)) {
        return false;
      }
      if (connectionCount == connections.length) {
        connections = Arrays.copyOf(connections, connectionCount * 2);
      }
      connections[connectionCount++] = peer;
      return true;
    }

    /** Removes the connection; returns whether it was there. */
    boolean removeConnection(Node peer) {
      for (int i = 0; i < connectionCount; i++) {
        if (connections[i] == peer) {
          connections[i] = connections[--connectionCount];
          connections[connectionCount] = null;
          return true;
        }
      }
      return false;
    }
  }

  private final NetworkConfig config;
  private final ProtocolConfig protocolConfig;
  private final SplittableRandom rng;
  private final long latencySalt;
  private final long minLatency;
  private final long latencySpan;
  private final Map<NodeId, Node> nodes = new HashMap<>();
  private final List<Node> byIndex = new ArrayList<>();
  /**
   * Inputs, each tagged with the index of the node it is for and, for a message, that of its
   * sender plus one (0 for none): the sender is needed to drop a message whose sender crashed.
   */
  private final EventQueue<Input> queue = new EventQueue<>();
  private final List<Observer> observers = new ArrayList<>();
  private Observer[] observerArray = new Observer[0];
  private long now;
  private long processed;

  public Network(NetworkConfig config, ProtocolConfig protocolConfig) {
    this.config = config;
    this.protocolConfig = protocolConfig;
    this.rng = new SplittableRandom(config.seed());
    this.latencySalt = rng.nextLong();
    this.minLatency = config.minLatency().toNanos();
    this.latencySpan = config.maxLatency().toNanos() - minLatency + 1;
  }

  /** Registers an observer of every output and every received message. */
  public void observe(Observer observer) {
    observers.add(observer);
    observerArray = observers.toArray(new Observer[0]);
  }

  /** Adds a node with a random id and its own seeded random generator; it starts idle. */
  public NodeId addNode() {
    byte[] bytes = new byte[32];
    rng.nextBytes(bytes);
    NodeId id = NodeId.of(bytes);
    int index = byIndex.size();
    PeerData data = PeerData.of(("sim:" + index).getBytes(StandardCharsets.US_ASCII));
    Node node = new Node(id, index, new Protocol(id, data, protocolConfig, rng.split()));
    nodes.put(id, node);
    byIndex.add(node);
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
    if (!crashed.alive) {
      return;
    }
    crashed.alive = false;
    Node[] peers = Arrays.copyOf(crashed.connections, crashed.connectionCount);
    // In index order: the order connections were made in must not leak into the run.
    Arrays.sort(peers, (x, y) -> Integer.compare(x.index, y.index));
    for (Node other : peers) {
      other.removeConnection(crashed);
      if (other.alive) {
        enqueue(now + latency(crashed, other), other, new Input.PeerLost(node), null);
      }
    }
    crashed.connections = new Node[8];
    crashed.connectionCount = 0;
  }

  /** Processes every event due up to {@code now + duration}, then sets the clock there. */
  public void runFor(long durationNanos) {
    runUntil(now + durationNanos);
  }

  /** Processes every event due up to {@code deadline}, then sets the clock there. */
  public void runUntil(long deadlineNanos) {
    while (!queue.isEmpty() && queue.peekTime() <= deadlineNanos) {
      now = queue.peekTime();
      long tag = queue.peekTag();
      Input input = queue.poll();
      Node node = byIndex.get((int) (tag >>> 32));
      if (!node.alive) {
        continue;
      }
      int fromIndex = (int) tag - 1;
      if (fromIndex >= 0) {
        // A message: lost with its crashed sender; otherwise it proves a connection.
        Node from = byIndex.get(fromIndex);
        if (!from.alive) {
          continue;
        }
        connect(from, node);
        Input.Received received = (Input.Received) input;
        for (Observer o : observerArray) {
          o.onReceived(node.id, received, now);
        }
      } else if (input instanceof Input.PeerLost lost
          && node.connectedTo(nodes.get(lost.peer()))) {
        continue; // about an older connection: a newer one is up
      }
      deliver(node, input);
    }
    now = Math.max(now, deadlineNanos);
  }

  private void deliver(Node node, Input input) {
    processed++;
    node.protocol.handle(input, now, node.sink);
  }

  private void onOutput(Node from, Output output) {
    for (Observer o : observerArray) {
      o.onOutput(from.id, output, now);
    }
    if (output instanceof Output.Send send) {
      Node to = nodes.get(send.to());
      if (to == null || !to.alive) {
        enqueue(now + 2 * latency(from, send.to()), from, new Input.PeerLost(send.to()), null);
      } else {
        connect(from, to);
        if (config.lossRate() == 0 || rng.nextDouble() >= config.lossRate()) {
          enqueue(now + latency(from, to), to,
              new Input.Received(from.id, send.topic(), send.message()), from);
        }
      }
    } else if (output instanceof Output.Dial dial) {
      Node to = nodes.get(dial.peer());
      if (to == null || !to.alive) {
        enqueue(now + 2 * latency(from, dial.peer()), from, new Input.PeerLost(dial.peer()),
            null);
      }
    } else if (output instanceof Output.Disconnect d) {
      Node peer = nodes.get(d.peer());
      if (peer != null && from.removeConnection(peer)) {
        peer.removeConnection(from);
        if (peer.alive) {
          enqueue(now + latency(from, peer), peer, new Input.PeerLost(from.id), null);
        }
      }
    } else if (output instanceof Output.Schedule s) {
      enqueue(now + s.delayNanos(), from, new Input.TimerFired(s.timer()), null);
    }
    // Output.Emit: for observers only.
  }

  private static void connect(Node a, Node b) {
    if (a.addConnection(b)) {
      b.addConnection(a);
    }
  }

  private void enqueue(long at, Node node, Input input, Node from) {
    queue.add(at, input, (long) node.index << 32 | (from == null ? 0 : from.index + 1));
  }

  /** The latency to a peer that may not exist: a stranger gets one drawn from its id. */
  private long latency(Node from, NodeId to) {
    Node node = nodes.get(to);
    return node != null ? latency(from, node) : minLatency + latencySpan - 1;
  }

  /** The fixed latency of the link between two nodes: a seeded hash of the pair. */
  private long latency(Node a, Node b) {
    long lo = Math.min(a.index, b.index);
    long hi = Math.max(a.index, b.index);
    return minLatency + Long.remainderUnsigned(mix(latencySalt ^ (lo << 32 | hi)), latencySpan);
  }

  /** SplitMix64's finalizer: a well-spread 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
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
    List<NodeId> ids = new ArrayList<>(byIndex.size());
    for (Node n : byIndex) {
      ids.add(n.id);
    }
    return ids;
  }

  /** How many nodes were ever added. */
  public int size() {
    return byIndex.size();
  }

  /** The nodes not crashed, in order. */
  public List<NodeId> aliveNodes() {
    List<NodeId> alive = new ArrayList<>();
    for (Node n : byIndex) {
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

  /** The node's position in {@link #nodes()}: 0 for the first one added. */
  public int indexOf(NodeId node) {
    return nodes.get(node).index;
  }

  /** The node added {@code index}-th. */
  public NodeId nodeAt(int index) {
    return byIndex.get(index).id;
  }

  /** A node's protocol, to inspect its state. */
  public Protocol protocol(NodeId node) {
    return nodes.get(node).protocol;
  }
}
