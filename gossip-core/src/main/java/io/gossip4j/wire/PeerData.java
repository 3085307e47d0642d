package io.gossip4j.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Opaque data a node publishes about itself, in practice its socket addresses, so that a node
 * which learns of it through the protocol can dial it. The core never interprets it.
 */
public final class PeerData {
  /** Largest peer data accepted, in bytes: a few addresses fit comfortably. */
  public static final int MAX_LENGTH = 1024;

  /** No data: the peer can only be reached if the transport already knows how. */
  public static final PeerData EMPTY = new PeerData(new byte[0]);

  private final byte[] bytes;

  private PeerData(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Peer data holding a copy of {@code bytes}, at most {@link #MAX_LENGTH} long. */
  public static PeerData of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "peer data of " + bytes.length + " bytes exceeds the limit " + MAX_LENGTH);
    }
    return bytes.length == 0 ? EMPTY : new PeerData(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof PeerData other && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PeerData[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
