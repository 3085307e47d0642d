package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.proto.TopicCommand;
import io.gossip4j.wire.PeerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One topic on a {@link Network}, with the steps scenarios are made of (nodes join, cycles
 * pass, nodes crash, broadcasts go out) and a {@link BroadcastLedger} that measures them.
 * Every random choice of the scenario (senders, victims, contacts) comes from a generator seeded
 * by the run's seed, apart from the network's, so the same config gives the same run.
 */
public final class Simulation implements AutoCloseable {
  /** The topic every simulated node joins. */
  public static final TopicId TOPIC = TopicId.fromName("gossip4j-sim");
  /** Salt separating the scenario's random choices from the network's. */
  private static final long CHOICES_SALT = 0x5ca1ab1e_0ddba11L;

  private final SimConfig config;
  private final Network network;
  private final BroadcastLedger ledger;
  private final SplittableRandom choices;
  private NodeId singleSender;

  public Simulation(SimConfig config) {
    this.config = config;
    this.network = new Network(config.network(), config.protocolConfig(), config.threads());
    this.ledger = new BroadcastLedger(network, config.settle().toNanos());
    this.choices = new SplittableRandom(config.seed() ^ CHOICES_SALT);
    network.observe(ledger);
  }

  /**
   * A simulation whose initial nodes have joined ({@link #joinInitialNodes}) and run {@code
   * cycles} membership cycles: where every scenario starts.
   */
  public static Simulation formed(SimConfig config, int cycles) {
    Simulation sim = new Simulation(config);
    sim.joinInitialNodes();
    sim.runCycles(cycles);
    return sim;
  }

  // ---- steps -----------------------------------------------------------------------------

  /**
   * The initial nodes join one after another through the first one, spread evenly over the
   * join window.
   */
  public void joinInitialNodes() {
    long spacing = Math.max(1, config.joinWindow().toNanos() / config.nodes());
    NodeId contact = null;
    for (int i = 0; i < config.nodes(); i++) {
      NodeId node = addNode(contact);
      if (contact == null) {
        contact = node;
      }
      network.runFor(spacing);
    }
  }

  /** Adds a node that joins now through {@code contact} (none for the first node). */
  public NodeId addNode(NodeId contact) {
    NodeId node = network.addNode();
    ledger.nodeJoined(network.indexOf(node), network.now());
    List<PeerInfo> bootstrap = contact == null ? List.of() : List.of(PeerInfo.of(contact));
    network.command(node, TOPIC, new TopicCommand.Join(bootstrap));
    return node;
  }

  /** Adds a node that joins now through a random live node. */
  public NodeId addNodeThroughRandomContact() {
    return addNode(randomAlive());
  }

  /** Lets {@code count} membership cycles pass. */
  public void runCycles(int count) {
    network.runFor(count * config.cycle().toNanos());
  }

  /** Lets virtual time pass. */
  public void runFor(long nanos) {
    network.runFor(nanos);
  }

  /** Lets the broadcasts sent so far settle. */
  public void settle() {
    network.runFor(config.settle().toNanos());
  }

  /** Crashes {@code count} random live nodes at once, never the single sender. */
  public void crashRandom(int count) {
    List<NodeId> candidates = network.aliveNodes();
    if (singleSender != null) {
      candidates.remove(singleSender);
    }
    int victims = Math.min(count, candidates.size());
    List<NodeId> crashed = new ArrayList<>(victims);
    for (int i = 0; i < victims; i++) {
      int j = i + choices.nextInt(candidates.size() - i);
      NodeId victim = candidates.get(j);
      candidates.set(j, candidates.get(i));
      ledger.nodeCrashed(network.indexOf(victim), network.now());
      crashed.add(victim);
    }
    network.crash(crashed);
  }

  /**
   * Cuts the network: each node lands on the first side with probability {@code split}.
   * Returns each node's side by index (true: the first), to tell links across it later.
   */
  public boolean[] partitionRandom(double split, long detectionNanos) {
    boolean[] first = new boolean[network.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = choices.nextDouble() < split;
    }
    network.partition(i -> i < first.length && first[i], detectionNanos);
    return first;
  }

  /** Active links (counted once) between nodes on different sides of {@code first}. */
  public int linksAcross(boolean[] first) {
    int links = 0;
    for (NodeId node : network.aliveNodes()) {
      int i = network.indexOf(node);
      var snapshot = network.protocol(node).snapshot(TOPIC).orElse(null);
      if (snapshot == null) {
        continue;
      }
      for (NodeId peer : snapshot.active()) {
        int j = network.indexOf(peer);
        boolean iFirst = i < first.length && first[i];
        boolean jFirst = j < first.length && first[j];
        if (iFirst != jFirst && i < j) {
          links++;
        }
      }
    }
    return links;
  }

  /**
   * Sends {@code count} broadcasts {@link SimConfig#broadcastInterval} apart (with
   * {@link Senders#ALL}, bursts from every live node, a burst per interval), the first one now.
   */
  public void broadcastBatch(int count) {
    long interval = config.broadcastInterval().toNanos();
    int sent = 0;
    while (sent < count) {
      if (config.senders() == Senders.ALL) {
        for (NodeId sender : network.aliveNodes()) {
          if (sent == count) {
            break;
          }
          broadcast(sender);
          sent++;
        }
      } else {
        broadcast(nextSender());
        sent++;
      }
      if (sent < count) {
        network.runFor(interval);
      }
    }
  }

  /** Sends one broadcast from {@code sender} now; returns its index in the ledger. */
  public int broadcast(NodeId sender) {
    int index = ledger.size();
    byte[] payload = ledger.open(network.indexOf(sender), network.now(), config.payloadBytes());
    network.command(sender, TOPIC, new TopicCommand.Broadcast(payload, Scope.SWARM));
    return index;
  }

  /** The sender of the next broadcast, as {@link SimConfig#senders} says. */
  public NodeId nextSender() {
    if (config.senders() == Senders.RANDOM) {
      return randomAlive();
    }
    if (singleSender == null) {
      singleSender = randomAlive();
    }
    return singleSender;
  }

  private NodeId randomAlive() {
    List<NodeId> alive = network.aliveNodes();
    return alive.get(choices.nextInt(alive.size()));
  }

  // ---- results ---------------------------------------------------------------------------

  /** The overlay's shape now. */
  public OverlayStats overlay() {
    return OverlayStats.of(network, TOPIC, config.seed());
  }

  /**
   * The report over broadcasts {@code from} to the last one, with the traffic sent since
   * {@code before} (taken when broadcast {@code from} was about to go out).
   */
  public SimReport report(
      String scenario,
      int from,
      BroadcastLedger.Traffic before,
      OverlayStats overlay,
      int healingCycles) {
    int to = ledger.size();
    int count = to - from;
    List<BroadcastStats> stats = new ArrayList<>(count);
    double reliability = 0;
    double reliabilityFirst = 0;
    double rmr = 0;
    double ldh = 0;
    int ldhMax = 0;
    long payloadSent = 0;
    for (int i = from; i < to; i++) {
      BroadcastStats s = ledger.stats(i);
      stats.add(s);
      reliability += s.reliability();
      if (i - from < SimReport.FIRST) {
        reliabilityFirst += s.reliability();
      }
      rmr += s.rmr();
      ldh += s.ldh();
      ldhMax = Math.max(ldhMax, s.ldh());
      payloadSent += s.payloadSent();
    }
    int[] latencies = ledger.latenciesMicros(from, to);
    long latencySum = 0;
    for (int l : latencies) {
      latencySum += l;
    }
    BroadcastLedger.Traffic traffic = ledger.traffic().minus(before);
    double per = Math.max(1, count);
    return new SimReport(
        scenario,
        config,
        stats,
        reliability / per,
        reliabilityFirst / Math.max(1, Math.min(count, SimReport.FIRST)),
        rmr / per,
        ldh / per,
        ldhMax,
        latencies.length == 0 ? 0 : latencySum / 1_000.0 / latencies.length,
        percentile(latencies, 0.99) / 1_000.0,
        latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1_000.0,
        payloadSent / per,
        traffic.controlMessages() / per,
        traffic.broadcastBytes() / per,
        traffic.messages(BroadcastLedger.Kind.MEMBERSHIP),
        healingCycles,
        overlay,
        network.processedEvents(),
        network.now() / 1_000_000,
        null);
  }

  /** The nearest-rank percentile of sorted values, 0 when there are none. */
  static int percentile(int[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** Stops the network's worker threads, if it has any. */
  @Override
  public void close() {
    network.close();
  }

  public SimConfig config() {
    return config;
  }

  public Network network() {
    return network;
  }

  public BroadcastLedger ledger() {
    return ledger;
  }
}
