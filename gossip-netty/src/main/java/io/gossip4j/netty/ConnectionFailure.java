package io.gossip4j.netty;

import io.gossip4j.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A connection this node tried to make and could not, as {@link
 * Gossip.Builder#connectionFailureListener} hears of it.
 *
 * @param peer the node it dialed
 * @param address the address tried
 * @param reason how it failed, in a few words: {@code connection refused}, {@code timed out},
 *     {@code no route to host}, or the TLS handshake's refusal, such as {@code TLS
 *     UNEXPECTED_PEER: ...} with both ids when another node answered
 */
public record ConnectionFailure(NodeId peer, InetSocketAddress address, String reason) {
  public ConnectionFailure {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reason, "reason");
  }
}
