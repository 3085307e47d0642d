package io.gossip4j.scalecube;

import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterConfig;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMath;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.membership.MembershipEvent;
import io.scalecube.cluster.transport.api.Message;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * N ScaleCube cluster members on 127.0.0.1 in one JVM; broadcasts ({@code Cluster.spreadGossip})
 * from random members; every delivery ({@code ClusterMessageHandler.onGossip}) is timed and
 * checked for loss and duplicates, as gossip4j's {@code SwarmBench} does. Frames, bytes and
 * copies on the wire are counted by each member's {@link CountingCodec}.
 */
public final class ScaleCubeBench {
  static final String QUALIFIER = "gossip4j/bench";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration QUIET = Duration.ofSeconds(5);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(1);
  /** Gossip periods waited beyond ScaleCube's spreading horizon, for the last sends to land. */
  private static final int SPREAD_MARGIN_PERIODS = 2;

  private final BenchConfig config;
  private final int total;
  /** Per message: receivers that delivered it. */
  private final AtomicIntegerArray deliveries;
  /** Per message: copies received on the wire by any node. */
  private final AtomicIntegerArray copies;
  /** Per message: send time (nanos) and time of full delivery. */
  private final AtomicLongArray sentAt;
  private final AtomicLongArray fullAt;
  /** Per message and receiver: delivered yet, to count duplicates. */
  private final AtomicLongArray seenBits;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong measuredDuplicates = new AtomicLong();
  private final AtomicLong warmupCompleted = new AtomicLong();
  private final AtomicLong measuredCompleted = new AtomicLong();
  private final AtomicLong spreadErrors = new AtomicLong();
  /** REMOVED membership events seen by any member: a removal also drops ScaleCube's dedup state. */
  private final AtomicLong membersRemoved = new AtomicLong();
  /**
   * Per member: the ids of the others it knows, from its membership events (its own
   * {@code otherMembers()} copies a map its scheduler thread changes).
   */
  private final List<Set<String>> known = new ArrayList<>();
  private final Semaphore inFlight;

  public ScaleCubeBench(BenchConfig config) {
    this.config = config;
    this.total = config.warmup() + config.messages();
    this.deliveries = new AtomicIntegerArray(total);
    this.copies = new AtomicIntegerArray(total);
    this.sentAt = new AtomicLongArray(total);
    this.fullAt = new AtomicLongArray(total);
    this.seenBits = new AtomicLongArray((int) (((long) total * config.nodes() + 63) / 64));
    this.inFlight = new Semaphore(config.window());
    for (int i = 0; i < config.nodes(); i++) {
      known.add(ConcurrentHashMap.newKeySet());
    }
  }

  /** The sequence number a benchmark payload starts with. */
  static int sequence(Object payload) {
    return (int) ByteBuffer.wrap((byte[]) payload).getLong(0);
  }

  public BenchResult run() throws Exception {
    int n = config.nodes();
    List<Cluster> clusters = new ArrayList<>();
    List<CountingCodec> codecs = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        CountingCodec codec = new CountingCodec(QUALIFIER, seq -> {
          if (seq >= 0 && seq < total) {
            copies.incrementAndGet(seq);
          }
        });
        codecs.add(codec);
        // The same bootstrap tree as SwarmBench: node i joins through node i / 2.
        String seed = i == 0 ? null : clusters.get(i == 1 ? 0 : i / 2).address();
        ClusterMessageHandler handler = listener(i);
        Cluster cluster = new ClusterImpl(clusterConfig(i, codec, seed))
            .handler(c -> handler)
            .start()
            .block(START_TIMEOUT);
        if (cluster == null) {
          throw new IllegalStateException("member " + i + " did not start within " + START_TIMEOUT);
        }
        clusters.add(cluster);
      }
      awaitSettled();
      Random random = new Random(config.seed());
      // Warm-up: the connections open and the JIT compiles; not measured.
      Sending warmup = send(clusters, random, 0, config.warmup(), 0,
          System.nanoTime() + config.sendLimit().toNanos());
      if (warmup.stopReason() != null) {
        throw new IllegalStateException("the warm-up stopped: " + warmup.stopReason());
      }
      awaitCompleted(warmupCompleted, config.warmup());
      awaitSpreadingEnd(System.nanoTime(), codecs);
      long heapBefore = usedHeap();
      CountingCodec.Counts before = sum(codecs);
      long removedBefore = membersRemoved.get();
      HeapSampler heap = new HeapSampler();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      Sending measured = send(clusters, random, config.warmup(), total, config.rate(),
          start + config.sendLimit().toNanos());
      int sent = measured.end() - config.warmup();
      awaitCompleted(measuredCompleted, sent);
      long drained = System.nanoTime();
      // ScaleCube keeps sending each broadcast for repeatMult x ceil(log2 n) periods after a
      // node got it: those copies belong to the run, so the counts and the CPU wait for them.
      awaitSpreadingEnd(drained, codecs);
      long cpuNanos = processCpuNanos() - cpuBefore;
      List<Double> heapSamples = heap.stop();
      CountingCodec.Counts wire = sum(codecs).minus(before);
      long removed = membersRemoved.get() - removedBefore;
      long heapAfter = usedHeap();
      long end = lastFullDelivery(measured.end());
      return result(start, end == 0 ? drained : end, cpuNanos, measured, wire, removed,
          heapBefore, heapAfter, heapSamples);
    } finally {
      shutdown(clusters);
    }
  }

  private ClusterConfig clusterConfig(int node, CountingCodec codec, String seed) {
    return config.preset().clusterConfig()
        .memberAlias("node-" + node)
        .transport(t -> t.port(0)
            .messageCodec(codec)
            .transportFactory(new LoopbackTransportFactory()))
        .gossip(g -> g.gossipInterval(config.gossipIntervalMs())
            .gossipFanout(config.gossipFanout())
            .gossipRepeatMult(config.gossipRepeatMult()))
        .membership(m -> seed == null ? m : m.seedMembers(seed));
  }

  private ClusterMessageHandler listener(int node) {
    int receivers = config.nodes() - 1;
    return new ClusterMessageHandler() {
      @Override
      public void onMembershipEvent(MembershipEvent event) {
        if (event.isAdded()) {
          known.get(node).add(event.member().id());
        } else if (event.isRemoved()) {
          known.get(node).remove(event.member().id());
          membersRemoved.incrementAndGet();
        }
      }

      @Override
      public void onGossip(Message gossip) {
        if (!QUALIFIER.equals(gossip.qualifier())) {
          return;
        }
        long now = System.nanoTime();
        int seq = sequence(gossip.data());
        long bit = (long) seq * config.nodes() + node;
        int word = (int) (bit >>> 6);
        long mask = 1L << (bit & 63);
        long old;
        do {
          old = seenBits.get(word);
          if ((old & mask) != 0) {
            duplicates.incrementAndGet();
            if (seq >= config.warmup()) {
              measuredDuplicates.incrementAndGet();
            }
            return;
          }
        } while (!seenBits.compareAndSet(word, old, old | mask));
        if (deliveries.incrementAndGet(seq) == receivers) {
          fullAt.set(seq, now);
          (seq < config.warmup() ? warmupCompleted : measuredCompleted).incrementAndGet();
          inFlight.release();
        }
      }
    };
  }

  /** Where sending stopped: the first sequence number not sent, and why if early. */
  private record Sending(int end, String stopReason) {}

  private Sending send(List<Cluster> clusters, Random random, int from, int to, int rate,
      long deadline) throws InterruptedException {
    long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
    long next = System.nanoTime();
    for (int seq = from; seq < to; seq++) {
      if (System.nanoTime() > deadline) {
        return new Sending(seq, "the send limit of " + config.sendLimit().toSeconds()
            + " s passed");
      }
      if (rate > 0) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        next += interval;
      } else {
        // Closed loop: at most `window` broadcasts in flight; blocks, never spins.
        long waitNanos = Math.min(DRAIN_TIMEOUT.toNanos(), deadline - System.nanoTime());
        if (!inFlight.tryAcquire(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
          return new Sending(seq, System.nanoTime() > deadline
              ? "the send limit of " + config.sendLimit().toSeconds() + " s passed"
              : "no broadcast completed within " + DRAIN_TIMEOUT.toSeconds() + " s");
        }
      }
      byte[] payload = new byte[config.size()];
      ByteBuffer b = ByteBuffer.wrap(payload);
      b.putLong(seq);
      long now = System.nanoTime();
      b.putLong(now);
      sentAt.set(seq, now);
      clusters.get(random.nextInt(clusters.size()))
          .spreadGossip(Message.withData(payload).qualifier(QUALIFIER).build())
          // Completes when ScaleCube deems the gossip disseminated; only errors matter here.
          .subscribe(null, e -> spreadErrors.incrementAndGet());
    }
    return new Sending(to, null);
  }

  /**
   * Waits until every member knows every other and no member's view has changed for
   * {@link #QUIET}, as SwarmBench waits for a settled overlay.
   */
  private void awaitSettled() {
    int want = config.nodes() - 1;
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    List<Set<String>> views = views();
    long changedAt = System.nanoTime();
    while (views.stream().anyMatch(v -> v.size() < want)
        || System.nanoTime() - changedAt < QUIET.toNanos()) {
      if (System.nanoTime() > deadline) {
        if (views.stream().anyMatch(v -> v.size() < want)) {
          throw new IllegalStateException("the cluster did not form within " + SETTLE_TIMEOUT
              + ": members known " + views.stream().map(v -> String.valueOf(v.size()))
                  .collect(Collectors.joining(" ")) + ", expected " + want + " each");
        }
        return; // formed, though still changing: measure anyway
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      List<Set<String>> now = views();
      if (!now.equals(views)) {
        views = now;
        changedAt = System.nanoTime();
      }
    }
  }

  private List<Set<String>> views() {
    List<Set<String>> views = new ArrayList<>();
    for (Set<String> k : known) {
      views.add(Set.copyOf(k));
    }
    return views;
  }

  /** Waits until {@code count} broadcasts reached every receiver, or {@link #DRAIN_TIMEOUT}. */
  private static void awaitCompleted(AtomicLong completed, long count) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (completed.get() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /**
   * Waits out ScaleCube's spreading horizon after {@code from}: a member sends a gossip for
   * {@code ClusterMath.gossipPeriodsToSpread(repeatMult, n)} periods after it got it, then stops.
   * A loaded member runs its periods late, so then waits until no copy of a broadcast has
   * arrived for {@link #SPREAD_MARGIN_PERIODS} periods, at most {@link #DRAIN_TIMEOUT}.
   */
  private void awaitSpreadingEnd(long from, List<CountingCodec> codecs) {
    long period = TimeUnit.MILLISECONDS.toNanos(config.gossipIntervalMs());
    long periods = ClusterMath.gossipPeriodsToSpread(config.gossipRepeatMult(), config.nodes())
        + SPREAD_MARGIN_PERIODS;
    parkUntil(from + periods * period);
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long copiesSeen = sum(codecs).benchCopies();
    while (System.nanoTime() < deadline) {
      parkUntil(System.nanoTime() + SPREAD_MARGIN_PERIODS * period);
      long now = sum(codecs).benchCopies();
      if (now == copiesSeen) {
        return;
      }
      copiesSeen = now;
    }
  }

  private static void parkUntil(long until) {
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private long lastFullDelivery(int end) {
    long last = 0;
    for (int i = config.warmup(); i < end; i++) {
      last = Math.max(last, fullAt.get(i));
    }
    return last;
  }

  private static CountingCodec.Counts sum(List<CountingCodec> codecs) {
    CountingCodec.Counts s = CountingCodec.Counts.ZERO;
    for (CountingCodec c : codecs) {
      s = s.plus(c.counts());
    }
    return s;
  }

  private static void shutdown(List<Cluster> clusters) {
    for (Cluster c : clusters) {
      c.shutdown();
    }
    for (Cluster c : clusters) {
      try {
        c.onShutdown().block(SHUTDOWN_TIMEOUT);
      } catch (RuntimeException e) {
        System.err.println("scalecube-bench: " + c.member() + " did not shut down within "
            + SHUTDOWN_TIMEOUT + ": " + e);
      }
    }
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** CPU time of the whole process (every member, the sender, the listeners, the GC). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private BenchResult result(long start, long end, long cpuNanos, Sending measured,
      CountingCodec.Counts wire, long removed, long heapBefore, long heapAfter,
      List<Double> heapSamples) {
    int receivers = config.nodes() - 1;
    int sent = measured.end() - config.warmup();
    long expected = (long) sent * receivers;
    long delivered = 0;
    long copiesReceived = 0;
    long[] latencies = new long[sent];
    int complete = 0;
    for (int i = config.warmup(); i < measured.end(); i++) {
      delivered += deliveries.get(i);
      copiesReceived += copies.get(i);
      if (fullAt.get(i) != 0) {
        latencies[complete++] = fullAt.get(i) - sentAt.get(i);
      }
    }
    long[] sorted = Arrays.copyOf(latencies, complete);
    Arrays.sort(sorted);
    double seconds = Math.max(1e-9, (end - start) / 1e9);
    long controlFrames = wire.frames() - wire.benchFrames() - wire.probes();
    String stopReason = measured.stopReason();
    if (spreadErrors.get() > 0) {
      String errors = spreadErrors.get() + " spreadGossip calls failed";
      stopReason = stopReason == null ? errors : stopReason + "; " + errors;
    }
    return new BenchResult(
        config,
        sent,
        stopReason,
        delivered / seconds,
        delivered * (double) config.size() / seconds / (1 << 20),
        seconds * 1000,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
        delivered == 0 ? Double.NaN : (double) copiesReceived / delivered,
        delivered == 0 ? Double.NaN : (double) (delivered + measuredDuplicates.get()) / delivered,
        delivered == 0 ? Double.NaN : (double) controlFrames / delivered,
        delivered == 0 ? Double.NaN : (double) wire.bytes() / delivered,
        delivered == 0 ? Double.NaN : cpuNanos / 1e3 / delivered,
        expected - delivered,
        duplicates.get(),
        removed,
        heapBefore / (double) (1 << 20),
        heapAfter / (double) (1 << 20),
        heapSamples,
        cdf(sorted));
  }

  private static List<double[]> cdf(long[] sorted) {
    List<double[]> cdf = new ArrayList<>();
    for (double share : BenchResult.CDF_SHARES) {
      cdf.add(new double[] {share, percentile(sorted, share)});
    }
    return cdf;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
