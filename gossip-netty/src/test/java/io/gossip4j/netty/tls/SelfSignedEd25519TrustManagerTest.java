package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.netty.Identity;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class SelfSignedEd25519TrustManagerTest {
  private final SelfSignedEd25519TrustManager trust = SelfSignedEd25519TrustManager.INSTANCE;

  @Test
  void acceptsANodesOwnCertificate() {
    X509Certificate certificate = IdentityCertificate.selfSigned(Identity.generate());

    assertThatCode(() -> trust.checkClientTrusted(new X509Certificate[] {certificate}, "EdDSA"))
        .doesNotThrowAnyException();
    assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {certificate}, "EdDSA"))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAnRsaCertificate() throws Exception {
    X509Certificate rsa = TestCertificates.selfSigned("RSA", "SHA256withRSA").certificate();

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {rsa}, "RSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("certificate key is RSA, expected Ed25519");
  }

  @Test
  void rejectsAnEcCertificate() throws Exception {
    X509Certificate ec = TestCertificates.selfSigned("EC", "SHA256withECDSA").certificate();

    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {ec}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("certificate key is EC, expected Ed25519");
  }

  @Test
  void rejectsAChain() {
    X509Certificate first = IdentityCertificate.selfSigned(Identity.generate());
    X509Certificate second = IdentityCertificate.selfSigned(Identity.generate());

    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {first, second}, "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("expected exactly one self-signed Ed25519 certificate, got 2");
  }

  @Test
  void rejectsNoCertificate() {
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[0], "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> trust.checkClientTrusted(null, "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("got none");
  }

  @Test
  void rejectsAnEd25519KeySignedByAnotherKey() throws Exception {
    // Someone else's key in a certificate the presenter signed: claims an identity it cannot prove.
    Identity victim = Identity.generate();
    Identity forger = Identity.generate();
    X509Certificate forged =
        TestCertificates.certificate(
            "forged", victim.publicKey(), forger.privateKey(), "Ed25519");

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {forged}, "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("certificate is not signed by its own key");
  }

  @Test
  void rejectsAnEd25519KeyInACertificateSignedWithAnotherAlgorithm() throws Exception {
    KeyPair rsa = TestCertificates.keyPair("RSA");
    X509Certificate mixed =
        TestCertificates.certificate(
            "mixed", Identity.generate().publicKey(), rsa.getPrivate(), "SHA256withRSA");

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {mixed}, "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("certificate is signed with SHA256withRSA, expected Ed25519");
  }

  @Test
  void namesNoAcceptedIssuers() {
    assertThat(trust.getAcceptedIssuers()).isEmpty();
  }
}
