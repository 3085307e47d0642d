package io.gossip4j.sim;

import java.util.Arrays;

/**
 * Events held in the order they were added: those one simulator worker made for another's nodes
 * during a time window, until the window ends and the other worker takes them into its {@link
 * EventCalendar} (written by one thread and read by another only after both passed the window's
 * barrier), a slot of a calendar, or the events of the window a worker is running. Primitive
 * arrays, as in {@link EventQueue}, so holding an event allocates nothing; they keep the size of
 * the most the batch ever held.
 */
final class EventBatch {
  private long[] times = new long[256];
  private long[] seqs = new long[256];
  private long[] tags = new long[256];
  private Object[] items = new Object[256];
  private int size;
  private long earliest = Long.MAX_VALUE;

  void add(long time, long seq, Object item, long tag) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      seqs = Arrays.copyOf(seqs, size * 2);
      tags = Arrays.copyOf(tags, size * 2);
      items = Arrays.copyOf(items, size * 2);
    }
    times[size] = time;
    seqs[size] = seq;
    tags[size] = tag;
    items[size] = item;
    size++;
    earliest = Math.min(earliest, time);
  }

  int size() {
    return size;
  }

  long time(int i) {
    return times[i];
  }

  long seq(int i) {
    return seqs[i];
  }

  long tag(int i) {
    return tags[i];
  }

  Object item(int i) {
    return items[i];
  }

  /** Forgets every event. */
  void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
    earliest = Long.MAX_VALUE;
  }

  /** The time of the earliest event held, {@link Long#MAX_VALUE} when empty. */
  long earliest() {
    return earliest;
  }

  /** Moves every event into {@code calendar}, leaving this batch empty. */
  void drainTo(EventCalendar calendar) {
    for (int i = 0; i < size; i++) {
      calendar.add(times[i], seqs[i], items[i], tags[i]);
    }
    clear();
  }

  /** Moves every event to the end of {@code out}, leaving this batch empty. */
  void drainTo(EventBatch out) {
    for (int i = 0; i < size; i++) {
      out.add(times[i], seqs[i], items[i], tags[i]);
    }
    clear();
  }

  /** Moves the events due by {@code end} to the end of {@code out}; the others stay. */
  void moveDueTo(long end, EventBatch out) {
    int kept = 0;
    long keptEarliest = Long.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      if (times[i] <= end) {
        out.add(times[i], seqs[i], items[i], tags[i]);
      } else {
        times[kept] = times[i];
        seqs[kept] = seqs[i];
        tags[kept] = tags[i];
        items[kept] = items[i];
        keptEarliest = Math.min(keptEarliest, times[i]);
        kept++;
      }
    }
    Arrays.fill(items, kept, size, null);
    size = kept;
    earliest = keptEarliest;
  }
}
