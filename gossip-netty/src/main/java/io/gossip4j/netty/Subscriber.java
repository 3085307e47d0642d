package io.gossip4j.netty;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's bounded event queue. The event loop offers and never waits: when the queue
 * is full the event is dropped and counted, and the subscriber gets {@link GossipEvent.Lagged}
 * with the count as soon as there is room. A listener subscriber is fed by a task on the
 * delivery executor, one task at a time, so a slow listener delays only itself.
 */
final class Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

  private final ArrayBlockingQueue<GossipEvent> queue;
  private final Consumer<GossipEvent> listener;
  private final Executor executor;
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Dropped since the last Lagged was queued; touched only on the event loop. */
  private long dropped;
  private long droppedTotal;

  Subscriber(int capacity, Consumer<GossipEvent> listener, Executor executor) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.listener = listener;
    this.executor = executor;
  }

  /** Called on the event loop: queue the event, or count it as dropped. */
  void offer(GossipEvent event) {
    if (dropped > 0) {
      if (!queue.offer(new GossipEvent.Lagged(dropped))) {
        dropped++;
        droppedTotal++;
        return;
      }
      dropped = 0;
    }
    if (!queue.offer(event)) {
      dropped++;
      droppedTotal++;
    }
    if (listener != null && draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      GossipEvent event;
      while ((event = queue.poll()) != null) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          log.warn("event listener failed on {}", event, e);
        }
      }
    } finally {
      draining.set(false);
    }
    // An event offered after the last poll but before the flag was cleared must not wait.
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  ArrayBlockingQueue<GossipEvent> queue() {
    return queue;
  }

  boolean hasListener() {
    return listener != null;
  }

  long droppedTotal() {
    return droppedTotal;
  }
}
