package io.gossip4j.hyparview;

import io.gossip4j.NodeId;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One of HyParView's views: a bounded set of peers with their data, with add, remove, lookup
 * and uniform random choice. Removal swaps the last element into the hole, which keeps
 * the order deterministic for a given sequence of operations.
 */
final class PeerView {
  private final int capacity;
  /**
   * The peers in slots 0 to size - 1, with their ids' hashes beside them: a view holds tens of
   * peers, and scanning an int array for a hash touches a cache line or two where a hash map
   * follows three pointers per lookup. Membership checks run for every message a node handles.
   */
  private PeerInfo[] peers = new PeerInfo[4];
  private int[] hashes = new int[4];
  private int size;

  PeerView(int capacity) {
    this.capacity = capacity;
  }

  boolean contains(NodeId id) {
    return indexOf(id) >= 0;
  }

  private int indexOf(NodeId id) {
    int hash = id.hashCode();
    for (int i = 0; i < size; i++) {
      if (hashes[i] == hash && peers[i].id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** The peer's data, or null when it is not in this view. */
  PeerData dataOf(NodeId id) {
    int i = indexOf(id);
    return i < 0 ? null : peers[i].data();
  }

  /** Adds the peer (the caller makes room first); replaces its data when already present. */
  void put(PeerInfo peer) {
    int i = indexOf(peer.id());
    if (i >= 0) {
      if (!peer.data().isEmpty()) {
        peers[i] = peer;
      }
      return;
    }
    if (isFull()) {
      throw new IllegalStateException("view full: make room before adding " + peer.id());
    }
    if (size == peers.length) {
      int grown = Math.min(capacity, 2 * size);
      peers = Arrays.copyOf(peers, grown);
      hashes = Arrays.copyOf(hashes, grown);
    }
    peers[size] = peer;
    hashes[size] = peer.id().hashCode();
    size++;
  }

  /** Removes the peer; returns whether it was there. */
  boolean remove(NodeId id) {
    int i = indexOf(id);
    if (i < 0) {
      return false;
    }
    size--;
    peers[i] = peers[size];
    hashes[i] = hashes[size];
    peers[size] = null;
    return true;
  }

  /** A uniformly random peer not in {@code exclude}, or null when there is none. */
  NodeId random(RandomGenerator rng, List<NodeId> exclude) {
    int i = pick(rng, exclude);
    return i < 0 ? null : peers[i].id();
  }

  /**
   * The index of a uniformly random peer not in {@code exclude}, or -1: the same choice and the
   * same draw from {@code rng} as a sample of one, without its copies.
   */
  private int pick(RandomGenerator rng, List<NodeId> exclude) {
    if (exclude.isEmpty()) {
      return size == 0 ? -1 : rng.nextInt(size);
    }
    int candidates = 0;
    for (int i = 0; i < size; i++) {
      if (!excluded(i, exclude)) {
        candidates++;
      }
    }
    if (candidates == 0) {
      return -1;
    }
    int pick = rng.nextInt(candidates);
    for (int i = 0; i < size; i++) {
      if (!excluded(i, exclude) && pick-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable: " + candidates + " candidates counted");
  }

  /**
   * Whether slot {@code i} holds one of {@code exclude}: hashes first, as in lookups. By index:
   * an iterator per slot was two fifths of the simulator's allocation.
   */
  private boolean excluded(int i, List<NodeId> exclude) {
    for (int k = 0; k < exclude.size(); k++) {
      NodeId x = exclude.get(k);
      if (x.hashCode() == hashes[i] && x.equals(peers[i].id())) {
        return true;
      }
    }
    return false;
  }

  /** Up to {@code count} distinct random peers not in {@code exclude}. */
  List<PeerInfo> sample(RandomGenerator rng, int count, List<NodeId> exclude) {
    if (count == 1) {
      int i = pick(rng, exclude);
      return i < 0 ? new ArrayList<>() : new ArrayList<>(List.of(peers[i]));
    }
    List<PeerInfo> candidates = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      if (!excluded(i, exclude)) {
        candidates.add(peers[i]);
      }
    }
    int n = Math.min(count, candidates.size());
    // Partial Fisher-Yates: the first n slots become a uniform sample.
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(candidates.size() - i);
      PeerInfo tmp = candidates.get(i);
      candidates.set(i, candidates.get(j));
      candidates.set(j, tmp);
    }
    return new ArrayList<>(candidates.subList(0, n));
  }

  List<NodeId> ids() {
    List<NodeId> ids = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(peers[i].id());
    }
    return ids;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean isFull() {
    return size >= capacity;
  }
}
