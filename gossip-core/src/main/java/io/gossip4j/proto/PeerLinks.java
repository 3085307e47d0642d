package io.gossip4j.proto;

import io.gossip4j.NodeId;
import java.util.Arrays;
import java.util.Set;

/**
 * The peers a node holds (or is making) connections to: a set looked up for every message sent
 * and received, so open addressing over two arrays, the ids and their hashes, rather than a
 * {@link java.util.HashSet}, whose lookup also reads an entry object per peer.
 */
final class PeerLinks {
  private static final int MIN_CAPACITY = 16;

  private NodeId[] ids = new NodeId[MIN_CAPACITY];
  private int[] hashes = new int[MIN_CAPACITY];
  private int size;

  boolean contains(NodeId peer) {
    return slotOf(peer) >= 0;
  }

  /** Adds the peer; returns whether it was not here. */
  boolean add(NodeId peer) {
    if (slotOf(peer) >= 0) {
      return false;
    }
    if (2 * (size + 1) > ids.length) {
      rehash(ids.length * 2);
    }
    insert(peer);
    size++;
    return true;
  }

  /** Removes the peer; returns whether it was here. */
  boolean remove(NodeId peer) {
    int hole = slotOf(peer);
    if (hole < 0) {
      return false;
    }
    int mask = ids.length - 1;
    // Backward-shift deletion: later entries of the probe run move up so no lookup stops early.
    for (int next = (hole + 1) & mask; ids[next] != null; next = (next + 1) & mask) {
      int want = home(hashes[next]);
      boolean homeAfterHole = hole <= next ? (hole < want && want <= next)
          : (hole < want || want <= next);
      if (!homeAfterHole) {
        ids[hole] = ids[next];
        hashes[hole] = hashes[next];
        hole = next;
      }
    }
    ids[hole] = null;
    size--;
    return true;
  }

  int size() {
    return size;
  }

  /** The peers, in no particular but a deterministic order. */
  NodeId[] toArray() {
    NodeId[] out = new NodeId[size];
    int n = 0;
    for (NodeId id : ids) {
      if (id != null) {
        out[n++] = id;
      }
    }
    return out;
  }

  Set<NodeId> toSet() {
    return Set.of(toArray());
  }

  private int slotOf(NodeId peer) {
    int hash = peer.hashCode();
    int mask = ids.length - 1;
    for (int pos = home(hash); ids[pos] != null; pos = (pos + 1) & mask) {
      if (hashes[pos] == hash && (ids[pos] == peer || ids[pos].equals(peer))) {
        return pos;
      }
    }
    return -1;
  }

  private void insert(NodeId peer) {
    int hash = peer.hashCode();
    int mask = ids.length - 1;
    int pos = home(hash);
    while (ids[pos] != null) {
      pos = (pos + 1) & mask;
    }
    ids[pos] = peer;
    hashes[pos] = hash;
  }

  private void rehash(int capacity) {
    NodeId[] old = ids;
    ids = new NodeId[capacity];
    hashes = new int[capacity];
    for (NodeId id : old) {
      if (id != null) {
        insert(id);
      }
    }
  }

  private int home(int hash) {
    // Fibonacci hashing spreads the id's hash over the table whatever its low bits are.
    return (hash * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(ids.length));
  }

  @Override
  public String toString() {
    return Arrays.toString(toArray());
  }
}
