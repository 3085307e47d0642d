package io.gossip4j.hyparview;

import io.gossip4j.NodeId;
import io.gossip4j.PeerData;
import io.gossip4j.PeerInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One of HyParView's views: a bounded set of peers with their data, supporting O(1) add, remove,
 * lookup and uniform random choice. Removal swaps the last element into the hole, which keeps
 * the order deterministic for a given sequence of operations.
 */
final class PeerView {
  private final int capacity;
  private final List<PeerInfo> peers = new ArrayList<>();
  private final Map<NodeId, Integer> index = new HashMap<>();

  PeerView(int capacity) {
    this.capacity = capacity;
  }

  boolean contains(NodeId id) {
    return index.containsKey(id);
  }

  /** The peer's data, or null when it is not in this view. */
  PeerData dataOf(NodeId id) {
    Integer i = index.get(id);
    return i == null ? null : peers.get(i).data();
  }

  /** Adds the peer (the caller makes room first); replaces its data when already present. */
  void put(PeerInfo peer) {
    Integer i = index.get(peer.id());
    if (i != null) {
      if (!peer.data().isEmpty()) {
        peers.set(i, peer);
      }
      return;
    }
    if (isFull()) {
      throw new IllegalStateException("view full: make room before adding " + peer.id());
    }
    index.put(peer.id(), peers.size());
    peers.add(peer);
  }

  /** Removes the peer; returns whether it was there. */
  boolean remove(NodeId id) {
    Integer i = index.remove(id);
    if (i == null) {
      return false;
    }
    PeerInfo last = peers.remove(peers.size() - 1);
    if (i < peers.size()) {
      peers.set(i, last);
      index.put(last.id(), i);
    }
    return true;
  }

  /** A uniformly random peer not in {@code exclude}, or null when there is none. */
  NodeId random(RandomGenerator rng, Collection<NodeId> exclude) {
    int i = pick(rng, exclude);
    return i < 0 ? null : peers.get(i).id();
  }

  /**
   * The index of a uniformly random peer not in {@code exclude}, or -1: the same choice and the
   * same draw from {@code rng} as a sample of one, without its copies.
   */
  private int pick(RandomGenerator rng, Collection<NodeId> exclude) {
    if (exclude.isEmpty()) {
      return peers.isEmpty() ? -1 : rng.nextInt(peers.size());
    }
    int candidates = 0;
    for (PeerInfo p : peers) {
      if (!exclude.contains(p.id())) {
        candidates++;
      }
    }
    if (candidates == 0) {
      return -1;
    }
    int pick = rng.nextInt(candidates);
    for (int i = 0; i < peers.size(); i++) {
      if (!exclude.contains(peers.get(i).id()) && pick-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable: " + candidates + " candidates counted");
  }

  /** Up to {@code count} distinct random peers not in {@code exclude}. */
  List<PeerInfo> sample(RandomGenerator rng, int count, Collection<NodeId> exclude) {
    if (count == 1) {
      int i = pick(rng, exclude);
      return i < 0 ? new ArrayList<>() : new ArrayList<>(List.of(peers.get(i)));
    }
    List<PeerInfo> candidates = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) {
      if (!exclude.contains(p.id())) {
        candidates.add(p);
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
    List<NodeId> ids = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) {
      ids.add(p.id());
    }
    return ids;
  }

  int size() {
    return peers.size();
  }

  boolean isEmpty() {
    return peers.isEmpty();
  }

  boolean isFull() {
    return peers.size() >= capacity;
  }
}
