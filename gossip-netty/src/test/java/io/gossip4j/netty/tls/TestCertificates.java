package io.gossip4j.netty.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates a well-behaved node would never present, to check that they are refused. */
final class TestCertificates {
  private TestCertificates() {}

  static KeyPair keyPair(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    } else if (algorithm.equals("EC")) {
      generator.initialize(256);
    }
    return generator.generateKeyPair();
  }

  /** A certificate for {@code subjectKey} signed by {@code signingKey} with {@code signature}. */
  static X509Certificate certificate(
      String name, PublicKey subjectKey, PrivateKey signingKey, String signature) throws Exception {
    X500Name x500 = new X500Name("CN=" + name);
    Instant now = Instant.now();
    var holder =
        new JcaX509v3CertificateBuilder(
                x500,
                BigInteger.ONE,
                Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                x500,
                subjectKey)
            .build(new JcaContentSignerBuilder(signature).build(signingKey));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** A self-signed certificate for a new key pair of {@code algorithm}. */
  static SelfSigned selfSigned(String algorithm, String signature) throws Exception {
    KeyPair pair = keyPair(algorithm);
    return new SelfSigned(
        pair.getPrivate(), certificate(algorithm, pair.getPublic(), pair.getPrivate(), signature));
  }

  record SelfSigned(PrivateKey key, X509Certificate certificate) {}
}
