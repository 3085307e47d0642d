package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One subscription to a topic: broadcast on it and receive its events. Each subscription has its
 * own bounded event queue and gets every message once; two subscriptions to the same topic are
 * independent. A subscription does not receive its own broadcasts; the node's other
 * subscriptions to the topic do, with this node as origin, as they receive any other node's. Made by {@link Gossip#subscribe}. Every method is safe to call from any thread.
 *
 * <p>Events come either to the listener given at subscription, or, without one, through the
 * blocking {@link #take()} and {@link #poll(Duration)}.
 */
public final class Topic implements AutoCloseable {
  private final Gossip gossip;
  private final TopicId id;
  private final Subscriber subscriber;
  private final int maxPayloadSize;
  private final AtomicBoolean closed = new AtomicBoolean();

  Topic(Gossip gossip, TopicId id, Subscriber subscriber, int maxPayloadSize) {
    this.gossip = gossip;
    this.id = id;
    this.subscriber = subscriber;
    this.maxPayloadSize = maxPayloadSize;
  }

  /** The topic's id. */
  public TopicId id() {
    return id;
  }

  /**
   * Broadcasts {@code payload} to every node of the topic. The array must not be modified
   * afterwards. The future completes once the broadcast has been handed to the protocol.
   *
   * @throws IllegalArgumentException if the payload is larger than {@link #maxPayloadSize()}
   * @throws IllegalStateException after {@link #close()}
   * @throws java.util.concurrent.RejectedExecutionException when the node's event loop is
   *     behind by {@link Gossip.Builder#maxQueuedBroadcastBytes} of broadcasts: wait for earlier
   *     futures, or broadcast less
   */
  public CompletableFuture<Void> broadcast(byte[] payload) {
    return send(payload, Scope.SWARM);
  }

  /** Like {@link #broadcast}, to our direct neighbors only: they do not forward it. */
  public CompletableFuture<Void> broadcastNeighbors(byte[] payload) {
    return send(payload, Scope.NEIGHBORS);
  }

  private CompletableFuture<Void> send(byte[] payload, Scope scope) {
    Objects.requireNonNull(payload, "payload");
    if (payload.length > maxPayloadSize) {
      throw new IllegalArgumentException(
          "payload of " + payload.length + " bytes exceeds the limit of " + maxPayloadSize
              + " bytes (Gossip.Builder.maxFrameSize minus the frame header)");
    }
    checkOpen();
    return gossip.broadcast(id, payload, scope, subscriber);
  }

  /**
   * This subscription's events as a {@link java.util.concurrent.Flow.Publisher}, for reactive
   * libraries: it takes one subscriber, which gets events only as it requests them (from a
   * delivery thread, one at a time, in order). Events not yet requested wait in this
   * subscription's bounded queue; what overflows it is reported by {@link GossipEvent.Lagged},
   * so a subscriber that stops requesting slows no one. Cancelling closes this subscription;
   * closing it, or the node with {@link Gossip#close()}, completes the subscriber, even one that
   * subscribes after that. Only for subscriptions made without a
   * listener, and then instead of {@link #take()} and {@link #poll(Duration)}.
   */
  public java.util.concurrent.Flow.Publisher<GossipEvent> asPublisher() {
    checkStream();
    return new TopicPublisher(this, subscriber, gossip.listeners());
  }

  /** Waits for the next event. Only for subscriptions made without a listener. */
  public GossipEvent take() throws InterruptedException {
    checkStream();
    return subscriber.take();
  }

  /** The next event, waiting at most {@code timeout}; null if none came. */
  public GossipEvent poll(Duration timeout) throws InterruptedException {
    checkStream();
    return subscriber.poll(timeout.toNanos());
  }

  /** The next event if one is queued, else null, without waiting. */
  public GossipEvent poll() {
    checkStream();
    try {
      return subscriber.poll(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Our current neighbors on this topic. */
  public Set<NodeId> neighbors() {
    checkOpen();
    Driver.TopicState state = gossip.driver().topicState(id);
    return state == null ? Set.of() : Set.copyOf(state.neighbors);
  }

  /** Asks these peers to admit us, in addition to the ones given at subscription. */
  public CompletableFuture<Void> joinPeers(Collection<NodeAddr> peers) {
    checkOpen();
    List<NodeAddr> copy = List.copyOf(peers);
    return gossip.onLoop(driver -> {
      driver.join(id, copy);
      return null;
    });
  }

  /**
   * Asks {@code discovery} for peers, off the event loop, and joins through them as {@link
   * #joinPeers} does. The future completes with the peers found, or fails with the reason they
   * could not be (a DNS name without records, say); an empty list joins through nobody.
   */
  public CompletableFuture<List<NodeAddr>> join(PeerDiscovery discovery) {
    checkOpen();
    Objects.requireNonNull(discovery, "discovery");
    // A thread of its own: a DNS query may block for seconds, which must not hold up the
    // delivery of events on the listener executor.
    return CompletableFuture.supplyAsync(() -> {
      try {
        return discovery.peers();
      } catch (java.io.IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, task -> {
      Thread thread = new Thread(task, "gossip-discovery-" + id.shortHex());
      thread.setDaemon(true);
      thread.start();
    }).thenCompose(found -> joinPeers(found).thenApply(done -> found));
  }

  /**
   * Changes who may be in this topic with this node, for every subscription of it here (see
   * {@link TopicOptions.Builder#admission}): neighbors the new rule refuses are told they are
   * not admitted and dropped at once, passive peers it refuses are forgotten, and from now on
   * they are refused whatever they send. The rule runs on the node's event loop: it must be
   * quick and must not block.
   */
  public CompletableFuture<Void> admission(Predicate<NodeId> rule) {
    checkOpen();
    Objects.requireNonNull(rule, "rule");
    return gossip.onLoop(driver -> {
      driver.admit(id, rule);
      return null;
    });
  }

  /**
   * Completes once the topic has at least one neighbor. Fails with a {@link JoinFailedException}
   * if none came within {@code Gossip.Builder.joinTimeout} (10 s by default), saying why each
   * bootstrap address failed: connection refused, timed out, no route, or the TLS handshake's
   * refusal (another node answering, for instance). Joining goes on after that; call again for
   * a future that completes with the first neighbor.
   */
  public CompletableFuture<Void> joined() {
    checkOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    gossip.onLoop(driver -> {
      driver.whenJoined(id, future);
      return null;
    });
    return future;
  }

  /** The largest payload {@link #broadcast} accepts, in bytes. */
  public int maxPayloadSize() {
    return maxPayloadSize;
  }

  /**
   * Ends this subscription. When it was the last one on the topic, the node leaves the topic:
   * its neighbors get DISCONNECT. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && !gossip.isClosed()) {
      gossip.onLoop(driver -> {
        driver.unsubscribe(id, subscriber);
        return null;
      });
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("topic subscription " + id + " is closed");
    }
    gossip.checkRunning();
  }

  private void checkStream() {
    if (subscriber.hasListener()) {
      throw new IllegalStateException(
          "this subscription delivers to its listener or Flow subscriber; take(), poll() and "
              + "asPublisher() are for subscriptions made without one");
    }
    checkOpen();
  }

  @Override
  public String toString() {
    return "Topic[" + id + "]";
  }
}
