package io.gossip4j.netty.tls;

import io.gossip4j.netty.Identity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a node presents in every handshake: its Ed25519 public key, signed
 * by its own private key. It is made in memory at start-up and never stored; it vouches for
 * nothing but the key, which is the node id.
 */
final class IdentityCertificate {
  // Peers do not check validity dates (the key is the identity, and clocks differ), but other
  // tools read them: start a day early for clock skew and never expire (RFC 5280, 4.1.2.5).
  private static final Duration BACKDATE = Duration.ofDays(1);
  private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
  private static final int SERIAL_BITS = 63;
  private static final SecureRandom RANDOM = new SecureRandom();

  private IdentityCertificate() {}

  /** A new self-signed certificate for {@code identity}, subject {@code CN=<hex node id>}. */
  static X509Certificate selfSigned(Identity identity) {
    X500Name name = new X500Name("CN=" + identity.nodeId().toHex());
    Instant now = Instant.now();
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("Ed25519")
              .setProvider(Identity.JDK_PROVIDER)
              .build(identity.privateKey());
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(SERIAL_BITS, RANDOM),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(NO_EXPIRY),
                  name,
                  identity.publicKey())
              .build(signer);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a certificate for " + identity, e);
    }
  }
}
