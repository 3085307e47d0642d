package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.wire.PeerData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import java.util.function.Consumer;

/**
 * Many real protocol cores on virtual time, connected by an in-memory network: the same loop a
 * driver runs, with each node's events run in (time, sequence) order instead of sockets and a
 * clock.
 *
 * <p>Each pair of nodes has a fixed latency drawn from a seeded range (a hash of the seed and
 * the pair, so no table is kept), so messages between two nodes stay in order, as on a TCP
 * connection. A message to a crashed node is lost and its sender hears {@link Input.PeerLost};
 * closing a connection tells the other side the same. Nodes can be added at any time.
 *
 * <p>Connections: each node keeps its own side of its connections, as a transport would.
 * Sending opens our side (a dial); a message that arrives opens the receiver's side. Closing
 * our side tells the peer one latency later, and its side closes then, unless it opened a new
 * connection to us after ours closed: a {@link Input.PeerLost} about an older connection is
 * dropped, so it cannot take the new one down. A crash closes every side that points at the
 * crashed node, and each of those nodes hears of it one latency later.
 *
 * <p>Deterministic, whatever the number of threads: every event carries a sequence number made
 * by the node whose action caused it (its index and a count), so events due at the same time
 * come out in the same order however they were queued. With several threads, the nodes are
 * split among workers, each with its own queue, and time advances in windows no longer than the
 * shortest link latency: nothing a node does within a window can reach another node before the
 * window ends, so the workers run a window in parallel and trade the messages they made for each
 * other's nodes at its end (a conservative parallel discrete-event simulation). For the same
 * reason, within a window each worker runs its nodes one after the other, each node's events in
 * its own time order: the run is the same as in time order, and a node's state, read from memory
 * for its first event of the window, is still in the cache for the next.
 */
public final class Network implements AutoCloseable {

  /**
   * What the network does, for accounting. Each node's calls come in its time order from the
   * thread of its worker ({@link #workerOf}); with more than one worker, calls for nodes of
   * different workers come concurrently.
   */
  public interface Observer {
    /** The node with index {@code node} emitted an output at {@code nowNanos}. */
    default void onOutput(int node, Output output, long nowNanos) {}

    /** A message reached the live node with index {@code node}, which handles it next. */
    default void onReceived(int node, Input.Received received, long nowNanos) {}
  }

  /** Low bits of a sequence number that count the events its node made; the rest is the node. */
  private static final int COUNT_BITS = 39;
  /** A worker takes nodes in blocks of 2^this, by index. */
  private static final int WORKER_BLOCK_BITS = 6;
  /** Nodes whose index fits beside the count in a positive sequence number. */
  private static final int MAX_NODES = 1 << (Long.SIZE - 1 - COUNT_BITS);

  private final class Node {
    final NodeId id;
    final int index;
    final Worker worker;
    final Protocol protocol;
    final Consumer<Output> sink;
    /**
     * This node's side of its connections: a handful, so plain arrays are fastest, with their
     * ids beside them, so a peer named by id is found without the network's map.
     */
    Node[] connections = new Node[8];
    NodeId[] connectionIds = new NodeId[8];
    /** When each connection was opened: the send that opened it, at either end. */
    long[] openedAt = new long[8];
    int connectionCount;
    /** Events this node has caused so far. */
    long made;

    Node(NodeId id, int index, Worker worker, Protocol protocol) {
      this.id = id;
      this.index = index;
      this.worker = worker;
      this.protocol = protocol;
      this.sink = output -> worker.onOutput(this, output);
    }

    /** The sequence number of the next event this node causes. */
    long nextSeq() {
      return (long) index << COUNT_BITS | made++;
    }

    int connectionTo(Node peer) {
      for (int i = 0; i < connectionCount; i++) {
        if (connections[i] == peer) {
          return i;
        }
      }
      return -1;
    }

    int connectionTo(NodeId peer) {
      // The protocols pass on the network's own id instances, so identity nearly always finds
      // it without reading any id; equality is the fallback for copies.
      for (int i = 0; i < connectionCount; i++) {
        if (connectionIds[i] == peer) {
          return i;
        }
      }
      for (int i = 0; i < connectionCount; i++) {
        if (connectionIds[i].equals(peer)) {
          return i;
        }
      }
      return -1;
    }

    /** The node {@code peer} names: from our connections if we have one to it, else the map. */
    Node resolve(NodeId peer) {
      int i = connectionTo(peer);
      return i >= 0 ? connections[i] : nodes.get(peer);
    }

    /** Opens our side of a connection to {@code peer} unless it is open. */
    void open(Node peer, long at) {
      if (connectionTo(peer) >= 0) {
        return;
      }
      if (connectionCount == connections.length) {
        connections = Arrays.copyOf(connections, connectionCount * 2);
        connectionIds = Arrays.copyOf(connectionIds, connectionCount * 2);
        openedAt = Arrays.copyOf(openedAt, connectionCount * 2);
      }
      connections[connectionCount] = peer;
      connectionIds[connectionCount] = peer.id;
      openedAt[connectionCount] = at;
      connectionCount++;
    }

    void closeAt(int i) {
      connectionCount--;
      connections[i] = connections[connectionCount];
      connectionIds[i] = connectionIds[connectionCount];
      openedAt[i] = openedAt[connectionCount];
      connections[connectionCount] = null;
      connectionIds[connectionCount] = null;
    }

    /** Closes our side of a connection to {@code peer}; returns whether it was open. */
    boolean close(Node peer) {
      int i = connectionTo(peer);
      if (i >= 0) {
        closeAt(i);
      }
      return i >= 0;
    }
  }

  /** A share of the nodes with its own queue, run by one thread during a window. */
  private final class Worker {
    final int index;
    /** This worker's events, for runs in windows; null in time order. */
    final EventCalendar calendar;
    /** Every event, in (time, sequence) order, for the run in time order. */
    final EventQueue<Object> queue = new EventQueue<>();
    /**
     * Events made for other workers' nodes, per destination worker and parity of the window
     * they were made in: a window's batches are read while the next window's are written.
     */
    final EventBatch[][] outboxes;
    /** The events of the window being run, in no particular order. */
    final EventBatch taken = new EventBatch();
    /** Per event of {@link #taken}, its node's index and its position there: (node, i). */
    long[] byNode = new long[256];
    /** The node whose events run now, and the events it made for itself within the window. */
    Node current;
    final EventQueue<Object> own = new EventQueue<>();
    /** The last time of the window being run; {@link Long#MIN_VALUE} between windows. */
    long end = Long.MIN_VALUE;
    long now;
    long processed;
    int parity;

    Worker(int index, int workers) {
      this.index = index;
      // Slots a window long, in a ring that reaches 1.28 s ahead at the default 10 ms: past
      // every message of links up to that long and the membership cycle's timers. Not further:
      // each slot keeps arrays as large as its busiest window, so the ring's memory grows with
      // its length; what waits longer goes to the heap behind it, at a little more cost.
      this.calendar = inTimeOrder ? null : new EventCalendar(minLatency, 128);
      this.outboxes = new EventBatch[workers][2];
      for (EventBatch[] pair : outboxes) {
        pair[0] = new EventBatch();
        pair[1] = new EventBatch();
      }
    }

    /** Takes in what the other workers made for us in the last window, then runs this one. */
    void runWindow(int window, long end) {
      int previous = (window - 1) & 1;
      for (Worker from : workers) {
        from.outboxes[index][previous].drainTo(calendar);
      }
      parity = window & 1;
      runNodeByNode(end);
    }

    /**
     * Runs the events due by {@code end}, which must come before any message sent in this
     * window can arrive: then no node's events depend on another's, and each node's run in
     * turn, in their own (time, sequence) order. The order is the same as running all in time
     * order, node by node; but a node's state, read from memory for its first event, is still
     * in the cache for its next ones (at 10,000 nodes, a third of the events).
     */
    void runNodeByNode(long end) {
      this.end = end;
      calendar.takeUntil(end, taken);
      int count = taken.size();
      if (byNode.length < count) {
        byNode = new long[Math.max(count, 2 * byNode.length)];
      }
      for (int i = 0; i < count; i++) {
        byNode[i] = taken.tag(i) >>> 32 << 32 | i;
      }
      Arrays.sort(byNode, 0, count);
      long handled = 0;
      for (int first = 0, next; first < count; first = next) {
        int node = (int) (byNode[first] >>> 32);
        next = first + 1;
        while (next < count && (int) (byNode[next] >>> 32) == node) {
          next++;
        }
        sortByTime(first, next);
        current = byIndex.get(node);
        for (int k = first; k < next || !own.isEmpty(); ) {
          int i = k < next ? (int) byNode[k] : -1;
          if (i >= 0 && (own.isEmpty() || isBeforeOwn(i))) {
            handled += handle(taken.time(i), taken.item(i), taken.tag(i));
            k++;
          } else {
            long time = own.peekTime();
            long tag = own.peekTag();
            handled += handle(time, own.poll(), tag);
          }
        }
      }
      current = null;
      this.end = Long.MIN_VALUE;
      taken.clear();
      processed += handled; // once, not per event: other threads' hot fields may be near
    }

    /** Orders {@code byNode[from..to)}, one node's events, by (time, sequence). */
    private void sortByTime(int from, int to) {
      if (to - from > 32) {
        // Rare (a node rarely has more than a few events in a window): no quadratic sort.
        Integer[] order = new Integer[to - from];
        for (int k = from; k < to; k++) {
          order[k - from] = (int) byNode[k];
        }
        Arrays.sort(order, this::compare);
        long high = byNode[from] >>> 32 << 32;
        for (int k = from; k < to; k++) {
          byNode[k] = high | order[k - from];
        }
        return;
      }
      for (int k = from + 1; k < to; k++) {
        long key = byNode[k];
        int i = (int) key;
        int j = k - 1;
        while (j >= from && compare((int) byNode[j], i) > 0) {
          byNode[j + 1] = byNode[j];
          j--;
        }
        byNode[j + 1] = key;
      }
    }

    /** Events {@code a} and {@code b} of the window by (time, sequence). */
    private int compare(int a, int b) {
      int byTime = Long.compare(taken.time(a), taken.time(b));
      return byTime != 0 ? byTime : Long.compare(taken.seq(a), taken.seq(b));
    }

    /** Whether event {@code i} of the window comes before the first of {@link #own}. */
    private boolean isBeforeOwn(int i) {
      long time = taken.time(i);
      return time < own.peekTime() || time == own.peekTime() && taken.seq(i) < own.peekSeq();
    }

    /** Runs every event due by {@code deadline} in (time, sequence) order. */
    void runInTimeOrder(long deadline) {
      long handled = 0;
      while (!queue.isEmpty() && queue.peekTime() <= deadline) {
        long time = queue.peekTime();
        long tag = queue.peekTag();
        handled += handle(time, queue.poll(), tag);
      }
      processed += handled;
    }

    /** Hands one event to its node; returns 1 if it did, 0 if the event was dropped. */
    private int handle(long time, Object input, long tag) {
      now = time;
      int nodeIndex = (int) (tag >>> 32);
      if (crashed[nodeIndex]) {
        return 0;
      }
      Node node = byIndex.get(nodeIndex);
      int fromIndex = (int) tag - 1;
      if (fromIndex >= 0) {
        // A message: lost with its crashed sender; otherwise it opens our side. The sender's
        // node is not read: at 10,000 nodes no cache holds it.
        if (crashed[fromIndex]) {
          return 0;
        }
        node.open(byIndex.get(fromIndex), now - latency(fromIndex, nodeIndex));
        Input.Received received = (Input.Received) input;
        for (Observer o : observerArray) {
          o.onReceived(node.index, received, now);
        }
      } else if (input instanceof Input.PeerLost lost && isStale(node, lost)) {
        return 0;
      }
      deliver(node, (Input) input);
      return 1;
    }

    /**
     * Whether a lost peer's news is about a connection older than the one {@code node} has now;
     * if not, closes {@code node}'s side.
     */
    private boolean isStale(Node node, Input.PeerLost lost) {
      int i = node.connectionTo(lost.peer());
      if (i < 0) {
        return false;
      }
      long closedAt = now - latency(node, node.connections[i]);
      if (node.openedAt[i] > closedAt) {
        return true;
      }
      node.closeAt(i);
      return false;
    }

    void deliver(Node node, Input input) {
      node.protocol.handle(input, now, node.sink);
    }

    void onOutput(Node from, Output output) {
      for (Observer o : observerArray) {
        o.onOutput(from.index, output, now);
      }
      if (output instanceof Output.Send send) {
        Node to = from.resolve(send.to());
        if (to != null && isCut(from, to) && from.connectionTo(to) >= 0) {
          // Into a connection the cut broke: lost silently, as in a TCP buffer, until the
          // failure detector's PeerLost (see partition).
        } else if (to == null || !isAlive(to) || isCut(from, to)) {
          put(now + 2 * latency(from, send.to()), from.nextSeq(), from,
              new Input.PeerLost(send.to()), null);
        } else {
          from.open(to, now);
          long seq = from.nextSeq();
          if (!isLost(seq)) {
            put(now + latency(from, to), seq, to,
                new Input.Received(from.id, send.topic(), send.message()), from);
          }
        }
      } else if (output instanceof Output.Dial dial) {
        Node to = nodes.get(dial.peer());
        if (to == null || !isAlive(to) || isCut(from, to)) {
          put(now + 2 * latency(from, dial.peer()), from.nextSeq(), from,
              new Input.PeerLost(dial.peer()), null);
        }
      } else if (output instanceof Output.Disconnect d) {
        Node peer = from.resolve(d.peer());
        if (peer != null && from.close(peer) && isAlive(peer)) {
          put(now + latency(from, peer), from.nextSeq(), peer, new Input.PeerLost(from.id),
              null);
        }
      } else if (output instanceof Output.Schedule s) {
        put(now + s.delayNanos(), from.nextSeq(), from, new Input.TimerFired(s.timer()), null);
      }
      // Output.Emit: for observers only. Output.Judge: never, these nodes judge in place
      // (BroadcastGuard.ACCEPT_ALL).
    }

    /** Queues an input for {@code to}, from {@code sender} if it is a message. */
    void put(long at, long seq, Node to, Object input, Node sender) {
      long tag = (long) to.index << 32 | (sender == null ? 0 : sender.index + 1);
      if (at <= end) {
        // Within the window being run, which only the running node's own timers can reach.
        if (to != current) {
          throw new IllegalStateException("an event for node " + to.index + " at " + at
              + " falls within the window run by node " + current.index);
        }
        own.add(at, seq, input, tag);
      } else if (to.worker != this) {
        outboxes[to.worker.index][parity].add(at, seq, input, tag);
      } else if (calendar != null) {
        calendar.add(at, seq, input, tag);
      } else {
        queue.add(at, seq, input, tag);
      }
    }

    /** The earliest event queued here or made for another worker, to run next. */
    long earliest() {
      long earliest = calendar.earliest();
      for (EventBatch[] pair : outboxes) {
        earliest = Math.min(earliest, Math.min(pair[0].earliest(), pair[1].earliest()));
      }
      return earliest;
    }
  }

  private final NetworkConfig config;
  private final ProtocolConfig protocolConfig;
  private final SplittableRandom rng;
  private final long latencySalt;
  private final long lossSalt;
  private final long minLatency;
  private final long latencySpan;
  /** Whether events run in time order on one worker, not in windows: links without latency. */
  private final boolean inTimeOrder;
  private final Map<NodeId, Node> nodes = new HashMap<>();
  private final List<Node> byIndex = new ArrayList<>();
  /**
   * Per node index, whether it crashed: read for every event and its sender, and a few
   * kilobytes where the nodes themselves are megabytes. Written only between runs.
   */
  private boolean[] crashed = new boolean[1024];
  /**
   * Per node index, its side of a network partition, or null while the network is whole: no
   * connection crosses between sides. Written only between runs.
   */
  private int[] side;
  private final Worker[] workers;
  private final List<Observer> observers = new ArrayList<>();
  private Observer[] observerArray = new Observer[0];
  private long now;

  // Parallel runs: the other workers' threads, started at the first window, and the window
  // they are to run, published before the phaser's barrier.
  private Phaser phaser;
  private int window;
  private long windowEnd;
  private volatile Throwable workerFailure;
  private boolean closed;

  /** A network run on the calling thread alone. */
  public Network(NetworkConfig config, ProtocolConfig protocolConfig) {
    this(config, protocolConfig, 1);
  }

  /**
   * A network run on {@code threads} threads, the calling one included (one when the shortest
   * link latency is 0: there is no window to run in parallel). The run is the same for every
   * number of threads. {@link #close} stops the extra threads.
   */
  public Network(NetworkConfig config, ProtocolConfig protocolConfig, int threads) {
    this(config, protocolConfig, threads, false);
  }

  /**
   * With {@code inTimeOrder}, one thread runs every event in (time, sequence) order instead of
   * node by node within windows: the reference that order is tested against.
   */
  Network(NetworkConfig config, ProtocolConfig protocolConfig, int threads, boolean inTimeOrder) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    if (inTimeOrder && threads > 1) {
      throw new IllegalArgumentException("a run in time order has one thread, not " + threads);
    }
    this.inTimeOrder = inTimeOrder || config.minLatency().isZero();
    this.config = config;
    this.protocolConfig = protocolConfig;
    this.rng = new SplittableRandom(config.seed());
    this.latencySalt = rng.nextLong();
    this.lossSalt = mix(latencySalt);
    this.minLatency = config.minLatency().toNanos();
    this.latencySpan = config.maxLatency().toNanos() - minLatency + 1;
    int count = this.inTimeOrder ? 1 : threads;
    this.workers = new Worker[count];
    for (int i = 0; i < count; i++) {
      workers[i] = new Worker(i, count);
    }
  }

  /** Registers an observer of every output and every received message. */
  public void observe(Observer observer) {
    observers.add(observer);
    observerArray = observers.toArray(new Observer[0]);
  }

  /** Adds a node with a random id and its own seeded random generator; it starts idle. */
  public NodeId addNode() {
    int index = byIndex.size();
    if (index == MAX_NODES) {
      throw new IllegalStateException("the simulator holds at most " + MAX_NODES + " nodes");
    }
    byte[] bytes = new byte[32];
    rng.nextBytes(bytes);
    NodeId id = NodeId.of(bytes);
    PeerData data = PeerData.of(("sim:" + index).getBytes(StandardCharsets.US_ASCII));
    Node node = new Node(id, index, workers[workerOf(index)],
        new Protocol(id, data, protocolConfig, rng.split()));
    nodes.put(id, node);
    byIndex.add(node);
    if (index == crashed.length) {
      crashed = Arrays.copyOf(crashed, index * 2);
    }
    return id;
  }

  /** Runs a command on a node now. */
  public void command(NodeId node, TopicId topic, TopicCommand command) {
    if (closed) {
      throw new IllegalStateException("the network is closed");
    }
    Node n = nodes.get(node);
    n.worker.now = now;
    n.worker.deliver(n, new Input.Command(topic, command));
    n.worker.processed++;
  }

  /** Crashes one node: see {@link #crash(Collection)}. */
  public void crash(NodeId node) {
    crash(List.of(node));
  }

  /**
   * Stops nodes at once: no DISCONNECT, their messages in flight are lost. Each live node with a
   * connection to one of them hears {@link Input.PeerLost} one link latency later, as a
   * transport's failure detector would tell it.
   */
  public void crash(Collection<NodeId> victims) {
    List<Node> down = new ArrayList<>();
    for (NodeId id : victims) {
      Node node = nodes.get(id);
      if (isAlive(node)) {
        crashed[node.index] = true;
        down.add(node);
      }
    }
    if (down.isEmpty()) {
      return;
    }
    // Every side pointing at a victim, not only the victims' own: a message on its way to a
    // victim opened its sender's side before the victim's.
    for (Node other : byIndex) {
      if (!isAlive(other)) {
        continue;
      }
      for (int i = other.connectionCount - 1; i >= 0; i--) {
        Node peer = other.connections[i];
        if (!isAlive(peer)) {
          other.closeAt(i);
          other.worker.put(now + latency(peer, other), peer.nextSeq(), other,
              new Input.PeerLost(peer.id), null);
        }
      }
    }
    for (Node node : down) {
      node.connections = new Node[8];
      node.connectionIds = new NodeId[8];
      node.openedAt = new long[8];
      node.connectionCount = 0;
    }
  }

  /**
   * Cuts the network in two: nodes for which {@code firstSide} holds (by index) on one side,
   * the others on the other. Connections across break: messages in them are lost, and each end
   * hears {@link Input.PeerLost} after {@code detectionNanos} (a transport's idle timeout);
   * new connections across fail after twice a link latency, as unreachable. Nodes added
   * during the cut join the second side.
   */
  public void partition(java.util.function.IntPredicate firstSide, long detectionNanos) {
    int[] sides = new int[byIndex.size()];
    for (int i = 0; i < sides.length; i++) {
      sides[i] = firstSide.test(i) ? 0 : 1;
    }
    side = sides;
    for (Node node : byIndex) {
      if (!isAlive(node)) {
        continue;
      }
      for (int i = node.connectionCount - 1; i >= 0; i--) {
        Node peer = node.connections[i];
        if (isCut(node, peer)) {
          node.closeAt(i);
          node.worker.put(now + detectionNanos, peer.nextSeq(), node,
              new Input.PeerLost(peer.id), null);
        }
      }
    }
  }

  /** Ends a {@link #partition}: connections across can be made again. */
  public void heal() {
    side = null;
  }

  /** Whether a partition separates {@code a} and {@code b} now. */
  public boolean isCut(int a, int b) {
    int[] sides = side;
    return sides != null && sideOf(sides, a) != sideOf(sides, b);
  }

  private static int sideOf(int[] sides, int index) {
    return index < sides.length ? sides[index] : 1;
  }

  private boolean isCut(Node a, Node b) {
    return isCut(a.index, b.index);
  }

  /** Processes every event due up to {@code now + duration}, then sets the clock there. */
  public void runFor(long durationNanos) {
    runUntil(now + durationNanos);
  }

  /** Processes every event due up to {@code deadline}, then sets the clock there. */
  public void runUntil(long deadlineNanos) {
    if (closed) {
      throw new IllegalStateException("the network is closed");
    }
    if (inTimeOrder) {
      workers[0].runInTimeOrder(deadlineNanos);
    } else {
      runWindows(deadlineNanos);
    }
    now = Math.max(now, deadlineNanos);
  }

  private void runWindows(long deadline) {
    try {
      runWindowsUntil(deadline);
    } catch (RuntimeException | Error e) {
      // A window cut short leaves its events half run: the network can not go on.
      close();
      throw e;
    }
  }

  private void runWindowsUntil(long deadline) {
    drainOutboxes();
    while (true) {
      long start = Long.MAX_VALUE;
      for (Worker w : workers) {
        start = Math.min(start, w.earliest());
      }
      if (start > deadline) {
        break;
      }
      // Whatever a node does at start or later reaches another node at start + minLatency
      // at the soonest: after this window.
      windowEnd = Math.min(deadline, start + minLatency - 1);
      window++;
      if (workers.length == 1) {
        workers[0].runWindow(window, windowEnd);
        continue;
      }
      startWorkerThreads();
      phaser.arriveAndAwaitAdvance(); // the others start the window
      try {
        workers[0].runWindow(window, windowEnd);
      } finally {
        phaser.arriveAndAwaitAdvance(); // and have finished it
      }
      Throwable failure = workerFailure;
      if (failure != null) {
        throw new IllegalStateException("a simulator worker failed", failure);
      }
    }
    drainOutboxes();
  }

  /** Between runs: every event made for another worker goes into that worker's queue. */
  private void drainOutboxes() {
    for (Worker from : workers) {
      for (Worker to : workers) {
        from.outboxes[to.index][0].drainTo(to.calendar);
        from.outboxes[to.index][1].drainTo(to.calendar);
      }
    }
  }

  private void startWorkerThreads() {
    if (phaser != null) {
      return;
    }
    phaser = new Phaser(workers.length);
    for (int i = 1; i < workers.length; i++) {
      Worker worker = workers[i];
      Thread thread = new Thread(() -> runWorker(worker), "gossip-sim-worker-" + i);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void runWorker(Worker worker) {
    while (phaser.arriveAndAwaitAdvance() >= 0) {
      try {
        worker.runWindow(window, windowEnd);
      } catch (Throwable t) {
        workerFailure = t;
      }
      if (phaser.arriveAndAwaitAdvance() < 0) {
        return;
      }
    }
  }

  /** Stops the worker threads, if any ran; the network can not run after. */
  @Override
  public void close() {
    closed = true;
    if (phaser != null) {
      phaser.forceTermination();
    }
  }

  private boolean isLost(long seq) {
    double loss = config.lossRate();
    return loss > 0 && (mix(lossSalt ^ seq) >>> 11) * 0x1.0p-53 < loss;
  }

  /** The latency to a peer that may not exist: a stranger gets one drawn from its id. */
  private long latency(Node from, NodeId to) {
    Node node = nodes.get(to);
    return node != null ? latency(from, node) : minLatency + latencySpan - 1;
  }

  private boolean isAlive(Node node) {
    return !crashed[node.index];
  }

  /** The fixed latency of the link between two nodes: a seeded hash of the pair. */
  private long latency(Node a, Node b) {
    return latency(a.index, b.index);
  }

  private long latency(int a, int b) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
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
    long processed = 0;
    for (Worker w : workers) {
      processed += w.processed;
    }
    return processed;
  }

  /** How many workers share the nodes: the threads the network runs on. */
  public int workers() {
    return workers.length;
  }

  /** The worker that runs the node with index {@code node}, 0 to {@link #workers} - 1. */
  public int workerOf(int node) {
    // Blocks of consecutive nodes, not every other one: nodes made one after the other lie
    // side by side in memory, and two threads writing one cache line stall each other.
    return (node >>> WORKER_BLOCK_BITS) % workers.length;
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
      if (isAlive(n)) {
        alive.add(n.id);
      }
    }
    return alive;
  }

  /** Whether the node is alive. */
  public boolean isAlive(NodeId node) {
    return isAlive(nodes.get(node));
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
