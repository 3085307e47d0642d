package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.TopicId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic.asPublisher(): demand, the bounded queue behind it, cancel and completion. */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class PublisherTest {
  private static final TopicId TOPIC = TopicId.fromName("publisher");
  @RegisterExtension final Nodes nodes = new Nodes();

  /** A Flow subscriber that records what it is given and requests only when told. */
  private static final class Recorder implements Flow.Subscriber<GossipEvent> {
    final List<GossipEvent> events = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    volatile Flow.Subscription subscription;
    volatile boolean completed;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(GossipEvent event) {
      events.add(event);
    }

    @Override
    public void onError(Throwable t) {
      errors.add(t);
    }

    @Override
    public void onComplete() {
      completed = true;
    }

    long received() {
      return events.stream().filter(e -> e instanceof GossipEvent.Received).count();
    }

    long lagged() {
      return events.stream().filter(e -> e instanceof GossipEvent.Lagged)
          .mapToLong(e -> ((GossipEvent.Lagged) e).dropped()).sum();
    }
  }

  private Gossip start(Gossip.Builder builder) {
    return nodes.start(builder);
  }

  /** a broadcasts {@code count} messages to b, and b's node has delivered them all. */
  private static void send(Gossip a, Topic ta, Gossip b, int count, long deliveredBefore) {
    for (int i = 0; i < count; i++) {
      ta.broadcast(("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    Await.until("b delivered " + count, () -> b.metrics().topics().get(TOPIC).broadcast()
        .delivered() == deliveredBefore + count);
  }

  @Test
  void eventsFlowOnlyAsRequestedAndTheRestWaitsInTheQueue() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder());
    Topic tb = b.subscribe(TOPIC, List.of());
    Recorder r = new Recorder();
    tb.asPublisher().subscribe(r);
    Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
    ta.joined().get(10, TimeUnit.SECONDS);
    send(a, ta, b, 10, 0);
    assertThat(r.events).isEmpty(); // nothing requested yet: all of it waits
    r.subscription.request(4);
    Await.until("four events", () -> r.events.size() == 4);
    send(a, ta, b, 5, 10);
    assertThat(r.events).hasSize(4);
    r.subscription.request(Long.MAX_VALUE);
    // NeighborUp and the 15 messages, each once.
    Await.until("everything", () -> r.received() == 15);
    assertThat(r.events).hasSize(16);
    assertThat(r.errors).isEmpty();
    tb.close();
    Await.until("completed", () -> r.completed);
  }

  @Test
  void aSubscriberThatRequestsNothingOverflowsItsQueueIntoLaggedAndSlowsNoOne() throws Exception {
    Gossip a = start(Gossip.builder());
    Gossip b = start(Gossip.builder().subscriberQueueCapacity(16));
    Recorder stuck = new Recorder();
    b.subscribe(TOPIC, List.of()).asPublisher().subscribe(stuck);
    Received other = new Received();
    b.subscribe(TOPIC, List.of(), other);
    Topic ta = a.subscribe(TOPIC, List.of(b.addr()));
    ta.joined().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      ta.broadcast(("m" + i).getBytes(StandardCharsets.UTF_8));
      int expected = i + 1;
      // The listener keeps up with every message while the Flow subscriber requests nothing.
      Await.until("the other subscriber has " + expected, () -> other.events.size() == expected);
    }
    stuck.subscription.request(Long.MAX_VALUE);
    Await.until("the stuck one is told it lagged", () -> stuck.lagged() > 0);
    // What it got plus what it was told it lost is everything, NeighborUp included.
    assertThat(stuck.events.size() - 1 + stuck.lagged()).isEqualTo(50 + 1);
    assertThat(stuck.events).hasSize(17); // the queue's 16, then Lagged
  }

  @Test
  void cancelClosesTheSubscriptionAndTheNodeClosingCompletesIt() throws Exception {
    Gossip b = start(Gossip.builder());
    Topic first = b.subscribe(TOPIC, List.of());
    Topic second = b.subscribe(TOPIC, List.of());
    Recorder cancelling = new Recorder();
    Recorder staying = new Recorder();
    first.asPublisher().subscribe(cancelling);
    second.asPublisher().subscribe(staying);
    assertThat(b.metrics().topics().get(TOPIC).subscribers()).isEqualTo(2);
    cancelling.subscription.cancel();
    Await.until("one subscription left",
        () -> b.metrics().topics().get(TOPIC).subscribers() == 1);
    assertThat(cancelling.completed).isFalse(); // cancelled, not completed
    b.close();
    Await.until("the other completed", () -> staying.completed);
  }

  @Test
  void misuseIsAnErrorThatSaysWhy() throws Exception {
    Gossip b = start(Gossip.builder());
    Topic topic = b.subscribe(TOPIC, List.of());
    Flow.Publisher<GossipEvent> publisher = topic.asPublisher();
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    publisher.subscribe(first);
    publisher.subscribe(second);
    assertThat(second.errors).singleElement().asString().contains("has a Flow subscriber already");
    assertThatThrownBy(topic::take).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Flow subscriber");
    first.subscription.request(0);
    Await.until("the error", () -> !first.errors.isEmpty());
    assertThat(first.errors.get(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> b.subscribe(TOPIC, List.of(), e -> {}).asPublisher())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSubscriberThatComesAfterTheEndIsCompletedAtOnce() throws Exception {
    Gossip b = start(Gossip.builder());
    Topic left = b.subscribe(TOPIC, List.of());
    Flow.Publisher<GossipEvent> publisher = left.asPublisher();
    left.close();
    Await.until("the subscription left", () -> b.metrics().topics().isEmpty());
    Recorder late = new Recorder();
    publisher.subscribe(late);
    Await.until("the late subscriber completed", () -> late.completed);
    assertThat(late.events).isEmpty();
  }
}

