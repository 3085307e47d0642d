package io.gossip4j.sim;

import java.util.Arrays;

/** A growable list of ints, without boxing: the simulator keeps millions of latencies. */
final class IntList {
  private int[] values = new int[16];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  int get(int index) {
    return values[index];
  }

  /** Appends the values to {@code dst} from {@code offset}; returns the offset after them. */
  int copyTo(int[] dst, int offset) {
    System.arraycopy(values, 0, dst, offset, size);
    return offset + size;
  }
}
