package io.gossip4j.netty.tls;

import io.gossip4j.netty.tls.PeerAuthenticationFailed.Reason;
import io.gossip4j.proto.LogRateLimiter;
import io.netty.channel.Channel;
import org.slf4j.Logger;

/**
 * One node's log of refused handshakes, rate-limited: anyone can open connections and fail
 * handshakes on purpose, as fast as the network allows, and the log must not follow. Shared by
 * every connection of a {@link TlsSetup}, hence synchronized.
 */
final class RefusalLog {
  private final LogRateLimiter limiter = LogRateLimiter.withDefaults();

  /** Logs one refusal (at WARN when {@code serious}, else INFO) unless too many were lately. */
  synchronized void log(Logger logger, boolean serious, Channel channel, Reason reason,
      String detail) {
    if (!limiter.tryAcquire(System.nanoTime())) {
      return;
    }
    long suppressed = limiter.drainSuppressed();
    String format = "{}: refused ({}): {} ({} similar suppressed)";
    if (serious) {
      logger.warn(format, channel, reason, detail, suppressed);
    } else {
      logger.info(format, channel, reason, detail, suppressed);
    }
  }
}
