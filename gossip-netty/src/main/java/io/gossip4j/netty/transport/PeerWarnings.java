package io.gossip4j.netty.transport;

import io.gossip4j.proto.LogRateLimiter;
import java.util.Arrays;
import org.slf4j.Logger;

/**
 * One node's warnings about what its peers send or do, rate-limited: a hostile peer can open
 * connections and send bad frames as fast as it likes, and the log must not follow it. Shared
 * by the node's handlers, on its one event loop.
 */
final class PeerWarnings {
  private final LogRateLimiter limiter = LogRateLimiter.withDefaults();

  /**
   * Logs the warning unless too many were logged lately; the next one that passes says how many
   * were suppressed.
   */
  void warn(Logger logger, String format, Object... args) {
    if (limiter.tryAcquire(System.nanoTime())) {
      Object[] withCount = Arrays.copyOf(args, args.length + 1);
      withCount[args.length] = limiter.drainSuppressed();
      logger.warn(format + " ({} similar warnings suppressed)", withCount);
    }
  }
}
