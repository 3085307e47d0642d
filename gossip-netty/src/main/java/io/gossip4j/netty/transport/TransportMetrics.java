package io.gossip4j.netty.transport;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one node's transport, updated on its event loop and read from any thread: frames
 * and bytes in and out per wire type code (0 to 15), and connection events.
 */
public final class TransportMetrics {
  /** Number of wire type codes: the low nibble of a frame's first byte. */
  public static final int TYPES = 16;

  final AtomicLongArray framesIn = new AtomicLongArray(TYPES);
  final AtomicLongArray bytesIn = new AtomicLongArray(TYPES);
  final AtomicLongArray framesOut = new AtomicLongArray(TYPES);
  final AtomicLongArray bytesOut = new AtomicLongArray(TYPES);
  final LongAdder opened = new LongAdder();
  final LongAdder replaced = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder overflowed = new LongAdder();
  final LongAdder rejectedFrames = new LongAdder();
  final LongAdder refused = new LongAdder();

  void countIn(int type, int bytes) {
    framesIn.incrementAndGet(type);
    bytesIn.addAndGet(type, bytes);
  }

  void countOut(int type, int bytes) {
    framesOut.incrementAndGet(type);
    bytesOut.addAndGet(type, bytes);
  }

  /** Frames received of a wire type. */
  public long framesIn(int type) {
    return framesIn.get(type);
  }

  /** Body bytes received of a wire type (the 4-byte length prefix not counted). */
  public long bytesIn(int type) {
    return bytesIn.get(type);
  }

  /** Frames sent of a wire type. */
  public long framesOut(int type) {
    return framesOut.get(type);
  }

  /** Body bytes sent of a wire type. */
  public long bytesOut(int type) {
    return bytesOut.get(type);
  }

  /** Connections that became the one channel to a peer. */
  public long connectionsOpened() {
    return opened.sum();
  }

  /** Connections closed because another one to the same peer won the tie-break. */
  public long connectionsReplaced() {
    return replaced.sum();
  }

  /** Dials that failed: refused, timed out, or failed authentication. */
  public long connectionsFailed() {
    return failed.sum();
  }

  /** Peers disconnected because their outbound queue overflowed. */
  public long queueOverflows() {
    return overflowed.sum();
  }

  /** Accepted connections closed at once: over a connection or pending-handshake cap. */
  public long connectionsRefused() {
    return refused.sum();
  }

  /** Connections closed for a malformed or oversized frame. */
  public long rejectedFrames() {
    return rejectedFrames.sum();
  }
}
