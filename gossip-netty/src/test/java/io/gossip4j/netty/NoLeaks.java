package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty's leak detector (paranoid in tests) reported a buffer that was
 * never released. Leaks are found when the garbage collector reclaims a tracked buffer and the
 * next allocation polls the detector, so both are forced here.
 */
public final class NoLeaks implements AfterAllCallback {
  static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  /** Logback appender on Netty's leak detector logger. */
  public static final class Appender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      REPORTS.add(event.getFormattedMessage());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = 0; i < 3; i++) {
      System.gc();
      for (int j = 0; j < 100; j++) {
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
        probe.release();
      }
    }
    assertThat(REPORTS).as("Netty leak reports").isEmpty();
  }
}
