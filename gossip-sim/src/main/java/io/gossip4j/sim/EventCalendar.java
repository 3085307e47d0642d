package io.gossip4j.sim;

/**
 * A simulator worker's future events, for runs in windows: slots of virtual time of a fixed
 * length, each an unordered {@link EventBatch}, in a ring that reaches {@code slots} slots ahead;
 * events further ahead wait in an {@link EventQueue} until the ring reaches them. Each slot keeps
 * arrays as large as the most events it ever held, so the ring's memory is its length times its
 * busiest slot: keep it short.
 *
 * <p>A window's events are taken out all at once and in no particular order, which is all a
 * window needs (its nodes run one after the other, each sorting its own few events). Adding an
 * event appends it to its slot's arrays, and taking a window reads them in order: no heap is
 * sifted, and the heap's lower levels, which no cache held, were read at each event.
 */
final class EventCalendar {
  private final long slotNanos;
  private final EventBatch[] ring;
  /** The slot of the earliest event the ring may hold; it holds slots up to this + ring - 1. */
  private long firstSlot;
  private int inRing;
  private final EventQueue<Object> later = new EventQueue<>();

  /**
   * @param slotNanos the length of a slot, at least 1 (the window's, so a window spans at most
   *     two slots)
   * @param slots how many slots the ring holds, a power of two
   */
  EventCalendar(long slotNanos, int slots) {
    if (slotNanos < 1 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException(
          "slotNanos must be at least 1 and slots a power of two, were " + slotNanos + ", "
              + slots);
    }
    this.slotNanos = slotNanos;
    this.ring = new EventBatch[slots];
    for (int i = 0; i < slots; i++) {
      ring[i] = new EventBatch();
    }
  }

  /**
   * Adds an event due at {@code time}, which must not fall in a slot before the one of the last
   * {@link #takeUntil} end; from that end on (the end itself included) it is taken next.
   */
  void add(long time, long seq, Object item, long tag) {
    long slot = time / slotNanos;
    if (slot < firstSlot) {
      throw new IllegalArgumentException("an event at " + time + " is before the calendar's "
          + "first slot, which begins at " + firstSlot * slotNanos);
    }
    if (slot - firstSlot < ring.length) {
      ring[(int) (slot & (ring.length - 1))].add(time, seq, item, tag);
      inRing++;
    } else {
      later.add(time, seq, item, tag);
    }
  }

  boolean isEmpty() {
    return inRing == 0 && later.isEmpty();
  }

  /** The time of the earliest event, {@link Long#MAX_VALUE} when empty. */
  long earliest() {
    if (inRing == 0) {
      return later.isEmpty() ? Long.MAX_VALUE : later.peekTime();
    }
    // Events beyond the ring are due after every event in it: the first busy slot has it.
    for (long slot = firstSlot; slot < firstSlot + ring.length; slot++) {
      EventBatch batch = ring[(int) (slot & (ring.length - 1))];
      if (batch.size() > 0) {
        return batch.earliest();
      }
    }
    throw new IllegalStateException(inRing + " events counted in the ring, none found");
  }

  /**
   * Moves every event due by {@code end} into {@code out}, in no particular order. The caller
   * adds none due by {@code end} after this; those of {@code end}'s slot after it are fine.
   */
  void takeUntil(long end, EventBatch out) {
    long endSlot = end / slotNanos;
    if (endSlot < firstSlot) {
      return;
    }
    long last = Math.min(endSlot, firstSlot + ring.length - 1);
    for (long slot = firstSlot; slot <= last && inRing > 0; slot++) {
      EventBatch batch = ring[(int) (slot & (ring.length - 1))];
      int before = batch.size();
      if (slot < endSlot) {
        batch.drainTo(out);
      } else {
        batch.moveDueTo(end, out);
      }
      inRing -= before - batch.size();
    }
    // A window that starts beyond the ring's reach takes its events from the queue behind it.
    while (!later.isEmpty() && later.peekTime() <= end) {
      long time = later.peekTime();
      long seq = later.peekSeq();
      long tag = later.peekTag();
      out.add(time, seq, later.poll(), tag);
    }
    firstSlot = endSlot;
    long reach = firstSlot + ring.length;
    while (!later.isEmpty() && later.peekTime() / slotNanos < reach) {
      long time = later.peekTime();
      long seq = later.peekSeq();
      long tag = later.peekTag();
      ring[(int) (time / slotNanos & (ring.length - 1))].add(time, seq, later.poll(), tag);
      inRing++;
    }
  }
}
