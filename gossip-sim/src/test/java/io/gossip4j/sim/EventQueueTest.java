package io.gossip4j.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void eventsComeOutByTimeThenBySequenceWithTheirTagsWhateverTheInsertionOrder() {
    EventQueue<long[]> queue = new EventQueue<>();
    List<long[]> expected = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      long[] event = {rng.nextInt(100), rng.nextLong()};
      queue.add(event[0], event[1], event, ~event[1]);
      expected.add(event);
    }
    expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    List<long[]> actual = new ArrayList<>();
    while (!queue.isEmpty()) {
      long time = queue.peekTime();
      long tag = queue.peekTag();
      long[] event = queue.poll();
      assertThat(event[0]).isEqualTo(time);
      assertThat(tag).isEqualTo(~event[1]);
      actual.add(event);
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }
}
