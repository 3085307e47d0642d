package io.gossip4j;

/** Why a neighbor left a topic's active view. */
public enum NeighborDownReason {
  /** The neighbor sent DISCONNECT but stays alive (it made room for another peer). */
  DISCONNECTED,
  /** The connection failed, a request timed out, or the peer stopped answering. */
  FAILED,
  /** We dropped the neighbor to make room for another peer. */
  REPLACED,
  /** The neighbor left the topic (DISCONNECT, not alive), or we did. */
  QUIT,
  /**
   * We dropped the neighbor for misbehaving: it sent too many broadcasts with a bad origin
   * signature or that the topic's validator rejected ({@code PlumTreeConfig.invalidMessageLimit}).
   */
  EXPELLED,
  /**
   * The topic's admission rule parts us: the neighbor's rule refuses this node (DISCONNECT, not
   * admitted), or ours no longer admits the neighbor.
   */
  NOT_ADMITTED
}
