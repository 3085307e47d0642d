package io.gossip4j.netty.tls;

import java.util.Objects;

/**
 * User event fired down the pipeline when a connection could not be authenticated; the channel
 * is closed right after. It is fired at most once per channel, and never together with {@link
 * PeerAuthenticated}.
 *
 * @param reason the kind of failure
 * @param detail what happened, for logs and errors
 * @param cause the underlying exception, or null if there is none
 */
public record PeerAuthenticationFailed(Reason reason, String detail, Throwable cause) {
  /** Why a connection was refused. */
  public enum Reason {
    /** The bytes received were not TLS records (a plaintext or other-protocol client). */
    NOT_TLS,
    /** The handshake did not complete within the handshake timeout. */
    TIMED_OUT,
    /** The connection closed before the handshake completed. */
    CLOSED,
    /**
     * The peer's certificate was refused (not one valid libp2p certificate for an Ed25519
     * identity), or ours was.
     */
    BAD_CERTIFICATE,
    /** The peer did not agree on the application protocol {@value TlsSetup#ALPN_PROTOCOL}. */
    PROTOCOL_MISMATCH,
    /** The dialed peer authenticated as another node id than the one dialed. */
    UNEXPECTED_PEER,
    /** Any other handshake failure. */
    HANDSHAKE_FAILED
  }

  /** Checks that reason and detail are present. */
  public PeerAuthenticationFailed {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
