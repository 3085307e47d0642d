package io.gossip4j.examples.bench;

import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.Topic;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately slow subscriber: it reads one event per millisecond at most, so under load
 * its queue fills and the node tells it what it lost with {@link GossipEvent.Lagged} while the
 * other subscribers carry on. Its pauses are the load it simulates, not synchronization.
 */
final class SlowReader {
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Topic topic;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  SlowReader(Topic topic) {
    this.topic = topic;
    this.thread = new Thread(this::run, "bench-slow-subscriber");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running.get()) {
        GossipEvent e = topic.poll(Duration.ofMillis(100));
        if (e instanceof GossipEvent.Received) {
          received.incrementAndGet();
          LockSupport.parkNanos(PAUSE_NANOS);
        } else if (e instanceof GossipEvent.Lagged lagged) {
          dropped.addAndGet(lagged.dropped());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops reading; returns messages read and messages reported lost. */
  long[] stop() throws InterruptedException {
    running.set(false);
    thread.join(TimeUnit.SECONDS.toMillis(5));
    return new long[] {received.get(), dropped.get()};
  }
}
