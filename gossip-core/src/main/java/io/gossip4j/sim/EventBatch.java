package io.gossip4j.sim;

import java.util.Arrays;

/**
 * Events one simulator worker made for another's nodes during a time window, held until the
 * window ends and the other worker takes them into its {@link EventQueue}. Written by one thread
 * and read by another only after both passed the window's barrier. Primitive arrays, as in the
 * queue, so handing an event over allocates nothing.
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

  /** The time of the earliest event held, {@link Long#MAX_VALUE} when empty. */
  long earliest() {
    return earliest;
  }

  /** Moves every event into {@code queue}, leaving this batch empty. */
  void drainTo(EventQueue<Object> queue) {
    for (int i = 0; i < size; i++) {
      queue.add(times[i], seqs[i], items[i], tags[i]);
      items[i] = null;
    }
    size = 0;
    earliest = Long.MAX_VALUE;
  }
}
