package io.gossip4j.netty.tls;

import io.gossip4j.netty.Identity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate a node presents in every handshake, per the libp2p TLS scheme: a self-signed
 * certificate for a fresh ECDSA P-256 key, which every TLS stack accepts (BoringSSL does not take
 * Ed25519 certificates), carrying the node's Ed25519 identity key and that key's signature over
 * the certificate key in the {@linkplain SignedKey libp2p public key extension}. The key pair is
 * made in memory when a node starts, used for all its connections, and never stored.
 *
 * @param privateKey the certificate's ECDSA P-256 private key, for the TLS stack
 * @param certificate the certificate
 */
record IdentityCertificate(PrivateKey privateKey, X509Certificate certificate) {
  /** The curve of the certificate key. */
  static final String CURVE = "secp256r1";
  static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  // Valid from a day ago, for peers whose clocks are behind ours, and until the end of time as
  // X.509 writes it (RFC 5280, 4.1.2.5): the key lives as long as the node, and is never stored.
  private static final Duration BACKDATE = Duration.ofDays(1);
  private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
  private static final int SERIAL_BITS = 63;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Checks the parts are present. */
  IdentityCertificate {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
  }

  /** A new certificate key and certificate for {@code identity}, subject {@code CN=<node id>}. */
  static IdentityCertificate generate(Identity identity) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
      KeyPair certificateKey = generator.generateKeyPair();
      byte[] spki = certificateKey.getPublic().getEncoded();
      Signature ed25519 = Signature.getInstance("Ed25519", Identity.JDK_PROVIDER);
      ed25519.initSign(identity.privateKey());
      ed25519.update(SignedKey.signedMessage(spki));
      SignedKey extension =
          new SignedKey(IdentityKey.ed25519(identity.nodeId()), ed25519.sign());
      X500Name name = new X500Name("CN=" + identity.nodeId().toHex());
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(SERIAL_BITS, RANDOM),
                  Date.from(Instant.now().minus(BACKDATE)),
                  Date.from(NO_EXPIRY),
                  name,
                  certificateKey.getPublic())
              .addExtension(SignedKey.ASN1_OID, false, extension.encode())
              .build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                  .build(certificateKey.getPrivate()));
      return new IdentityCertificate(
          certificateKey.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
    } catch (OperatorCreationException | GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a certificate for " + identity, e);
    }
  }
}
