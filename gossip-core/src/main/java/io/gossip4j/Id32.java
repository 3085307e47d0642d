package io.gossip4j;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte identifier: node ids (Ed25519 public keys), topic ids and message ids share this
 * representation, ordering and printable forms.
 */
public abstract sealed class Id32 implements Comparable<Id32> permits NodeId, TopicId, MessageId {
  /** Length of every id in bytes. */
  public static final int LENGTH = 32;

  private static final int SHORT_HEX_BYTES = 5;

  private final byte[] bytes;
  private final int hash;

  Id32(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs " + LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes.clone();
    this.hash = hashOf(this.bytes);
  }

  /** Reads the next 32 bytes of {@code src} (which must have them) into a new id. */
  Id32(ByteBuffer src) {
    if (src.remaining() < LENGTH) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs " + LENGTH + " bytes, " + src.remaining()
              + " remain");
    }
    this.bytes = new byte[LENGTH];
    src.get(this.bytes);
    this.hash = hashOf(this.bytes);
  }

  /**
   * Ids are public keys and hashes, uniformly spread: the first eight bytes hash as well as
   * all 32, at a quarter of the work. Colliding on purpose only slows the attacker's own
   * entries, since equal hashes in a HashMap bin fall back to the ids' order.
   */
  private static int hashOf(byte[] bytes) {
    long head = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      head = (head << 8) | (bytes[i] & 0xff);
    }
    return (int) (head ^ (head >>> 32));
  }

  static byte[] parseHex(String hex, String kind) {
    Objects.requireNonNull(hex, kind);
    if (hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException(
          kind + " must be " + (LENGTH * 2) + " hex characters, got " + hex.length());
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(kind + " is not valid hex: " + hex, e);
    }
  }

  /** A copy of the 32 bytes. */
  public final byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code dst} at {@code offset}, without allocating. */
  public final void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  /** Whether {@code src} holds this id's 32 bytes at {@code offset}, without allocating. */
  public final boolean contentEquals(byte[] src, int offset) {
    return Arrays.equals(bytes, 0, LENGTH, src, offset, offset + LENGTH);
  }

  /** Writes the 32 bytes at {@code dst}'s position, in one bulk copy. */
  public final void writeTo(ByteBuffer dst) {
    dst.put(bytes);
  }

  /** All 64 lowercase hex characters. */
  public final String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 10 hex characters: enough to tell ids apart in logs. */
  public final String shortHex() {
    return HexFormat.of().formatHex(bytes, 0, SHORT_HEX_BYTES);
  }

  /** Unsigned lexicographic order of the bytes; ids of different kinds order by kind first. */
  @Override
  public final int compareTo(Id32 other) {
    if (other.getClass() != getClass()) {
      return getClass().getName().compareTo(other.getClass().getName());
    }
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public final boolean equals(Object o) {
    return o == this
        || (o instanceof Id32 other
            && other.getClass() == getClass()
            && other.hash == hash
            && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public final int hashCode() {
    return hash;
  }

  @Override
  public final String toString() {
    return shortHex();
  }
}
