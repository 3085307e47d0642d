package io.gossip4j.sim;

import java.util.Arrays;

/**
 * The simulator's event queue: a 4-ary min-heap ordered by (time, sequence number), with the
 * keys in primitive arrays so a comparison never follows a pointer. The caller gives each event
 * a sequence number unique among those due at the same time, so the order never depends on the
 * order of insertion: events made on different threads can meet in one queue and come out in
 * the same order every run. Each event may carry a tag of the caller's, kept beside it so that
 * the caller needs no wrapper object per event.
 *
 * @param <T> the events
 */
final class EventQueue<T> {
  private long[] times = new long[1024];
  private long[] seqs = new long[1024];
  private long[] tags = new long[1024];
  private Object[] items = new Object[1024];
  private int size;

  void add(long time, long seq, T item, long tag) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      seqs = Arrays.copyOf(seqs, size * 2);
      tags = Arrays.copyOf(tags, size * 2);
      items = Arrays.copyOf(items, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      if (times[parent] < time || (times[parent] == time && seqs[parent] < seq)) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    tags[i] = tag;
    items[i] = item;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the first event; only when not empty. */
  long peekTime() {
    return times[0];
  }

  /** The sequence number of the first event; only when not empty. */
  long peekSeq() {
    return seqs[0];
  }

  /** The tag of the first event; only when not empty. */
  long peekTag() {
    return tags[0];
  }

  /** Removes and returns the first event; only when not empty. */
  @SuppressWarnings("unchecked")
  T poll() {
    T first = (T) items[0];
    int last = --size;
    long time = times[last];
    long seq = seqs[last];
    long tag = tags[last];
    Object item = items[last];
    items[last] = null;
    int i = 0;
    while (true) {
      int child = 4 * i + 1;
      if (child >= size) {
        break;
      }
      int best = child;
      int end = Math.min(child + 4, size);
      for (int c = child + 1; c < end; c++) {
        if (times[c] < times[best] || (times[c] == times[best] && seqs[c] < seqs[best])) {
          best = c;
        }
      }
      if (time < times[best] || (time == times[best] && seq < seqs[best])) {
        break;
      }
      move(best, i);
      i = best;
    }
    if (size > 0) {
      times[i] = time;
      seqs[i] = seq;
      tags[i] = tag;
      items[i] = item;
    }
    return first;
  }

  int size() {
    return size;
  }

  private void move(int from, int to) {
    times[to] = times[from];
    seqs[to] = seqs[from];
    tags[to] = tags[from];
    items[to] = items[from];
  }
}
