package io.gossip4j.netty.tls;

import io.gossip4j.netty.Identity;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer that presents exactly one certificate, with an Ed25519 key, signed with Ed25519 by
 * that same key; rejects everything else (other key types, chains, a signature that does not
 * verify). There is no certificate authority: the peer's key is its identity, and which key is
 * acceptable is decided after the handshake by comparing node ids (see {@link PeerAuthenticator}).
 *
 * <p>It extends {@link X509ExtendedTrustManager} so that the JDK uses it as is: a plain {@code
 * X509TrustManager} gets wrapped with host-name and algorithm checks meant for the web PKI.
 * Validity dates are not checked: the certificate is a container for the key, made fresh at each
 * start, and nodes' clocks may disagree.
 */
final class SelfSignedEd25519TrustManager extends X509ExtendedTrustManager {
  static final SelfSignedEd25519TrustManager INSTANCE = new SelfSignedEd25519TrustManager();

  private static final String ED25519_OID = "1.3.101.112";
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private SelfSignedEd25519TrustManager() {}

  /** Throws, saying why, unless {@code chain} is one valid self-signed Ed25519 certificate. */
  static void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length != 1) {
      throw new CertificateException(
          "expected exactly one self-signed Ed25519 certificate, got "
              + (chain == null ? "none" : chain.length));
    }
    X509Certificate certificate = chain[0];
    PublicKey key = certificate.getPublicKey();
    try {
      Identity.nodeIdOf(key);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(
          "certificate key is " + key.getAlgorithm() + ", expected Ed25519", e);
    }
    if (!ED25519_OID.equals(certificate.getSigAlgOID())) {
      throw new CertificateException(
          "certificate is signed with " + certificate.getSigAlgName() + ", expected Ed25519");
    }
    try {
      certificate.verify(key, Identity.JDK_PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("certificate is not signed by its own key", e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  /** None: no certificate authority is involved, a peer sends its own certificate. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
