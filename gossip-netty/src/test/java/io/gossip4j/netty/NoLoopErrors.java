package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if a task threw on an event loop. Netty only logs such an exception and
 * goes on, so a test whose messages still arrive by a later path would pass without this.
 */
public final class NoLoopErrors implements BeforeAllCallback, AfterAllCallback {
  static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  /** Logback appender on the logger of Netty's event executors. */
  public static final class Appender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      var thrown = event.getThrowableProxy();
      REPORTS.add(event.getFormattedMessage()
          + (thrown == null ? "" : ": " + thrown.getClassName() + " " + thrown.getMessage()));
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    REPORTS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(REPORTS).as("exceptions thrown by event-loop tasks").isEmpty();
  }
}
