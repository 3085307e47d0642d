package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The links pruned from one origin's own broadcast tree: a few neighbors at most, kept for each
 * of thousands of origins, so an array in insertion order rather than a hash set (about a fifth
 * of its memory).
 */
final class PeerSet {
  private static final NodeId[] NONE = new NodeId[0];

  private NodeId[] peers = NONE;

  PeerSet() {}

  boolean contains(NodeId peer) {
    return indexOf(peer) >= 0;
  }

  void add(NodeId peer) {
    if (indexOf(peer) < 0) {
      NodeId[] grown = Arrays.copyOf(peers, peers.length + 1);
      grown[peers.length] = peer;
      peers = grown;
    }
  }

  void remove(NodeId peer) {
    int i = indexOf(peer);
    if (i >= 0) {
      NodeId[] shrunk = new NodeId[peers.length - 1];
      System.arraycopy(peers, 0, shrunk, 0, i);
      System.arraycopy(peers, i + 1, shrunk, i, shrunk.length - i);
      peers = shrunk;
    }
  }

  /** The peers, in the order they were added. */
  Set<NodeId> toSet() {
    return new LinkedHashSet<>(Arrays.asList(peers));
  }

  private int indexOf(NodeId peer) {
    for (int i = 0; i < peers.length; i++) {
      if (peers[i].equals(peer)) {
        return i;
      }
    }
    return -1;
  }
}
