package io.gossip4j.proto;

import static io.gossip4j.proto.ConfigChecks.checkPositive;
import static io.gossip4j.proto.ConfigChecks.checkRange;

import java.time.Duration;

/**
 * Keeps warnings about peers' bad input from flooding the log: at most {@code maxPerWindow}
 * pass in each window of time, the rest are counted and the count goes out with the next one
 * that passes. A hostile peer can send bad input as fast as the network allows; the log must
 * not grow with it.
 *
 * <pre>{@code
 * if (warnings.tryAcquire(nowNanos)) {
 *   log.warn("bad frame from {} ({} similar suppressed)", peer, warnings.drainSuppressed());
 * }
 * }</pre>
 *
 * <p>Time is passed in, never read from a clock. Not thread-safe: one per event loop.
 */
public final class LogRateLimiter {
  /** The default window: ten warnings per ten seconds, for each limiter. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  /** The default number of warnings per window. */
  public static final int DEFAULT_MAX_PER_WINDOW = 10;

  private final long windowNanos;
  private final int maxPerWindow;
  private boolean started;
  private long windowStart;
  private int passed;
  private long suppressed;

  /** At most {@code maxPerWindow} warnings in each {@code window}. */
  public LogRateLimiter(Duration window, int maxPerWindow) {
    this.windowNanos = checkPositive("LogRateLimiter.window", window).toNanos();
    this.maxPerWindow = checkRange("LogRateLimiter.maxPerWindow", maxPerWindow, 1, 1_000_000);
  }

  /** A limiter with the defaults: {@value #DEFAULT_MAX_PER_WINDOW} per 10 s. */
  public static LogRateLimiter withDefaults() {
    return new LogRateLimiter(DEFAULT_WINDOW, DEFAULT_MAX_PER_WINDOW);
  }

  /** Whether a warning at {@code nowNanos} may be logged; if not, it is counted. */
  public boolean tryAcquire(long nowNanos) {
    if (!started || nowNanos - windowStart >= windowNanos) {
      started = true;
      windowStart = nowNanos;
      passed = 0;
    }
    if (passed < maxPerWindow) {
      passed++;
      return true;
    }
    suppressed++;
    return false;
  }

  /** Warnings suppressed since the last call, to mention in the one being logged. */
  public long drainSuppressed() {
    long n = suppressed;
    suppressed = 0;
    return n;
  }
}
