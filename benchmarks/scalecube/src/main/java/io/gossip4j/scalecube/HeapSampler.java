package io.gossip4j.scalecube;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every 10 s, the heap in use right after the latest garbage collection (each heap pool's
 * collection usage), in MiB: whether a long run's live data stays flat, without forcing a
 * collection that would disturb the run.
 */
final class HeapSampler {
  private static final long PERIOD_SECONDS = 10;

  private final List<Double> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-heap-sampler");
    t.setDaemon(true);
    return t;
  });

  HeapSampler() {
    timer.scheduleAtFixedRate(this::sample, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  private void sample() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    synchronized (samples) {
      samples.add(used / (double) (1 << 20));
    }
  }

  /** Stops sampling; the samples taken, oldest first. */
  List<Double> stop() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }
}
