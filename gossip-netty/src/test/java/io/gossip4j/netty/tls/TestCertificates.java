package io.gossip4j.netty.tls;

import io.gossip4j.netty.Identity;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates a well-behaved node would never present, to check that they are refused. */
final class TestCertificates {
  static final Duration HOUR = Duration.ofHours(1);
  private static final ASN1ObjectIdentifier UNKNOWN_OID =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");

  private TestCertificates() {}

  static KeyPair keyPair(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    } else if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec(IdentityCertificate.CURVE));
    }
    return generator.generateKeyPair();
  }

  /** A certificate without the libp2p extension, for {@code subjectKey} signed by another key. */
  static X509Certificate certificate(
      String name, PublicKey subjectKey, PrivateKey signingKey, String signature) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder(name, subjectKey, Instant.now().minus(HOUR), Instant.now().plus(HOUR))
            .build(new JcaContentSignerBuilder(signature).build(signingKey)));
  }

  /** A self-signed certificate without the libp2p extension for a new key pair. */
  static SelfSigned selfSigned(String algorithm, String signature) throws Exception {
    KeyPair pair = keyPair(algorithm);
    return new SelfSigned(
        pair.getPrivate(), certificate(algorithm, pair.getPublic(), pair.getPrivate(), signature));
  }

  record SelfSigned(PrivateKey key, X509Certificate certificate) {}

  private static JcaX509v3CertificateBuilder builder(
      String name, PublicKey key, Instant notBefore, Instant notAfter) {
    X500Name x500 = new X500Name("CN=" + name);
    return new JcaX509v3CertificateBuilder(
        x500, BigInteger.ONE, Date.from(notBefore), Date.from(notAfter), x500, key);
  }

  /**
   * A libp2p certificate for an ECDSA P-256 key, valid for an hour either side of now, whose
   * extension carries {@code identity}, signed by it: what a node presents, unless changed.
   */
  static Libp2p libp2p(Identity identity) {
    return new Libp2p(IdentityKey.ed25519(identity.nodeId()), identity.privateKey(), "Ed25519");
  }

  /**
   * As {@link #libp2p(Identity)} for an identity key of another type: RSA ({@code
   * SHA256withRSA}) or ECDSA ({@code SHA256withECDSA}), signed as libp2p signs with it.
   */
  static Libp2p libp2p(IdentityKey.KeyType type) throws Exception {
    KeyPair pair = keyPair(type == IdentityKey.KeyType.RSA ? "RSA" : "EC");
    return new Libp2p(new IdentityKey(type, pair.getPublic().getEncoded()), pair.getPrivate(),
        type == IdentityKey.KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA");
  }

  /** A libp2p certificate to be built, with what can be wrong with it. */
  static final class Libp2p {
    private final IdentityKey key;
    private final PrivateKey identityKey;
    private final String identitySignature;
    private Instant notBefore = Instant.now().minus(HOUR);
    private Instant notAfter = Instant.now().plus(HOUR);
    private boolean signsAnotherKey;
    private boolean unknownCriticalExtension;

    private Libp2p(IdentityKey key, PrivateKey identityKey, String identitySignature) {
      this.key = key;
      this.identityKey = identityKey;
      this.identitySignature = identitySignature;
    }

    Libp2p validity(Instant from, Instant to) {
      notBefore = from;
      notAfter = to;
      return this;
    }

    /** The identity signs another certificate key than this certificate's. */
    Libp2p signingAnotherKey() {
      signsAnotherKey = true;
      return this;
    }

    Libp2p withUnknownCriticalExtension() {
      unknownCriticalExtension = true;
      return this;
    }

    IdentityCertificate build() throws Exception {
      KeyPair certificateKey = keyPair("EC");
      PublicKey signed = signsAnotherKey ? keyPair("EC").getPublic() : certificateKey.getPublic();
      Signature signer = Signature.getInstance(identitySignature);
      signer.initSign(identityKey);
      signer.update(SignedKey.signedMessage(signed.getEncoded()));
      SignedKey extension = new SignedKey(key, signer.sign());
      X509v3CertificateBuilder builder =
          builder("libp2p", certificateKey.getPublic(), notBefore, notAfter)
              .addExtension(SignedKey.ASN1_OID, false, extension.encode());
      if (unknownCriticalExtension) {
        builder.addExtension(UNKNOWN_OID, true, DERNull.INSTANCE);
      }
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(IdentityCertificate.SIGNATURE_ALGORITHM)
              .build(certificateKey.getPrivate())));
      return new IdentityCertificate(certificateKey.getPrivate(), certificate);
    }
  }
}
