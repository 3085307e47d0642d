package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;

/**
 * The rule that leaves exactly one connection between two nodes, and the same one on both
 * sides, without any message exchanged to agree on it.
 *
 * <p>When two connections between the same pair of nodes are ready:
 * <ul>
 *   <li>if the peer's incarnation differs, the peer restarted: the newer connection is the live
 *       one and the older is stale;
 *   <li>if both were dialed by the same node (a redial after a half-open connection), the newer
 *       wins: the dialer has already given up on the older;
 *   <li>otherwise the one dialed by the node with the smaller id (unsigned byte order) wins.
 *       Both sides compute the same answer from the same facts, whatever order the two
 *       connections became ready in.
 * </ul>
 */
final class TieBreak {
  private TieBreak() {}

  /** Which of two ready connections to one peer survives: {@code older} or {@code newer}. */
  static Connection winner(NodeId me, Connection older, Connection newer) {
    if (older.peerIncarnation() != newer.peerIncarnation()) {
      return newer;
    }
    if (older.outbound() == newer.outbound()) {
      return newer;
    }
    NodeId peer = newer.peer();
    boolean iDialSmaller = me.compareTo(peer) < 0;
    // The connection I dialed wins exactly when my id is the smaller one.
    return newer.outbound() == iDialSmaller ? newer : older;
  }
}
