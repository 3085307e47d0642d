package io.gossip4j.examples.bench;

import io.gossip4j.NodeId;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import io.gossip4j.netty.FrameKind;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.GossipMetrics;
import io.gossip4j.netty.NodeAddr;
import io.gossip4j.netty.Topic;
import io.gossip4j.netty.TopicOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * N real nodes on loopback in one JVM, one topic, broadcasts from random nodes; every delivery
 * is timed and checked for loss and duplicates. Counts of frames and bytes come from the
 * library's own metrics.
 */
public final class SwarmBench {
  private static final TopicId TOPIC = TopicId.fromName("gossip4j-bench");
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration QUIET = Duration.ofSeconds(5);

  private final BenchConfig config;
  private final int total;
  /** Per message: receivers that delivered it. */
  private final AtomicIntegerArray deliveries;
  /** Per message: send time (nanos) and time of full delivery. */
  private final AtomicLongArray sentAt;
  private final AtomicLongArray fullAt;
  /** Per message and receiver: delivered yet, to count duplicates. */
  private final AtomicLongArray seenBits;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final Semaphore inFlight;

  public SwarmBench(BenchConfig config) {
    this.config = config;
    this.total = config.warmup() + config.messages();
    this.deliveries = new AtomicIntegerArray(total);
    this.sentAt = new AtomicLongArray(total);
    this.fullAt = new AtomicLongArray(total);
    this.seenBits = new AtomicLongArray((int) (((long) total * config.nodes() + 63) / 64));
    this.inFlight = new Semaphore(config.window());
  }

  public BenchResult run() throws Exception {
    int n = config.nodes();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.threads(),
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    List<Gossip> nodes = new ArrayList<>();
    List<Topic> topics = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Gossip.Builder builder = Gossip.builder().eventLoopGroup(group).seed(config.seed() + i)
            .peerQueueFrames(1 << 20).peerQueueBytes(1L << 30).tlsProvider(config.tlsProvider());
        if (!config.slowSubscriber()) {
          // Room for any burst; with a slow subscriber the default applies, so that it lags.
          builder.subscriberQueueCapacity(1 << 20);
        }
        if (config.listenersOnLoop()) {
          builder.listenerExecutor(Runnable::run);
        }
        Gossip g = builder.build().start();
        nodes.add(g);
      }
      for (int i = 0; i < n; i++) {
        List<NodeAddr> bootstrap = i == 0 ? List.of() : List.of(nodes.get(i == 1 ? 0 : i / 2).addr());
        topics.add(nodes.get(i).subscribe(TOPIC, bootstrap,
            TopicOptions.builder().signed(config.signed()).build(), listener(i)));
      }
      awaitSettled(topics);
      SlowReader slow = config.slowSubscriber()
          ? new SlowReader(nodes.get(0).subscribe(TOPIC, List.of(),
              TopicOptions.builder().signed(config.signed()).build()))
          : null;
      Random random = new Random(config.seed());
      // Warm-up: the tree forms and the JIT compiles; not measured.
      send(topics, random, 0, config.warmup(), 0);
      awaitDelivered(config.warmup());
      long heapBefore = usedHeap();
      List<GossipMetrics> before = metrics(nodes);
      HeapSampler heap = new HeapSampler();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      send(topics, random, config.warmup(), total, config.rate());
      awaitDelivered(total);
      long cpuNanos = processCpuNanos() - cpuBefore;
      long end = lastFullDelivery();
      List<Double> heapSamples = heap.stop();
      List<GossipMetrics> after = metrics(nodes);
      long heapAfter = usedHeap();
      long[] slowCounts = slow == null ? new long[2] : slow.stop();
      return result(start, end, cpuNanos, before, after, heapBefore, heapAfter, heapSamples,
          slowCounts);
    } finally {
      for (Gossip g : nodes) {
        g.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private Consumer<GossipEvent> listener(int node) {
    int receivers = config.nodes() - 1;
    return event -> {
      if (!(event instanceof GossipEvent.Received r)) {
        return;
      }
      long now = System.nanoTime();
      int seq = (int) ByteBuffer.wrap(r.payload()).getLong(0);
      long bit = (long) seq * config.nodes() + node;
      int word = (int) (bit >>> 6);
      long mask = 1L << (bit & 63);
      long old;
      do {
        old = seenBits.get(word);
        if ((old & mask) != 0) {
          duplicates.incrementAndGet();
          return;
        }
      } while (!seenBits.compareAndSet(word, old, old | mask));
      if (deliveries.incrementAndGet(seq) == receivers) {
        fullAt.set(seq, now);
        completed.incrementAndGet();
        inFlight.release();
      }
    };
  }

  private void send(List<Topic> topics, Random random, int from, int to, int rate)
      throws Exception {
    long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
    long next = System.nanoTime();
    for (int seq = from; seq < to; seq++) {
      if (rate > 0) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        next += interval;
      } else {
        // Closed loop: keep at most `window` broadcasts in flight; blocks, never spins, so
        // the sender takes no core from the nodes.
        if (!inFlight.tryAcquire(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("no broadcast completed within " + DRAIN_TIMEOUT);
        }
      }
      byte[] payload = new byte[config.size()];
      ByteBuffer b = ByteBuffer.wrap(payload);
      b.putLong(seq);
      long now = System.nanoTime();
      b.putLong(now);
      sentAt.set(seq, now);
      topics.get(random.nextInt(topics.size())).broadcast(payload);
    }
  }

  /**
   * Waits until every node has two neighbors and no node's neighbors have changed for
   * {@link #QUIET}: the targets are for a settled overlay, and a link that comes up later adds
   * a TLS handshake to a loop and new branches to every tree while messages are timed.
   */
  private void awaitSettled(List<Topic> topics) {
    // Two, as the network tests ask: HyParView does not promise more, and a node at two among
    // full peers may wait a shuffle interval (60 s) for a third.
    int want = Math.min(topics.size() - 1, 2);
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    List<Set<NodeId>> views = neighbors(topics);
    long changedAt = System.nanoTime();
    while (views.stream().anyMatch(v -> v.size() < want)
        || System.nanoTime() - changedAt < QUIET.toNanos()) {
      if (System.nanoTime() > deadline) {
        if (views.stream().anyMatch(v -> v.size() < want)) {
          throw new IllegalStateException("the swarm did not form within " + SETTLE_TIMEOUT);
        }
        return; // formed, though still changing: measure anyway
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      List<Set<NodeId>> now = neighbors(topics);
      if (!now.equals(views)) {
        views = now;
        changedAt = System.nanoTime();
      }
    }
  }

  private static List<Set<NodeId>> neighbors(List<Topic> topics) {
    List<Set<NodeId>> views = new ArrayList<>();
    for (Topic t : topics) {
      views.add(Set.copyOf(t.neighbors()));
    }
    return views;
  }

  private void awaitDelivered(int count) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (completed.get() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private long lastFullDelivery() {
    long last = 0;
    for (int i = config.warmup(); i < total; i++) {
      last = Math.max(last, fullAt.get(i));
    }
    return last;
  }

  private static List<GossipMetrics> metrics(List<Gossip> nodes) {
    List<GossipMetrics> list = new ArrayList<>();
    for (Gossip g : nodes) {
      list.add(g.metrics());
    }
    return list;
  }

  private static long sum(List<GossipMetrics> metrics, boolean frames, FrameKind kind) {
    long s = 0;
    for (GossipMetrics m : metrics) {
      var map = frames ? m.framesIn() : m.bytesIn();
      if (kind == null) {
        for (long v : map.values()) {
          s += v;
        }
      } else {
        s += map.getOrDefault(kind, 0L);
      }
    }
    return s;
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** CPU time of the whole process (every node, the senders, the listeners, the GC). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private BenchResult result(long start, long end, long cpuNanos, List<GossipMetrics> before,
      List<GossipMetrics> after, long heapBefore, long heapAfter, List<Double> heapSamples,
      long[] slowCounts) {
    int receivers = config.nodes() - 1;
    long expected = (long) config.messages() * receivers;
    long delivered = 0;
    long[] latencies = new long[config.messages()];
    int complete = 0;
    for (int i = config.warmup(); i < total; i++) {
      delivered += deliveries.get(i);
      if (fullAt.get(i) != 0) {
        latencies[complete++] = fullAt.get(i) - sentAt.get(i);
      }
    }
    long[] sorted = Arrays.copyOf(latencies, complete);
    Arrays.sort(sorted);
    double seconds = Math.max(1e-9, (end - start) / 1e9);
    long gossipFrames = sum(after, true, FrameKind.GOSSIP) - sum(before, true, FrameKind.GOSSIP);
    long allFrames = sum(after, true, null) - sum(before, true, null);
    long heartbeats =
        sum(after, true, FrameKind.HEARTBEAT) - sum(before, true, FrameKind.HEARTBEAT);
    long bytes = sum(after, false, null) - sum(before, false, null);
    long controlFrames = allFrames - gossipFrames - heartbeats;
    if (Boolean.getBoolean("gossip4j.bench.debug")) {
      for (FrameKind kind : FrameKind.values()) {
        System.err.println(kind + " " + (sum(after, true, kind) - sum(before, true, kind)));
      }
      long timeouts = 0;
      long duplicatesIn = 0;
      long overBudget = 0;
      for (int i = 0; i < after.size(); i++) {
        PlumTreeStats a = after.get(i).topics().get(TOPIC).broadcast();
        PlumTreeStats b = before.get(i).topics().get(TOPIC).broadcast();
        timeouts += a.graftsSent() - b.graftsSent();
        duplicatesIn += a.duplicates() - b.duplicates();
        overBudget += a.graftsOverBudget() - b.graftsOverBudget();
      }
      // GRAFTs sent on a timeout: messages some node waited graftTimeout1 or more for.
      System.err.println("graft timeouts " + timeouts + ", duplicate payloads " + duplicatesIn
          + ", GRAFTs over a neighbor's budget " + overBudget);
    }
    return new BenchResult(
        config,
        delivered / seconds,
        delivered * (double) config.size() / seconds / (1 << 20),
        seconds * 1000,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
        delivered == 0 ? Double.NaN : (double) gossipFrames / delivered,
        delivered == 0 ? Double.NaN : (double) controlFrames / delivered,
        delivered == 0 ? Double.NaN : (double) (bytes + 4L * allFrames) / delivered,
        delivered == 0 ? Double.NaN : cpuNanos / 1e3 / delivered,
        expected - delivered,
        duplicates.get(),
        heapBefore / (double) (1 << 20),
        heapAfter / (double) (1 << 20),
        heapSamples,
        slowCounts[0],
        slowCounts[1],
        cdf(sorted));
  }

  private static List<double[]> cdf(long[] sorted) {
    List<double[]> cdf = new java.util.ArrayList<>();
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
