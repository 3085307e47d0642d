package io.gossip4j.netty;

import io.gossip4j.TopicId;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.proto.Input;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges new broadcasts of signed (or validated) topics on a bounded pool of threads, so the
 * event loop never waits for an Ed25519 verification or a validator: a node uses every core for
 * them, and heartbeats, writes and the protocol go on meanwhile. Each decision goes back to the
 * loop as an {@link Input.Judged}.
 *
 * <p>The pool's queue holds {@link #QUEUE_PER_THREAD} messages per thread. When it is full the
 * loop judges the message itself: it slows down, reads less, and the senders' TCP windows push
 * back, while everything already queued drains. Nothing is dropped.
 */
final class BroadcastJudges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BroadcastJudges.class);

  /** Messages waiting per judging thread; ~0.2 ms each, so a full queue is ~200 ms of work. */
  static final int QUEUE_PER_THREAD = 1024;

  private final OriginSigner signer;
  private final ThreadPoolExecutor pool;

  /**
   * @param signer what judges: signature, replay window, validator
   * @param threads judging threads
   * @param name part of the threads' names, to tell nodes apart
   */
  BroadcastJudges(OriginSigner signer, int threads, String name) {
    this.signer = signer;
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD),
        new DefaultThreadFactory("gossip-judge-" + name, true),
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /**
   * Judges {@code push} and hands the decision to {@code done}, on a judging thread, or on the
   * caller's when the queue is full. After {@link #close()}, does nothing.
   */
  void judge(TopicId topic, Push push, Consumer<Input.Judged> done) {
    try {
      pool.execute(() -> {
        GuardDecision decision = signer.judge(topic, push);
        done.accept(new Input.Judged(topic, push.id(), decision));
      });
    } catch (RejectedExecutionException e) {
      log.debug("broadcast {} not judged: the node is closing", push.id().shortHex());
    }
  }

  /** Messages waiting for a judging thread. */
  int queued() {
    return pool.getQueue().size();
  }

  /** Stops the threads; what is queued is dropped, as the node is closing. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
