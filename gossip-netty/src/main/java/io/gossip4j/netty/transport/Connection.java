package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.netty.channel.Channel;

/**
 * One authenticated connection to a peer, as the connection table sees it. Lives on the node's
 * event loop; the fields change only there.
 */
final class Connection {
  private final Channel channel;
  private final boolean outbound;
  private NodeId peer;
  private long peerIncarnation;
  private boolean ready;
  private boolean closeSent;
  private boolean closeReceived;

  Connection(Channel channel, boolean outbound) {
    this.channel = channel;
    this.outbound = outbound;
  }

  Channel channel() {
    return channel;
  }

  /** Whether this node dialed it. */
  boolean outbound() {
    return outbound;
  }

  NodeId peer() {
    return peer;
  }

  long peerIncarnation() {
    return peerIncarnation;
  }

  /** TLS verified the peer and its HELLO arrived: it may carry protocol frames. */
  boolean ready() {
    return ready;
  }

  void authenticated(NodeId peerId) {
    this.peer = peerId;
  }

  void helloReceived(long incarnation) {
    this.peerIncarnation = incarnation;
    this.ready = true;
  }

  boolean closeSent() {
    return closeSent;
  }

  void markCloseSent() {
    closeSent = true;
  }

  boolean closeReceived() {
    return closeReceived;
  }

  void markCloseReceived() {
    closeReceived = true;
  }

  @Override
  public String toString() {
    return (outbound ? "out " : "in ") + channel.localAddress() + "->" + channel.remoteAddress()
        + (peer == null ? "" : " peer " + peer.shortHex());
  }
}
