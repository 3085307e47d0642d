package io.gossip4j.plumtree;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of recently seen messages, each with its origin: PlumTree's dedup set. Entries expire
 * a fixed time after insertion and there are never more than a count of them; past it the
 * oldest is forgotten.
 *
 * <p>It holds a million ids at its default bound, each for 90 s, so its layout is what the
 * garbage collector sees: ids live as bytes in flat arrays (a ring in insertion order, which is
 * also expiry order) with an open-addressing index over them, never as one object per entry. A
 * map of {@link MessageId} objects cost about 150 bytes and four traced objects per id, and under
 * load the collector's copying of them took more CPU than the protocol itself.
 */
final class SeenIds {
  private static final int MIN_RING = 256;
  /** Distinct origins whose shared instance is kept; past it the table starts afresh. */
  private static final int MAX_INTERNED = 4096;

  private final long retentionNanos;
  private final int maxCount;
  /** One instance per origin, so entries do not keep each message's decoded copy alive. */
  private final Map<NodeId, NodeId> interned = new HashMap<>();
  /**
   * The id inserted last and when it expires: an IHAVE mostly announces the message that came
   * just before it, and this answers without the index and the ring, which no cache holds.
   */
  private MessageId newest;
  private long newestExpiresAt;

  /** The instance last interned, and its shared instance. */
  private NodeId lastOrigin;
  private NodeId lastShared;
  /** The ring: slot {@code s} holds bytes {@code 32 s .. 32 s + 31} of {@code ids}. */
  private byte[] ids;
  private int[] hashes;
  private long[] expiresAt;
  private NodeId[] origins;
  /** Slot of the oldest entry, and how many there are from it on. */
  private int head;
  private int size;
  /** Linear-probing index: slot + 1 of an entry, 0 for empty; always at most half full. */
  private int[] index;

  SeenIds(long retentionNanos, int maxCount) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be at least 1, got " + maxCount);
    }
    this.retentionNanos = retentionNanos;
    this.maxCount = maxCount;
    allocate(Math.min(MIN_RING, maxCount));
  }

  /**
   * Remembers {@code id} unless it is already here (the first insertion's expiry stands); the
   * oldest entry goes when the count bound is reached.
   */
  void putIfAbsent(MessageId id, NodeId origin, long nowNanos) {
    if (find(id) >= 0) {
      return;
    }
    if (size == ring()) {
      if (ring() < maxCount) {
        grow();
      } else {
        removeOldest();
      }
    }
    int slot = slotAt(size);
    id.copyTo(ids, slot * Id32.LENGTH);
    hashes[slot] = id.hashCode();
    expiresAt[slot] = nowNanos + retentionNanos;
    origins[slot] = intern(origin);
    size++;
    int pos = home(id.hashCode());
    while (index[pos] != 0) {
      pos = (pos + 1) & (index.length - 1);
    }
    index[pos] = slot + 1;
    newest = id;
    newestExpiresAt = expiresAt[slot];
  }

  /** The origin of {@code id} if it is here and not expired, else null. */
  NodeId get(MessageId id, long nowNanos) {
    int slot = find(id);
    return slot < 0 || expiresAt[slot] <= nowNanos ? null : origins[slot];
  }

  /** Whether {@code id} is here and not expired. */
  boolean contains(MessageId id, long nowNanos) {
    if (id.equals(newest)) {
      return newestExpiresAt > nowNanos;
    }
    int slot = find(id);
    return slot >= 0 && expiresAt[slot] > nowNanos; // the origins array is not read
  }

  /** Forgets every expired entry; they are the oldest, so this stops at the first live one. */
  void evictExpired(long nowNanos) {
    while (size > 0 && expiresAt[head] <= nowNanos) {
      removeOldest();
    }
    if (size == 0 && ring() > MIN_RING) {
      allocate(Math.min(MIN_RING, maxCount)); // an idle topic gives its memory back
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  private NodeId intern(NodeId origin) {
    if (origin == lastOrigin) {
      return lastShared; // most messages come from the origin of the one before
    }
    NodeId shared = interned.get(origin);
    if (shared == null) {
      if (interned.size() >= MAX_INTERNED) {
        interned.clear();
      }
      interned.put(origin, origin);
      shared = origin;
    }
    lastOrigin = origin;
    lastShared = shared;
    return shared;
  }

  // ---- the ring and its index -------------------------------------------------------------

  private int ring() {
    return hashes.length;
  }

  /** The slot of the {@code n}-th oldest entry. */
  private int slotAt(int n) {
    int slot = head + n;
    return slot >= ring() ? slot - ring() : slot;
  }

  private int home(int hash) {
    // Fibonacci hashing spreads the id's hash over the index whatever its low bits are.
    return (hash * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(index.length));
  }

  /** The slot holding {@code id}, or -1. */
  private int find(MessageId id) {
    int hash = id.hashCode();
    int mask = index.length - 1;
    for (int pos = home(hash); index[pos] != 0; pos = (pos + 1) & mask) {
      int slot = index[pos] - 1;
      if (hashes[slot] == hash && id.contentEquals(ids, slot * Id32.LENGTH)) {
        return slot;
      }
    }
    return -1;
  }

  private void removeOldest() {
    if (size == 1) {
      newest = null; // the oldest is the newest
    }
    int slot = head;
    int mask = index.length - 1;
    int pos = home(hashes[slot]);
    while (index[pos] != slot + 1) {
      pos = (pos + 1) & mask;
    }
    // Backward-shift deletion: later entries of the probe run move up so no lookup stops early.
    int hole = pos;
    for (int next = (hole + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
      int want = home(hashes[index[next] - 1]);
      // Move it into the hole unless its home lies cyclically in (hole, next].
      boolean homeAfterHole = hole <= next ? (hole < want && want <= next)
          : (hole < want || want <= next);
      if (!homeAfterHole) {
        index[hole] = index[next];
        hole = next;
      }
    }
    index[hole] = 0;
    origins[slot] = null;
    head = slotAt(1);
    size--;
  }

  private void grow() {
    byte[] oldIds = ids;
    int[] oldHashes = hashes;
    long[] oldExpires = expiresAt;
    NodeId[] oldOrigins = origins;
    int oldHead = head;
    int count = size;
    int oldRing = oldHashes.length;
    allocate((int) Math.min((long) oldRing * 2, maxCount));
    for (int n = 0; n < count; n++) {
      int from = (oldHead + n) % oldRing;
      System.arraycopy(oldIds, from * Id32.LENGTH, ids, n * Id32.LENGTH, Id32.LENGTH);
      hashes[n] = oldHashes[from];
      expiresAt[n] = oldExpires[from];
      origins[n] = oldOrigins[from];
      int pos = home(hashes[n]);
      while (index[pos] != 0) {
        pos = (pos + 1) & (index.length - 1);
      }
      index[pos] = n + 1;
    }
    size = count;
  }

  private void allocate(int ringSize) {
    ids = new byte[ringSize * Id32.LENGTH];
    hashes = new int[ringSize];
    expiresAt = new long[ringSize];
    origins = new NodeId[ringSize];
    index = new int[Integer.highestOneBit(ringSize) << 2];
    head = 0;
    size = 0;
  }
}
