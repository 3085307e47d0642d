package io.gossip4j.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogRateLimiterTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void aMillionWarningsInOneWindowLogOnlyTheAllowance() {
    LogRateLimiter limiter = new LogRateLimiter(Duration.ofSeconds(10), 5);
    int logged = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (limiter.tryAcquire(i)) { // a million within one millisecond
        logged++;
      }
    }
    assertThat(logged).isEqualTo(5);
    assertThat(limiter.drainSuppressed()).isEqualTo(999_995);
    assertThat(limiter.drainSuppressed()).isZero();
  }

  @Test
  void theNextWindowAllowsAgainAndReportsWhatWasSuppressed() {
    LogRateLimiter limiter = new LogRateLimiter(Duration.ofSeconds(10), 2);
    long t = 123 * SECOND; // any origin, as System.nanoTime()
    assertThat(limiter.tryAcquire(t)).isTrue();
    assertThat(limiter.tryAcquire(t + SECOND)).isTrue();
    assertThat(limiter.tryAcquire(t + 2 * SECOND)).isFalse();
    assertThat(limiter.tryAcquire(t + 9 * SECOND)).isFalse();
    assertThat(limiter.tryAcquire(t + 10 * SECOND)).isTrue();
    assertThat(limiter.drainSuppressed()).isEqualTo(2);
  }

  @Test
  void steadyAbuseLogsAtMostTheAllowancePerWindow() {
    LogRateLimiter limiter = LogRateLimiter.withDefaults();
    int logged = 0;
    // One bad frame every millisecond for a minute: six windows of ten seconds.
    for (long ms = 0; ms < 60_000; ms++) {
      if (limiter.tryAcquire(ms * 1_000_000L)) {
        logged++;
      }
    }
    assertThat(logged).isEqualTo(6 * LogRateLimiter.DEFAULT_MAX_PER_WINDOW);
  }

  @Test
  void invalidSettingsNameTheField() {
    assertThatThrownBy(() -> new LogRateLimiter(Duration.ZERO, 1))
        .hasMessageContaining("LogRateLimiter.window");
    assertThatThrownBy(() -> new LogRateLimiter(Duration.ofSeconds(1), 0))
        .hasMessageContaining("LogRateLimiter.maxPerWindow");
  }
}
