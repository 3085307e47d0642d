package io.gossip4j.examples;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.netty.FrameKind;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.GossipMetrics;
import io.gossip4j.netty.NodeAddr;
import io.gossip4j.netty.Topic;
import io.gossip4j.netty.TopicOptions;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code gossip demo}: a swarm on loopback in this process. Nodes join through one bootstrap
 * node, random nodes broadcast, some nodes are killed abruptly, the swarm heals, random nodes
 * broadcast again, and every delivery is checked: each live node must get each message once.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a local swarm: N nodes join one topic through a single bootstrap node, random "
          + "nodes broadcast, some nodes are killed abruptly, the rest heal and broadcast again. "
          + "Exits 0 only if every live node got every message exactly once."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final TopicId TOPIC = TopicId.fromName("gossip4j-demo");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final int HEADER = 2 * Long.BYTES;

  @Option(names = "--nodes", defaultValue = "20", description = "Nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--messages", defaultValue = "100",
      description = "Broadcasts before and again after the kill (default: ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--kill", defaultValue = "5",
      description = "Nodes killed abruptly between the two rounds (default: ${DEFAULT-VALUE}).")
  int kill;

  @Option(names = "--size", defaultValue = "256",
      description = "Payload bytes (default: ${DEFAULT-VALUE}, at least 16).")
  int size;

  @Option(names = "--rate", defaultValue = "200",
      description = "Broadcasts per second, spread evenly: the latency is then the delivery's,"
          + " not the wait behind a burst (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--settle-ms", defaultValue = "1000",
      description = "Before each round, wait until no live node's neighbors have changed for "
          + "this long, so the round meets trees that have formed (or healed); 0 starts each "
          + "round as soon as every node has a neighbor, while the trees still form, which costs "
          + "extra payload copies (default: ${DEFAULT-VALUE}).")
  long settleMs;

  @Option(names = "--signed", defaultValue = "on", converter = OnOff.class, arity = "1",
      description = "on or off: origin signatures on every broadcast, as the library does by"
          + " default (default: ${DEFAULT-VALUE}).")
  boolean signed;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds the random choices (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Also print one JSON object as the last line.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One node and what it received. */
  private static final class Member {
    final Gossip gossip;
    final Topic topic;
    final int[] counts;
    int sent;
    boolean alive = true;

    Member(Gossip gossip, Topic topic, int[] counts) {
      this.gossip = gossip;
      this.topic = topic;
      this.counts = counts;
    }
  }

  private final List<Long> latenciesNanos = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong duplicates = new AtomicLong();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    check(nodes >= 2, "--nodes must be at least 2");
    check(messages >= 1, "--messages must be at least 1");
    check(kill >= 0 && kill <= nodes - 2, "--kill must be between 0 and nodes - 2");
    check(size >= HEADER, "--size must be at least " + HEADER);
    check(rate >= 1 && rate <= 1_000_000, "--rate must be between 1 and 1000000");
    check(settleMs >= 0 && settleMs <= 60_000, "--settle-ms must be between 0 and 60000");
    Random random = new Random(seed);
    List<Member> members = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (int i = 0; i < nodes; i++) {
        members.add(join(members, random));
      }
      long joinedAt = System.nanoTime();
      awaitHealthy(members, "the swarm to form");
      out.printf(Locale.ROOT, "%d nodes joined through one bootstrap node in %d ms%s%n", nodes,
          (System.nanoTime() - started) / 1_000_000, settled(members));

      out.printf(Locale.ROOT, "%d broadcasts from random nodes at %d/s, %s%n", messages, rate,
          signed ? "signed (the default)" : "unsigned");
      broadcastRound(members, random, 0);
      awaitDelivered(members, 0, messages);

      List<Member> victims = pickVictims(members, random);
      for (Member m : victims) {
        m.gossip.abort();
        m.alive = false;
      }
      long killedAt = System.nanoTime();
      awaitHealthy(members, "the survivors to heal");
      out.printf(Locale.ROOT, "killed %d nodes abruptly; the survivors healed in %d ms%s%n",
          victims.size(), (System.nanoTime() - killedAt) / 1_000_000, settled(members));

      broadcastRound(members, random, messages);
      awaitDelivered(members, messages, 2 * messages);
      Report report = report(members, (System.nanoTime() - joinedAt) / 1e6);
      report.print(out, json);
      out.flush();
      return report.ok() ? 0 : 1;
    } finally {
      for (Member m : members) {
        m.gossip.close();
      }
    }
  }

  /**
   * Waits (with {@link #STEP_TIMEOUT}) until no live node's neighbors have changed for {@code
   * --settle-ms}, and says how long that took.
   */
  private String settled(List<Member> members) {
    if (settleMs == 0) {
      return "";
    }
    long start = System.nanoTime();
    long quietNanos = Duration.ofMillis(settleMs).toNanos();
    Map<Member, Set<NodeId>> last = new HashMap<>();
    long[] changedAt = {start};
    boolean settled = await("the neighbors to settle", () -> {
      for (Member m : live(members)) {
        Set<NodeId> now = Set.copyOf(m.topic.neighbors());
        if (!now.equals(last.put(m, now))) {
          changedAt[0] = System.nanoTime();
        }
      }
      return System.nanoTime() - changedAt[0] >= quietNanos;
    });
    if (!settled) {
      return String.format(Locale.ROOT, ", and did not settle within %d s (neighbors still "
          + "changing)", STEP_TIMEOUT.toSeconds());
    }
    return String.format(Locale.ROOT, ", settled %d ms later (no neighbor changed for %d ms)",
        (changedAt[0] - start) / 1_000_000, settleMs);
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private Member join(List<Member> members, Random random) {
    Gossip gossip = Gossip.builder().seed(random.nextLong()).build().start();
    int[] counts = new int[2 * messages];
    List<NodeAddr> bootstrap = members.isEmpty() ? List.of() : List.of(members.get(0).gossip.addr());
    Topic topic = gossip.subscribe(TOPIC, bootstrap,
        TopicOptions.builder().signed(signed).build(), event -> record(counts, event));
    return new Member(gossip, topic, counts);
  }

  /** Runs on the node's delivery thread: one thread per subscriber, so counts need no lock. */
  private void record(int[] counts, GossipEvent event) {
    if (event instanceof GossipEvent.Received r && r.payload().length >= HEADER) {
      ByteBuffer b = ByteBuffer.wrap(r.payload());
      int seq = (int) b.getLong();
      long sentAt = b.getLong();
      if (seq < 0 || seq >= counts.length) {
        return;
      }
      synchronized (counts) {
        if (++counts[seq] > 1) {
          duplicates.incrementAndGet();
          return;
        }
      }
      latenciesNanos.add(System.nanoTime() - sentAt);
    }
  }

  private void broadcastRound(List<Member> members, Random random, int first) {
    List<Member> live = live(members);
    long intervalNanos = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int seq = first; seq < first + messages; seq++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      next += intervalNanos;
      Member sender = live.get(random.nextInt(live.size()));
      byte[] payload = new byte[size];
      ByteBuffer.wrap(payload).putLong(seq).putLong(System.nanoTime());
      sender.topic.broadcast(payload);
      // The sender has it: count it so the check below is uniform.
      synchronized (sender.counts) {
        sender.counts[seq]++;
        sender.sent++;
      }
    }
  }

  private List<Member> pickVictims(List<Member> members, Random random) {
    // Never the bootstrap node: the point is that the others heal without it too, but keeping
    // it makes the demo's story simple to tell.
    List<Member> candidates = new ArrayList<>(members.subList(1, members.size()));
    java.util.Collections.shuffle(candidates, random);
    return candidates.subList(0, kill);
  }

  private static List<Member> live(List<Member> members) {
    return members.stream().filter(m -> m.alive).toList();
  }

  /** Every live node has a neighbor and no dead one. */
  private static boolean healthy(List<Member> members) {
    Set<NodeId> dead = ConcurrentHashMap.newKeySet();
    for (Member m : members) {
      if (!m.alive) {
        dead.add(m.gossip.nodeId());
      }
    }
    for (Member m : live(members)) {
      Set<NodeId> neighbors = m.topic.neighbors();
      if (neighbors.isEmpty() || neighbors.stream().anyMatch(dead::contains)) {
        return false;
      }
    }
    return true;
  }

  private static void awaitHealthy(List<Member> members, String what) {
    await(what, () -> healthy(members));
  }

  private static void awaitDelivered(List<Member> members, int from, int to) {
    await("every message at every live node", () -> {
      for (Member m : live(members)) {
        synchronized (m.counts) {
          for (int seq = from; seq < to; seq++) {
            if (m.counts[seq] == 0) {
              return false;
            }
          }
        }
      }
      return true;
    });
  }

  /** Waits with a deadline; a timeout is reported, not thrown: the table shows what is missing. */
  private static boolean await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    boolean met;
    while (!(met = condition.getAsBoolean()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    return met;
  }

  private Report report(List<Member> members, double millis) {
    long expected = 0;
    long delivered = 0;
    long receivedGossip = 0;
    long receivedByLive = 0;
    List<Member> live = live(members);
    int[] neighborCounts = new int[live.size()];
    for (int i = 0; i < live.size(); i++) {
      Member m = live.get(i);
      synchronized (m.counts) {
        for (int seq = 0; seq < 2 * messages; seq++) {
          // Messages of the first round count for every node alive now; the sender's own
          // copy was counted when it sent.
          expected++;
          if (m.counts[seq] > 0) {
            delivered++;
          }
        }
        receivedByLive += countPositive(m.counts) - m.sent;
      }
      GossipMetrics metrics = m.gossip.metrics();
      receivedGossip += metrics.framesIn(FrameKind.GOSSIP);
      neighborCounts[i] = m.topic.neighbors().size();
    }
    long[] latencies;
    synchronized (latenciesNanos) {
      latencies = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    return new Report(nodes, live.size(), 2 * messages, delivered, expected, duplicates.get(),
        percentileMs(latencies, 0.50), percentileMs(latencies, 0.99),
        receivedByLive == 0 ? 0 : (double) receivedGossip / receivedByLive,
        Arrays.stream(neighborCounts).min().orElse(0), Arrays.stream(neighborCounts).average()
            .orElse(0), Arrays.stream(neighborCounts).max().orElse(0), millis);
  }

  private static int countPositive(int[] counts) {
    int n = 0;
    for (int c : counts) {
      if (c > 0) {
        n++;
      }
    }
    return n;
  }

  private static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1));
    return sorted[index] / 1e6;
  }

  /** The demo's outcome, as a table or JSON. */
  record Report(int nodes, int live, int messages, long delivered, long expected,
      long duplicates, double p50Ms, double p99Ms, double copiesPerReceiver, int minNeighbors,
      double meanNeighbors, int maxNeighbors, double millis) {

    boolean ok() {
      return delivered == expected && duplicates == 0;
    }

    void print(PrintWriter out, boolean json) {
      out.println();
      row(out, "nodes (live at the end)", nodes + " (" + live + ")");
      row(out, "messages broadcast", String.valueOf(messages));
      row(out, "delivered / expected", delivered + " / " + expected);
      row(out, "duplicates", String.valueOf(duplicates));
      row(out, "delivery latency p50", String.format(Locale.ROOT, "%.2f ms", p50Ms)
          + " (cold JVM: the first broadcasts include warming up)");
      row(out, "delivery latency p99", String.format(Locale.ROOT, "%.2f ms", p99Ms));
      row(out, "payload copies per receiver", String.format(Locale.ROOT, "%.3f", copiesPerReceiver));
      row(out, "neighbors per node (min/mean/max)",
          String.format(Locale.ROOT, "%d / %.1f / %d", minNeighbors, meanNeighbors, maxNeighbors));
      row(out, "time taken", String.format(Locale.ROOT, "%.0f ms", millis));
      row(out, "result", ok() ? "OK: every live node got every message exactly once"
          : "FAILED: deliveries missing or duplicated");
      if (json) {
        out.println(String.format(Locale.ROOT,
            "{\"delivered\":%d,\"expected\":%d,\"duplicates\":%d,\"latency_p50_ms\":%.3f,"
                + "\"latency_p99_ms\":%.3f,\"copies_per_receiver\":%.4f,\"nodes\":%d,"
                + "\"live\":%d,\"time_ms\":%.0f}",
            delivered, expected, duplicates, p50Ms, p99Ms, copiesPerReceiver, nodes, live,
            millis));
      }
    }

    private static void row(PrintWriter out, String name, String value) {
      out.printf(Locale.ROOT, "%-36s %s%n", name, value);
    }
  }
}
