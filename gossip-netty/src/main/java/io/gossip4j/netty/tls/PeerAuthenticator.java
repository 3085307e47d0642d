package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import io.gossip4j.netty.tls.PeerAuthenticationFailed.Reason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished TLS handshake into a verified peer node id, or into a refused connection.
 *
 * <p>When added to a pipeline it puts its {@link SslHandler} right before itself. When the
 * handshake completes it checks the negotiated application protocol and, on the dialing side,
 * that the peer is the node that was dialed; then it records the peer on the channel, removes
 * itself and fires {@link PeerAuthenticated}. Any failure fires {@link PeerAuthenticationFailed}
 * once, logs the reason and closes the channel. The handshake-completion event itself is not
 * passed on, so no handler downstream can mistake "TLS done" for "peer verified".
 */
final class PeerAuthenticator extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PeerAuthenticator.class);

  private final SslHandler ssl;
  private final NodeId self;
  private final NodeId expectedPeer;
  private final RefusalLog refusals;
  private long startNanos;
  private boolean failed;

  /**
   * @param ssl the TLS handler this authenticator installs and reads the outcome of
   * @param self this node, refused quietly as a peer
   * @param expectedPeer the node that was dialed, or null to accept whichever node proves its
   *     key (an accepted connection, or a dial that asks who answers)
   */
  PeerAuthenticator(SslHandler ssl, NodeId self, NodeId expectedPeer, RefusalLog refusals) {
    this.ssl = ssl;
    this.self = self;
    this.expectedPeer = expectedPeer;
    this.refusals = refusals;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    startNanos = System.nanoTime();
    ctx.pipeline().addBefore(ctx.name(), ctx.name() + "-ssl", ssl);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startNanos = System.nanoTime();
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof SslHandshakeCompletionEvent completion)) {
      ctx.fireUserEventTriggered(event);
    } else if (completion.isSuccess()) {
      verifyPeer(ctx);
    } else {
      fail(ctx, classify(completion.cause()), describe(completion.cause()), completion.cause());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // The SslHandler only decrypts after the handshake, which this handler turns into either
    // removal or failure; data here would be a broken invariant, never something to deliver.
    ReferenceCountUtil.release(msg);
    fail(ctx, Reason.HANDSHAKE_FAILED, "data arrived before the peer was authenticated", null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failed) {
      // The SslHandler reports a failed handshake twice (event, then exception): logged once.
      log.debug("{}: after authentication failed: {}", ctx.channel(), cause.toString());
      return;
    }
    fail(ctx, classify(cause), describe(cause), cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Normally the SslHandler has already failed the handshake; this covers any other path.
    fail(ctx, Reason.CLOSED, "connection closed before the peer was authenticated", null);
    ctx.fireChannelInactive();
  }

  private void verifyPeer(ChannelHandlerContext ctx) {
    if (failed) {
      return; // already refused and closing: a late success must not authenticate anything
    }
    String protocol = ssl.applicationProtocol();
    if (!TlsSetup.ALPN_PROTOCOL.equals(protocol)) {
      fail(
          ctx,
          Reason.PROTOCOL_MISMATCH,
          "peer negotiated application protocol "
              + (protocol == null || protocol.isEmpty() ? "none" : "'" + protocol + "'")
              + ", expected '" + TlsSetup.ALPN_PROTOCOL + "'",
          null);
      return;
    }
    NodeId peer;
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      // The trust manager has verified it in the handshake: only the node id is read here.
      peer = Libp2pTrustManager.nodeIdOf(chain[0]);
    } catch (SSLPeerUnverifiedException | CertificateException e) {
      fail(ctx, Reason.BAD_CERTIFICATE, "no usable peer certificate: " + e.getMessage(), e);
      return;
    }
    if (peer.equals(self)) {
      // Peers advertise every address they listen on, loopback too; dialing one of those that
      // is also ours here reaches this node. Expected on a shared host: not worth a warning.
      fail(ctx, Reason.UNEXPECTED_PEER, "the address reached this node itself", null, false);
      return;
    }
    if (expectedPeer != null && !expectedPeer.equals(peer)) {
      fail(
          ctx,
          Reason.UNEXPECTED_PEER,
          "dialed node " + expectedPeer.toHex() + " but the peer is node " + peer.toHex(),
          null);
      return;
    }
    ctx.channel().attr(TlsSetup.PEER).set(peer);
    log.debug(
        "{}: authenticated peer {} in {} us",
        ctx.channel(),
        peer.shortHex(),
        (System.nanoTime() - startNanos) / 1_000);
    ctx.pipeline().remove(this);
    ctx.fireUserEventTriggered(new PeerAuthenticated(peer));
  }

  private void fail(ChannelHandlerContext ctx, Reason reason, String detail, Throwable cause) {
    fail(ctx, reason, detail, cause, reason != Reason.CLOSED);
  }

  private void fail(
      ChannelHandlerContext ctx, Reason reason, String detail, Throwable cause, boolean loud) {
    if (failed) {
      return;
    }
    failed = true;
    if (!loud) {
      log.debug("{}: refused ({}): {}", ctx.channel(), reason, detail);
    } else {
      // Anyone can open connections and fail handshakes on purpose: rate-limited.
      refusals.log(log, reason == Reason.UNEXPECTED_PEER, ctx.channel(), reason, detail);
    }
    ctx.fireUserEventTriggered(new PeerAuthenticationFailed(reason, detail, cause));
    ctx.close();
  }

  private static Reason classify(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return Reason.NOT_TLS;
      }
      if (t instanceof SslHandshakeTimeoutException) {
        return Reason.TIMED_OUT;
      }
      if (t instanceof ClosedChannelException) {
        return Reason.CLOSED;
      }
      if (t instanceof CertificateException) {
        return Reason.BAD_CERTIFICATE;
      }
      // The JDK reports the rest as plain SSLHandshakeExceptions: the message is all there is.
      // Its own wording ("No matching application layer protocol values", "Empty client
      // certificate chain") and the RFC 8446 alert names it quotes for the peer's refusals
      // (no_application_protocol, bad_certificate, certificate_required, ...) are matched.
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("application_protocol")
          || message.contains("application layer protocol")) {
        return Reason.PROTOCOL_MISMATCH;
      }
      if (message.contains("certificate")) {
        return Reason.BAD_CERTIFICATE;
      }
    }
    return Reason.HANDSHAKE_FAILED;
  }

  /**
   * What went wrong: this side's refusal of the peer's certificate if that was it (the TLS
   * stacks wrap it differently), else the handshake's exception.
   */
  private static String describe(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException refused && refused.getMessage() != null) {
        return "peer certificate refused: " + refused.getMessage();
      }
    }
    Throwable shown = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    return shown == null ? "handshake failed" : shown.toString();
  }
}
