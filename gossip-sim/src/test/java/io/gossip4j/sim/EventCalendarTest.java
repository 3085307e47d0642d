package io.gossip4j.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventCalendarTest {
  private static final long SLOT = 10;
  private static final int SLOTS = 16;

  @Test
  void eachTakeHasExactlyTheEventsDueWithTheirFieldsAcrossTheRingAndBeyondIt() {
    EventCalendar calendar = new EventCalendar(SLOT, SLOTS);
    SplittableRandom rng = new SplittableRandom(11);
    List<long[]> pending = new ArrayList<>(); // {time, seq}
    long taken = -1; // everything up to here was taken
    long seq = 0;
    for (int step = 0; step < 3_000; step++) {
      // Events from just after the last take to far beyond the ring's reach.
      for (int n = rng.nextInt(6); n > 0; n--) {
        long time = taken + 1 + rng.nextLong(rng.nextInt(8) == 0 ? 40 * SLOT * SLOTS : 3 * SLOT);
        long[] event = {time, seq++};
        calendar.add(event[0], event[1], event, ~event[1]);
        pending.add(event);
      }
      long earliest = pending.stream().mapToLong(e -> e[0]).min().orElse(Long.MAX_VALUE);
      assertThat(calendar.earliest()).isEqualTo(earliest);
      assertThat(calendar.isEmpty()).isEqualTo(pending.isEmpty());
      // Windows mostly a slot long from the earliest event, ending anywhere within a slot.
      long end = earliest == Long.MAX_VALUE ? taken + SLOT : earliest + rng.nextLong(SLOT);
      EventBatch out = new EventBatch();
      calendar.takeUntil(end, out);
      Set<long[]> got = new HashSet<>();
      for (int i = 0; i < out.size(); i++) {
        long[] event = (long[]) out.item(i);
        assertThat(out.time(i)).isEqualTo(event[0]);
        assertThat(out.seq(i)).isEqualTo(event[1]);
        assertThat(out.tag(i)).isEqualTo(~event[1]);
        got.add(event);
      }
      long cut = end;
      Set<long[]> due = new HashSet<>();
      pending.removeIf(e -> e[0] <= cut && due.add(e));
      assertThat(got).isEqualTo(due);
      taken = end;
    }
  }

  @Test
  void anEventAtTheLastTakesEndIsTakenNext() {
    EventCalendar calendar = new EventCalendar(SLOT, SLOTS);
    calendar.takeUntil(15, new EventBatch());
    calendar.add(15, 0, "at the end", 0); // a command at the time a run stopped
    assertThat(calendar.earliest()).isEqualTo(15);
    EventBatch out = new EventBatch();
    calendar.takeUntil(19, out);
    assertThat(out.size()).isEqualTo(1);
    assertThat(out.item(0)).isEqualTo("at the end");
  }

  @Test
  void anEventTheRingReachesLeavesTheQueueBehindItBeforeALaterOneOfItsSlotComes() {
    EventCalendar calendar = new EventCalendar(SLOT, SLOTS);
    calendar.add(SLOTS * SLOT + 5, 0, "first", 0); // one slot past the ring's reach
    calendar.takeUntil(SLOT, new EventBatch()); // the ring moves on by one slot: now it is in
    calendar.add(SLOTS * SLOT + 9, 1, "second", 0); // same slot, straight into the ring
    assertThat(calendar.earliest()).isEqualTo(SLOTS * SLOT + 5);
    EventBatch out = new EventBatch();
    calendar.takeUntil(SLOTS * SLOT + 5, out);
    assertThat(out.size()).isEqualTo(1);
    assertThat(out.item(0)).isEqualTo("first");
    assertThat(calendar.earliest()).isEqualTo(SLOTS * SLOT + 9);
  }

  @Test
  void refusesAnEventBeforeWhatWasTaken() {
    EventCalendar calendar = new EventCalendar(SLOT, SLOTS);
    calendar.takeUntil(5 * SLOT, new EventBatch());
    assertThatThrownBy(() -> calendar.add(5 * SLOT - 1, 0, "late", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before the calendar's first slot");
  }
}
