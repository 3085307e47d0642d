package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * Trusts a peer per the libp2p TLS scheme, for Ed25519 identities: exactly one certificate,
 * valid now, signed by its own key, without unknown critical extensions or unique ids, carrying
 * the {@linkplain SignedKey libp2p public key extension} whose signature over the certificate key
 * verifies and whose key is Ed25519. That key is the peer's node id. There is no certificate
 * authority: which node is acceptable is decided after the handshake by comparing node ids (see
 * {@link PeerAuthenticator}). Every refusal is a {@link CertificateException} saying what was
 * wrong.
 *
 * <p>It extends {@link X509ExtendedTrustManager} so that the JDK uses it as is: a plain {@code
 * X509TrustManager} gets wrapped with host-name and algorithm checks meant for the web PKI.
 * Netty's OpenSSL provider calls it from BoringSSL's certificate verification callback.
 */
final class Libp2pTrustManager extends X509ExtendedTrustManager {
  static final Libp2pTrustManager INSTANCE = new Libp2pTrustManager();

  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private Libp2pTrustManager() {}

  /**
   * The node id {@code chain} proves, at time {@code now}.
   *
   * @throws CertificateException saying why the chain is refused
   */
  static NodeId verify(X509Certificate[] chain, Instant now) throws CertificateException {
    if (chain == null || chain.length != 1) {
      throw new CertificateException("expected exactly one certificate, got "
          + (chain == null ? "none" : chain.length));
    }
    X509Certificate certificate = chain[0];
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new CertificateException("certificate expired at "
          + certificate.getNotAfter().toInstant() + ", it is now " + now, e);
    } catch (CertificateNotYetValidException e) {
      throw new CertificateException("certificate is not valid before "
          + certificate.getNotBefore().toInstant() + ", it is now " + now, e);
    }
    try {
      certificate.verify(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("certificate is not signed by its own key ("
          + certificate.getSigAlgName() + ")", e);
    }
    if (certificate.getIssuerUniqueID() != null || certificate.getSubjectUniqueID() != null) {
      throw new CertificateException("certificate has a deprecated issuer or subject unique id");
    }
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    if (critical != null) {
      Set<String> unknown = new TreeSet<>(critical);
      unknown.remove(SignedKey.OID);
      if (!unknown.isEmpty()) {
        throw new CertificateException("certificate has critical extensions " + unknown
            + " that are not understood");
      }
    }
    SignedKey signed = signedKeyOf(certificate);
    if (!signed.signs(certificate.getPublicKey().getEncoded())) {
      throw new CertificateException("the signature in the libp2p public key extension does not"
          + " verify: the " + signed.key().type() + " identity key did not sign this"
          + " certificate's key");
    }
    if (signed.key().type() != IdentityKey.KeyType.ED25519) {
      throw new CertificateException("identity key type is " + signed.key().type()
          + ", expected Ed25519 (a node id is an Ed25519 key)");
    }
    return signed.key().nodeId();
  }

  /**
   * The node id of a certificate this trust manager accepted in the handshake, read without
   * checking it again.
   *
   * @throws CertificateException if it is not one
   */
  static NodeId nodeIdOf(Certificate certificate) throws CertificateException {
    if (!(certificate instanceof X509Certificate x509)) {
      throw new CertificateException("not an X.509 certificate: " + certificate.getType());
    }
    IdentityKey key = signedKeyOf(x509).key();
    if (key.type() != IdentityKey.KeyType.ED25519) {
      throw new CertificateException("identity key type is " + key.type() + ", expected Ed25519");
    }
    return key.nodeId();
  }

  private static SignedKey signedKeyOf(X509Certificate certificate) throws CertificateException {
    byte[] wrapped = certificate.getExtensionValue(SignedKey.OID);
    if (wrapped == null) {
      throw new CertificateException(
          "certificate has no libp2p public key extension (" + SignedKey.OID + ")");
    }
    try {
      return SignedKey.decode(ASN1OctetString.getInstance(wrapped).getOctets());
    } catch (RuntimeException e) {
      throw new CertificateException(
          "malformed libp2p public key extension: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, Instant.now());
  }

  /** None: no certificate authority is involved, a peer sends its own certificate. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
