package io.gossip4j.netty;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's bounded event queue. The event loop offers and never waits: when the queue
 * is full the event is dropped and counted, and the subscriber gets {@link GossipEvent.Lagged}
 * with the count, either queued as soon as there is room or, once it has read everything
 * queued, straight away. A listener subscriber is fed by a task on the delivery executor, one
 * task at a time, so a slow listener delays only itself. A {@link java.util.concurrent.Flow}
 * subscriber is a listener with demand: it is fed only as much as it requested, and the rest
 * waits in the queue, where it can overflow into {@code Lagged} as for any slow reader.
 */
final class Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

  private final ArrayBlockingQueue<GossipEvent> queue;
  private volatile Consumer<GossipEvent> listener;
  /** Events a Flow subscriber may still be given; null: no limit (a plain listener). */
  private volatile AtomicLong demand;
  /** Told when the subscription ends; null: nothing to tell. */
  private Runnable onEnd;
  /** Whether the subscription has ended (left, or the node closed). */
  private boolean ended;
  private final Executor executor;
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Dropped and not yet reported; the loop adds, whoever reports resets it. */
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedTotal = new AtomicLong();

  Subscriber(int capacity, Consumer<GossipEvent> listener, Executor executor) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.listener = listener;
    this.executor = executor;
  }

  /**
   * Called on the event loop: queue the event, or count it as dropped. Returns whether a
   * listener must be woken with {@link #wake()}: the loop does that once per turn, not once per
   * event, so a burst costs one thread hand-off.
   */
  boolean offer(GossipEvent event) {
    long lag = dropped.get();
    // Only the loop adds to the queue, so with room left both offers below succeed.
    if (lag > 0 && queue.remainingCapacity() >= 2 && dropped.compareAndSet(lag, 0)) {
      queue.offer(new GossipEvent.Lagged(lag));
    }
    if (dropped.get() > 0 || !queue.offer(event)) {
      dropped.incrementAndGet();
      droppedTotal.incrementAndGet();
    }
    // A Flow subscriber that requested nothing is not woken: it would drain nothing.
    return listener != null && hasDemand();
  }

  /**
   * Turns a subscription read with take() into one that feeds {@code flow}, {@code demand} at a
   * time; {@code end} runs when the subscription ends. At most once, before any take().
   */
  synchronized boolean attachFlow(Consumer<GossipEvent> flow, Runnable end) {
    if (listener != null) {
      return false;
    }
    demand = new AtomicLong();
    listener = flow;
    if (ended) {
      end.run(); // it ended before the Flow subscriber came
    } else {
      onEnd = end;
    }
    return true;
  }

  /** A Flow subscriber asked for {@code n} more events. */
  void request(long n) {
    demand.accumulateAndGet(n, (have, more) -> have + more < 0 ? Long.MAX_VALUE : have + more);
    wake();
  }

  /** The subscription ended (left, or the node closed). */
  void ended() {
    Runnable end;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      end = onEnd;
    }
    if (end != null) {
      end.run();
    }
  }

  /** Starts the listener's delivery task unless it is running. */
  void wake() {
    if (draining.compareAndSet(false, true)) {
      startDrain();
    }
  }

  private void startDrain() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The executor is shut down (the node is closing, or the application stopped its own):
      // what is left is not delivered.
      draining.set(false);
      log.debug("not delivering to a listener: its executor is shut down");
    }
  }

  /** The next event, waiting; a pending Lagged once the queue is read empty. */
  GossipEvent take() throws InterruptedException {
    GossipEvent lagged = lagIfDrained();
    return lagged != null ? lagged : queue.take();
  }

  /** The next event, waiting at most {@code timeoutNanos}, or null. */
  GossipEvent poll(long timeoutNanos) throws InterruptedException {
    GossipEvent lagged = lagIfDrained();
    return lagged != null ? lagged : queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private GossipEvent lagIfDrained() {
    if (queue.isEmpty()) {
      long lag = dropped.getAndSet(0);
      if (lag > 0) {
        return new GossipEvent.Lagged(lag);
      }
    }
    return null;
  }

  /** One event given: the demand, if any, falls by one (unbounded demand stays unbounded). */
  private void takeDemand() {
    AtomicLong d = demand;
    if (d != null) {
      d.getAndUpdate(left -> left == Long.MAX_VALUE ? left : left - 1);
    }
  }

  private boolean hasDemand() {
    AtomicLong d = demand;
    return d == null || d.get() > 0;
  }

  private void drain() {
    try {
      GossipEvent event;
      while (hasDemand()
          && ((event = queue.poll()) != null || (event = lagIfDrained()) != null)) {
        takeDemand();
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          log.warn("event listener failed on {}", event, e);
        }
      }
    } finally {
      draining.set(false);
    }
    // An event offered (or demand given) after the last poll but before the flag was cleared
    // must not wait.
    if ((!queue.isEmpty() || dropped.get() > 0) && hasDemand()
        && draining.compareAndSet(false, true)) {
      startDrain();
    }
  }

  boolean hasListener() {
    return listener != null;
  }

  long droppedTotal() {
    return droppedTotal.get();
  }
}
