package io.gossip4j.netty;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's events as a {@link Flow.Publisher}: {@link Topic#asPublisher()}. It takes one
 * Flow subscriber; events reach it only as it requests them, from a delivery thread, one at a
 * time, in order. What it has not requested waits in the subscription's bounded queue, and
 * what overflows that is reported by a {@link GossipEvent.Lagged}, as for any slow reader, so
 * a subscriber that stops requesting slows no one. {@code cancel()} closes the subscription;
 * closing it (or the node, with {@link Gossip#close()}) completes the subscriber.
 */
final class TopicPublisher implements Flow.Publisher<GossipEvent> {
  private static final Logger log = LoggerFactory.getLogger(TopicPublisher.class);

  private final Topic topic;
  private final Subscriber queue;
  private final Executor executor;

  TopicPublisher(Topic topic, Subscriber queue, Executor executor) {
    this.topic = topic;
    this.queue = queue;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super GossipEvent> subscriber) {
    java.util.Objects.requireNonNull(subscriber, "subscriber");
    Link link = new Link(subscriber);
    // Under the link's lock: an onNext that a request made inside onSubscribe lets through
    // waits for onSubscribe to return (Reactive Streams rule 1.3).
    synchronized (link) {
      if (!queue.attachFlow(link, link::complete)) {
        subscriber.onSubscribe(Link.NOTHING);
        subscriber.onError(new IllegalStateException(
            "this topic subscription has a Flow subscriber already; subscribe to the topic "
                + "again on the node for another"));
        return;
      }
      subscriber.onSubscribe(link);
    }
  }

  /** One subscriber's side: its demand, its cancel, and the signals it gets. */
  private final class Link implements Flow.Subscription, Consumer<GossipEvent> {
    static final Flow.Subscription NOTHING = new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {}
    };

    private final Flow.Subscriber<? super GossipEvent> subscriber;
    private final AtomicBoolean done = new AtomicBoolean();

    Link(Flow.Subscriber<? super GossipEvent> subscriber) {
      this.subscriber = subscriber;
    }

    /**
     * Called by the subscription's delivery task, only with demand. Signals to the subscriber
     * hold this link's lock, so an onNext never overlaps the terminal signal, and none follows
     * it (Reactive Streams rule 1.3).
     */
    @Override
    public synchronized void accept(GossipEvent event) {
      if (!done.get()) {
        subscriber.onNext(event);
      }
    }

    @Override
    public void request(long n) {
      if (done.get()) {
        return;
      }
      if (n <= 0) {
        // Reactive Streams rule 3.9: a non-positive request is an error, and ends it.
        if (done.compareAndSet(false, true)) {
          topic.close();
          signal(() -> subscriber.onError(new IllegalArgumentException(
              "request(" + n + "): a Flow subscriber must request a positive number")));
        }
        return;
      }
      queue.request(n);
    }

    @Override
    public void cancel() {
      if (done.compareAndSet(false, true)) {
        topic.close();
      }
    }

    /** The subscription ended: the subscriber completes, unless it cancelled. */
    void complete() {
      if (done.compareAndSet(false, true)) {
        signal(subscriber::onComplete);
      }
    }

    private void signal(Runnable call) {
      try {
        executor.execute(() -> {
          synchronized (this) {
            call.run();
          }
        });
      } catch (RejectedExecutionException closed) {
        log.debug("a Flow subscriber was not told the end: its executor is shut down");
      }
    }
  }
}
