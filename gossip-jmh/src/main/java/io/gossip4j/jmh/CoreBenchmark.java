package io.gossip4j.jmh;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.gossip4j.wire.BroadcastMessage.Announcement;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link Protocol#handle} of inbound broadcast messages on a node that has joined one topic with
 * a full active view of {@value #NEIGHBORS} neighbors. Every output goes to a {@link Blackhole},
 * as a driver would take it. The broadcast guard accepts everything unverified: signature
 * checks cost ~90 µs a message and are measured in the "Signing" section of
 * docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreBenchmark {
  /** HyParView's default active view. */
  static final int NEIGHBORS = 5;
  /** Messages an IHAVE announces. */
  static final int ANNOUNCEMENTS = 64;
  /** The protocol's clock: fixed, so no cache entry expires and no timer is due. */
  static final long NOW = 1_000_000_000L;
  /** Round at which a message reaches us, and at which it is announced: no tree rewiring. */
  static final int ROUND = 2;

  /** A joined node, the peers around it and a sink for its outputs. */
  static final class Node {
    final Random random = new Random(Fixtures.SEED);
    final MessageIds ids = new MessageIds();
    final List<PeerInfo> neighbors = new ArrayList<>();
    final Protocol protocol;
    final Consumer<Output> sink;

    Node(int seenCacheCapacity, Blackhole blackhole) {
      for (int i = 0; i < NEIGHBORS; i++) {
        neighbors.add(Fixtures.peer(random, i + 1));
      }
      ProtocolConfig config = ProtocolConfig.defaults().withBroadcast(
          PlumTreeConfig.builder().seenCacheCapacity(seenCacheCapacity).build());
      protocol = Fixtures.joinedProtocol(Fixtures.nodeId(random), config, neighbors, NOW);
      sink = blackhole::consume;
    }

    NodeId neighbor(int index) {
      return neighbors.get(index % NEIGHBORS).id();
    }

    /** {@code count} broadcasts of {@code origin} with consecutive nonces and one payload. */
    Push[] gossips(NodeId origin, int count, int payloadSize) {
      byte[] payload = Fixtures.bytes(random, payloadSize);
      long firstNonce = random.nextLong();
      Push[] gossips = new Push[count];
      for (int i = 0; i < count; i++) {
        gossips[i] =
            Fixtures.gossip(ids, origin, firstNonce + i, ROUND, Optional.empty(), payload);
      }
      return gossips;
    }

    void handle(Input input) {
      protocol.handle(input, NOW, sink);
    }

    PlumTreeStats stats() {
      return protocol.snapshot(Fixtures.TOPIC).orElseThrow().broadcast();
    }

    /** Fails the run when {@code holds} says the benchmark did not measure what it claims. */
    void check(boolean holds, String expected) {
      if (!holds) {
        throw new IllegalStateException("expected " + expected + ", got " + stats());
      }
    }
  }

  /** Inputs handed out in turn, round and round, counting how many were. */
  static final class Cycle {
    private final Input.Received[] inputs;
    private int next;
    long taken;

    Cycle(Input.Received[] inputs) {
      this.inputs = inputs;
    }

    Input.Received next() {
      Input.Received input = inputs[next];
      next = next + 1 == inputs.length ? 0 : next + 1;
      taken++;
      return input;
    }
  }

  /**
   * Messages the node has not seen: each invocation takes the next of {@value #MESSAGES}, from
   * 16 origins outside the active view, arriving from the neighbors in turn. The seen cache
   * holds {@value #SEEN_CAPACITY} ids, fewer than the messages, so a message is forgotten
   * before it comes round again: the cache stays full and every delivery evicts the oldest id,
   * as on a busy node. The payload cache is at its default bound (64 MiB, 65,536 payloads of
   * 1 KiB) and evicts one payload per delivery too.
   */
  @State(Scope.Thread)
  public static class NewGossip {
    static final int MESSAGES = 1 << 18;
    static final int SEEN_CAPACITY = 1 << 17;
    static final int ORIGINS = 16;

    Node node;
    Cycle inputs;

    @Setup
    public void setUp(Blackhole blackhole) {
      node = new Node(SEEN_CAPACITY, blackhole);
      List<NodeId> origins = new ArrayList<>();
      for (int i = 0; i < ORIGINS; i++) {
        origins.add(Fixtures.nodeId(node.random));
      }
      Input.Received[] interleaved = new Input.Received[MESSAGES];
      int perOrigin = MESSAGES / ORIGINS;
      for (int o = 0; o < ORIGINS; o++) {
        Push[] gossips = node.gossips(origins.get(o), perOrigin, Fixtures.PAYLOAD_SIZE);
        // Interleave the origins, as messages of many senders arrive.
        for (int i = 0; i < perOrigin; i++) {
          int k = i * ORIGINS + o;
          interleaved[k] = received(node.neighbor(k), gossips[i]);
        }
      }
      inputs = new Cycle(interleaved);
    }

    /** Every invocation must have been a delivery, not a duplicate. */
    @TearDown
    public void check() {
      PlumTreeStats stats = node.stats();
      node.check(stats.delivered() == inputs.taken && stats.duplicates() == 0,
          inputs.taken + " deliveries and no duplicate");
    }
  }

  /**
   * A node that delivered {@value #MESSAGES} messages of one origin from neighbor 0. Neighbor 1
   * then sends the same messages again (duplicates) and neighbor 2 announces them (IHAVEs of
   * {@value CoreBenchmark#ANNOUNCEMENTS} ids each), both cycling through them.
   */
  @State(Scope.Thread)
  public static class Delivered {
    static final int MESSAGES = 4096;

    Node node;
    Cycle duplicates;
    Cycle ihaves;

    @Setup
    public void setUp(Blackhole blackhole) {
      node = new Node(PlumTreeConfig.defaults().seenCacheCapacity(), blackhole);
      NodeId origin = Fixtures.nodeId(node.random);
      Push[] gossips = node.gossips(origin, MESSAGES, Fixtures.PAYLOAD_SIZE);
      Input.Received[] copies = new Input.Received[MESSAGES];
      List<MessageId> ids = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        node.handle(received(node.neighbor(0), gossips[i]));
        copies[i] = received(node.neighbor(1), gossips[i]);
        ids.add(gossips[i].id());
      }
      // The first duplicate prunes neighbor 1 from the origin's tree (a PRUNE goes out); the
      // measured ones find it pruned already, the steady state.
      node.handle(copies[MESSAGES - 1]);
      duplicates = new Cycle(copies);
      ihaves = new Cycle(announce(node.neighbor(2), ids));
    }

    /** Every duplicate and every announcement must have been recognised as seen. */
    @TearDown
    public void check() {
      PlumTreeStats stats = node.stats();
      node.check(stats.delivered() == MESSAGES && stats.missing() == 0,
          MESSAGES + " deliveries and nothing missing");
    }
  }

  /**
   * IHAVEs of {@value CoreBenchmark#ANNOUNCEMENTS} messages the node has not seen, from neighbor
   * 1: each announced id becomes a missing entry with a graft timer. Before the next IHAVE
   * (in a per-invocation setup, not measured) the announced payloads arrive from neighbor 0, as
   * in a healthy tree, which empties the missing table again: its size stays at 64 at most
   * instead of growing with every invocation. {@value #IHAVES} IHAVEs are cycled; the seen
   * cache holds half their ids, so an id is forgotten before it is announced again.
   */
  @State(Scope.Thread)
  public static class UnseenIHave {
    static final int IHAVES = 1024;
    static final int SEEN_CAPACITY = IHAVES * ANNOUNCEMENTS / 2;
    /** Payload size of the messages delivered between IHAVEs; only the setup handles them. */
    static final int PAYLOAD_SIZE = 16;

    Node node;
    Input.Received[] ihaves;
    Input.Received[][] payloads;
    int current = -1;
    long handled;

    @Setup
    public void setUp(Blackhole blackhole) {
      node = new Node(SEEN_CAPACITY, blackhole);
      NodeId origin = Fixtures.nodeId(node.random);
      Push[] gossips = node.gossips(origin, IHAVES * ANNOUNCEMENTS, PAYLOAD_SIZE);
      ihaves = new Input.Received[IHAVES];
      payloads = new Input.Received[IHAVES][ANNOUNCEMENTS];
      for (int i = 0; i < IHAVES; i++) {
        List<MessageId> ids = new ArrayList<>();
        for (int j = 0; j < ANNOUNCEMENTS; j++) {
          Push gossip = gossips[i * ANNOUNCEMENTS + j];
          payloads[i][j] = received(node.neighbor(0), gossip);
          ids.add(gossip.id());
        }
        ihaves[i] = announce(node.neighbor(1), ids)[0];
      }
    }

    /** Delivers what the last measured IHAVE announced, then moves on to the next IHAVE. */
    @Setup(Level.Invocation)
    public void deliverAnnounced() {
      if (current >= 0) {
        for (Input.Received payload : payloads[current]) {
          node.handle(payload);
        }
      }
      current = (current + 1) % IHAVES;
    }

    Input.Received ihave() {
      handled++;
      return ihaves[current];
    }

    /** Every announcement must have been new, then delivered. */
    @TearDown
    public void check() {
      PlumTreeStats stats = node.stats();
      node.check(stats.missingDropped() == 0 && stats.missing() <= ANNOUNCEMENTS
          && stats.delivered() >= (handled - 1) * ANNOUNCEMENTS,
          "every one of " + handled + " IHAVEs to announce " + ANNOUNCEMENTS + " new ids");
    }
  }

  static Input.Received received(NodeId from, Message message) {
    return new Input.Received(from, Fixtures.TOPIC, message);
  }

  /** IHAVEs from {@code from} announcing {@code ids}, {@value #ANNOUNCEMENTS} per message. */
  static Input.Received[] announce(NodeId from, List<MessageId> ids) {
    Input.Received[] ihaves = new Input.Received[ids.size() / ANNOUNCEMENTS];
    for (int i = 0; i < ihaves.length; i++) {
      List<Announcement> announcements = new ArrayList<>();
      for (MessageId id : ids.subList(i * ANNOUNCEMENTS, (i + 1) * ANNOUNCEMENTS)) {
        announcements.add(new Announcement(id, ROUND));
      }
      ihaves[i] = received(from, new IHave(announcements));
    }
    return ihaves;
  }

  /** A new 1 KiB message: id check, dedup, delivery, payload cache, forwarding to 4 peers. */
  @Benchmark
  public void gossipNew(NewGossip state) {
    state.node.handle(state.inputs.next());
  }

  /** A copy of a delivered message from a neighbor already pruned for its origin. */
  @Benchmark
  public void gossipDuplicate(Delivered state) {
    state.node.handle(state.duplicates.next());
  }

  /** An IHAVE of 64 messages already delivered: 64 seen-cache lookups. */
  @Benchmark
  public void ihave64Seen(Delivered state) {
    state.node.handle(state.ihaves.next());
  }

  /** An IHAVE of 64 new messages: 64 missing entries and 64 graft timers. */
  @Benchmark
  public void ihave64Unseen(UnseenIHave state) {
    state.node.handle(state.ihave());
  }
}
