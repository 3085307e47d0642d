package io.gossip4j.wire;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One range of a SYNC message (docs/wire-format.md, section 5.6): the message ids from the
 * previous range's upper bound (the first range: from the smallest id) up to, but without, this
 * range's {@link #upper} bound, and what the sender says of its own ids there.
 */
public sealed interface SyncRange {

  /** Longest fingerprint: 16 bytes. */
  int FINGERPRINT_LENGTH = 16;

  /**
   * The exclusive upper bound: the ids below {@code prefix} padded with zero bytes to 32, or
   * every id when {@code prefix} is empty (the end of the id space). Not copied; do not modify.
   */
  byte[] upper();

  /** Nothing to say: the two sides agree here, or the sender asks nothing more of it. */
  record Skip(byte[] upper) implements SyncRange {
    public Skip {
      upper = checkBound(upper);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Skip s && Arrays.equals(s.upper, upper);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
      return "Skip[" + hex(upper) + "]";
    }
  }

  /** The sender holds {@code count} ids here, whose fingerprint is {@code fingerprint}. */
  record Fingerprint(byte[] upper, int count, byte[] fingerprint) implements SyncRange {
    public Fingerprint {
      upper = checkBound(upper);
      Objects.requireNonNull(fingerprint, "fingerprint");
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0, was " + count);
      }
      if (fingerprint.length != FINGERPRINT_LENGTH) {
        throw new IllegalArgumentException("fingerprint must be " + FINGERPRINT_LENGTH
            + " bytes, was " + fingerprint.length);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fingerprint f && Arrays.equals(f.upper, upper) && f.count == count
          && Arrays.equals(f.fingerprint, fingerprint);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upper) * 31 + count;
    }

    @Override
    public String toString() {
      return "Fingerprint[" + hex(upper) + ", count=" + count + "]";
    }
  }

  /** Every id the sender holds here; the receiver answers with the ones the sender lacks. */
  record Ids(byte[] upper, List<MessageId> ids) implements SyncRange {
    public Ids {
      upper = checkBound(upper);
      ids = List.copyOf(ids);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ids i && Arrays.equals(i.upper, upper) && i.ids.equals(ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upper) * 31 + ids.hashCode();
    }

    @Override
    public String toString() {
      return "Ids[" + hex(upper) + ", " + ids.size() + " ids]";
    }
  }

  /**
   * Ids the sender holds here and the receiver does not: the receiver asks for the ones it has
   * not seen with a WANT. Ends the exchange for this range.
   */
  record Offer(byte[] upper, List<MessageId> ids) implements SyncRange {
    public Offer {
      upper = checkBound(upper);
      ids = List.copyOf(ids);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Offer i && Arrays.equals(i.upper, upper) && i.ids.equals(ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upper) * 31 + ids.hashCode();
    }

    @Override
    public String toString() {
      return "Offer[" + hex(upper) + ", " + ids.size() + " ids]";
    }
  }

  /** The bound of the end of the id space: every id is below it. */
  static byte[] end() {
    return new byte[0];
  }

  /**
   * Compares an id with a bound: negative when the id is below it. The end of the id space is
   * above every id.
   */
  static int compare(MessageId id, byte[] upper) {
    if (upper.length == 0) {
      return -1;
    }
    byte[] padded = Arrays.copyOf(upper, Id32.LENGTH);
    return Arrays.compareUnsigned(id.toBytes(), padded);
  }

  /**
   * Compares two bounds: the empty one (the end) is the largest; others as their 32-byte
   * zero-padded values.
   */
  static int compareBounds(byte[] a, byte[] b) {
    if (a.length == 0 || b.length == 0) {
      return Boolean.compare(a.length == 0, b.length == 0);
    }
    return Arrays.compareUnsigned(Arrays.copyOf(a, Id32.LENGTH), Arrays.copyOf(b, Id32.LENGTH));
  }

  private static byte[] checkBound(byte[] upper) {
    Objects.requireNonNull(upper, "upper");
    if (upper.length > Id32.LENGTH) {
      throw new IllegalArgumentException(
          "a bound has at most " + Id32.LENGTH + " bytes, was " + upper.length);
    }
    return upper;
  }

  private static String hex(byte[] upper) {
    if (upper.length == 0) {
      return "end";
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : upper) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
