package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * PlumTree's neighbors in the order they came up, with their ids' hashes beside them: asked for
 * every message received and walked for every payload pushed, and only a handful, so a scan of
 * an int array instead of a linked hash set, whose lookup followed three pointers, and whose
 * walk read each neighbor's id to skip the sender.
 */
final class Neighbors {
  private NodeId[] ids = new NodeId[8];
  private int[] hashes = new int[8];
  private long[] upAt = new long[8];
  private int size;

  boolean contains(NodeId peer) {
    return indexOf(peer) >= 0;
  }

  /** Adds the peer last, up since {@code nowNanos}, unless it is here. */
  void add(NodeId peer, long nowNanos) {
    if (indexOf(peer) >= 0) {
      return;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
      upAt = Arrays.copyOf(upAt, size * 2);
    }
    ids[size] = peer;
    hashes[size] = peer.hashCode();
    upAt[size] = nowNanos;
    size++;
  }

  /** Removes the peer, keeping the others' order. */
  void remove(NodeId peer) {
    int i = indexOf(peer);
    if (i < 0) {
      return;
    }
    System.arraycopy(ids, i + 1, ids, i, size - i - 1);
    System.arraycopy(hashes, i + 1, hashes, i, size - i - 1);
    System.arraycopy(upAt, i + 1, upAt, i, size - i - 1);
    ids[--size] = null;
  }

  int size() {
    return size;
  }

  /** The {@code i}-th neighbor, in the order they came up. */
  NodeId get(int i) {
    return ids[i];
  }

  /** When the link to the {@code i}-th neighbor came up. */
  long upAt(int i) {
    return upAt[i];
  }

  /** Whether the {@code i}-th neighbor is {@code peer}, reading its id only if the hash matches. */
  boolean is(int i, NodeId peer, int peerHash) {
    return hashes[i] == peerHash && ids[i].equals(peer);
  }

  /** The neighbors, in the order they came up. */
  Set<NodeId> toSet() {
    return new LinkedHashSet<>(Arrays.asList(ids).subList(0, size));
  }

  private int indexOf(NodeId peer) {
    int hash = peer.hashCode();
    for (int i = 0; i < size; i++) {
      if (is(i, peer, hash)) {
        return i;
      }
    }
    return -1;
  }
}
