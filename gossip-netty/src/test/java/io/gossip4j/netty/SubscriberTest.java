package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SubscriberTest {
  @Test
  void wakingAListenerAfterTheNodesDeliveryThreadsStoppedIsQuiet() {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.shutdown();
    List<GossipEvent> got = new ArrayList<>();
    Subscriber s = new Subscriber(4, got::add, executor);
    assertThat(s.offer(new GossipEvent.Lagged(1))).isTrue();
    // The event loop runs this while the node closes: it must not throw into the loop.
    assertThatCode(s::wake).doesNotThrowAnyException();
    assertThatCode(s::wake).doesNotThrowAnyException();
    assertThat(got).isEmpty();
  }

  @Test
  void aListenerGetsWhatWasQueuedOnceWoken() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      List<GossipEvent> got = java.util.Collections.synchronizedList(new ArrayList<>());
      Subscriber s = new Subscriber(4, got::add, executor);
      s.offer(new GossipEvent.Lagged(1));
      s.offer(new GossipEvent.Lagged(2));
      s.wake();
      Await.until("both events delivered", () -> got.size() == 2);
      assertThat(got).containsExactly(new GossipEvent.Lagged(1), new GossipEvent.Lagged(2));
    } finally {
      executor.shutdownNow();
    }
  }
}
