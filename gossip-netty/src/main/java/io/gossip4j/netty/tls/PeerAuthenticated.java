package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import java.util.Objects;

/**
 * User event fired down the pipeline once the TLS handshake has completed and the peer is known:
 * it presented a valid libp2p certificate for an Ed25519 identity, agreed on {@value TlsSetup#ALPN_PROTOCOL}
 * and, if this side dialed, is the node it meant to reach. Only after this event may the channel
 * carry gossip frames.
 *
 * <p>In TLS 1.3 the dialing side completes its handshake before the accepting side has checked
 * the dialer's certificate and protocol, and the accepting side completes before the dialer has
 * compared node ids. Either side may therefore still be refused just after this event; that
 * shows as the channel closing, which the transport must handle like any other disconnect.
 *
 * @param peer the peer's node id, the identity key in its certificate's libp2p extension
 */
public record PeerAuthenticated(NodeId peer) {
  /** Checks that the peer is not null. */
  public PeerAuthenticated {
    Objects.requireNonNull(peer, "peer");
  }
}
