package io.gossip4j.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NodeId;
import io.gossip4j.netty.Identity;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Libp2pTrustManagerTest {
  // The test vectors of libp2p/specs tls/tls.md: certificates for an ECDSA P-256 key valid from
  // 1975 to 4096, whose extension carries an identity key of each type.
  private static final String ED25519_VECTOR = "308201ae30820156a0030201020204499602d2300a06082a"
      + "8648ce3d040302302031123010060355040a13096c69627032702e696f310a30080603550405130131302017"
      + "0d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a1309"
      + "6c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107"
      + "034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec8785"
      + "04c174144fa4b14b66a651691606d8173e55bd37e381569ea37c307a3078060a2b0601040183a25a0101046a"
      + "3068042408011220a77f1d92fedb59dddaea5a1c4abd1ac2fbde7d7b879ed364501809923d7c11b90440d90d"
      + "2769db992d5e6195dbb08e706b6651e024fda6cfb8846694a435519941cac215a8207792e42849cccc6cd813"
      + "6c6e4bde92a58c5e08cfd4206eb5fe0bf909300a06082a8648ce3d0403020346003043021f50f6b6c52711a8"
      + "81778718238f650c9fb48943ae6ee6d28427dc6071ae55e702203625f116a7a454db9c56986c82a25682f724"
      + "8ea1cb764d322ea983ed36a31b77";
  private static final String ED25519_PEER_ID =
      "12D3KooWM6CgA9iBFZmcYAHA6A2qvbAxqfkmrYiRQuz3XEsk4Ksv";
  private static final String ECDSA_VECTOR = "308201f63082019da0030201020204499602d2300a06082a"
      + "8648ce3d040302302031123010060355040a13096c69627032702e696f310a30080603550405130131302017"
      + "0d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a1309"
      + "6c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d030107"
      + "034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec8785"
      + "04c174144fa4b14b66a651691606d8173e55bd37e381569ea381c23081bf3081bc060a2b0601040183a25a01"
      + "010481ad3081aa045f0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004bf30511f"
      + "909414ebdd3242178fd290f093a551cf75c973155de0bb5a96fedf6cb5d52da7563e794b512f66e60c7f55ba"
      + "8a3acf3dd72a801980d205e8a1ad29f2044730450220064ea8124774caf8f50e57f436aa62350ce652418c01"
      + "9df5d98a3ac666c9386a022100aa59d704a931b5f72fb9222cb6cc51f954d04a4e2e5450f8805fe8918f71ea"
      + "ae300a06082a8648ce3d04030203470030440220799395b0b6c1e940a7e4484705f610ab51ed376f19ff9d7c"
      + "16757cfbf61b8d4302206205c03fbb0f95205c779be86581d3e31c01871ad5d1f3435bcf375cb0e5088a";
  private static final String SECP256K1_VECTOR = "308201ba3082015fa0030201020204499602d2300a06"
      + "082a8648ce3d040302302031123010060355040a13096c69627032702e696f310a3008060355040513013130"
      + "20170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a"
      + "13096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d03"
      + "0107034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec"
      + "878504c174144fa4b14b66a651691606d8173e55bd37e381569ea38184308181307f060a2b0601040183a25a"
      + "01010471306f0425080212210206dc6968726765b820f050263ececf7f71e4955892776c0970542efd689d23"
      + "82044630440220145e15a991961f0d08cd15425bb95ec93f6ffa03c5a385eedc34ecf464c7a8ab022026b310"
      + "9b8a3f40ef833169777eb2aa337cfb6282f188de0666d1bcec2a4690dd300a06082a8648ce3d040302034900"
      + "3046022100e1a217eeef9ec9204b3f774a08b70849646b6a1e6b8b27f93dc00ed58545d9fe022100b00dafa5"
      + "49d0f03547878338c7b15e7502888f6d45db387e5ae6b5d46899cef0";
  /** An ECDSA identity whose signature is not over this certificate's key. */
  private static final String INVALID_VECTOR = "308201f73082019da0030201020204499602d2300a0608"
      + "2a8648ce3d040302302031123010060355040a13096c69627032702e696f310a300806035504051301313020"
      + "170d3735303130313133303030305a180f34303936303130313133303030305a302031123010060355040a13"
      + "096c69627032702e696f310a300806035504051301313059301306072a8648ce3d020106082a8648ce3d0301"
      + "07034200040c901d423c831ca85e27c73c263ba132721bb9d7a84c4f0380b2a6756fd601331c8870234dec87"
      + "8504c174144fa4b14b66a651691606d8173e55bd37e381569ea381c23081bf3081bc060a2b0601040183a25a"
      + "01010481ad3081aa045f0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004bf3051"
      + "1f909414ebdd3242178fd290f093a551cf75c973155de0bb5a96fedf6cb5d52da7563e794b512f66e60c7f55"
      + "ba8a3acf3dd72a801980d205e8a1ad29f204473045022100bb6e03577b7cc7a3cd1558df0da2b117dfdcc039"
      + "9bc2504ebe7de6f65cade72802206de96e2a5be9b6202adba24ee0362e490641ac45c240db71fe955f2c5cf8"
      + "df6e300a06082a8648ce3d0403020348003045022100e847f267f43717358f850355bdcabbefb2cfbf8a3c04"
      + "3b203a14788a092fe8db022027c1d04a2d41fd6b57a7e8b3989e470325de4406e52e084e34a3fd56eef0d0df";

  private final Identity identity = Identity.generate();

  @Test
  void theSpecsEd25519VectorIsAcceptedAsItsPeerId() throws Exception {
    NodeId node = verify(vector(ED25519_VECTOR));

    // A libp2p Ed25519 peer id is base58 of the identity multihash (00 24) of the protobuf key.
    byte[] peerId = base58(ED25519_PEER_ID);
    byte[] prefix = HexFormat.of().parseHex("002408011220");
    assertThat(Arrays.copyOf(peerId, prefix.length)).isEqualTo(prefix);
    assertThat(node.toBytes()).isEqualTo(Arrays.copyOfRange(peerId, prefix.length, peerId.length));
  }

  @Test
  void theSpecsEcdsaVectorIsRefusedForItsKeyType() {
    assertRefused(vector(ECDSA_VECTOR),
        "identity key type is ECDSA, expected Ed25519 (a node id is an Ed25519 key)");
  }

  @Test
  void theSpecsSecp256k1VectorIsRefusedForItsKeyType() {
    assertRefused(vector(SECP256K1_VECTOR),
        "identity key type is secp256k1, expected Ed25519 (a node id is an Ed25519 key)");
  }

  @Test
  void theSpecsInvalidVectorIsRefusedForItsSignature() {
    assertRefused(vector(INVALID_VECTOR), "the signature in the libp2p public key extension does"
        + " not verify: the ECDSA identity key did not sign this certificate's key");
  }

  @Test
  void anRsaIdentityIsRefusedForItsKeyType() throws Exception {
    X509Certificate rsa = TestCertificates.libp2p(IdentityKey.KeyType.RSA).build().certificate();

    assertRefused(rsa, "identity key type is RSA, expected Ed25519 (a node id is an Ed25519 key)");
  }

  @Test
  void aNodesOwnCertificateProvesItsNodeId() throws Exception {
    IdentityCertificate own = IdentityCertificate.generate(identity);

    assertThat(verify(own.certificate())).isEqualTo(identity.nodeId());
    assertThat(own.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(own.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(Libp2pTrustManager.nodeIdOf(own.certificate())).isEqualTo(identity.nodeId());
  }

  @Test
  void eachCertificateHasItsOwnKey() {
    X509Certificate first = IdentityCertificate.generate(identity).certificate();
    X509Certificate second = IdentityCertificate.generate(identity).certificate();

    assertThat(first.getPublicKey()).isNotEqualTo(second.getPublicKey());
    assertThat(first.getPublicKey()).isNotEqualTo(identity.publicKey());
  }

  @Test
  void anExtensionSignatureOverAnotherKeyIsRefused() throws Exception {
    X509Certificate bad = TestCertificates.libp2p(identity).signingAnotherKey().build()
        .certificate();

    assertRefused(bad, "the signature in the libp2p public key extension does not verify: the"
        + " Ed25519 identity key did not sign this certificate's key");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Instant end = Instant.parse("2020-01-01T00:00:00Z");
    X509Certificate expired = TestCertificates.libp2p(identity)
        .validity(end.minus(TestCertificates.HOUR), end).build().certificate();

    assertRefusedStartingWith(expired, "certificate expired at 2020-01-01T00:00:00Z, it is now ");
  }

  @Test
  void aCertificateNotYetValidIsRefused() throws Exception {
    Instant start = Instant.now().plus(TestCertificates.HOUR).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    X509Certificate early = TestCertificates.libp2p(identity)
        .validity(start, start.plus(TestCertificates.HOUR)).build().certificate();

    assertRefusedStartingWith(early, "certificate is not valid before " + start + ", it is now ");
  }

  @Test
  void aCertificateWithoutTheExtensionIsRefused() throws Exception {
    TestCertificates.SelfSigned plain = TestCertificates.selfSigned("EC", "SHA256withECDSA");

    assertRefused(plain.certificate(),
        "certificate has no libp2p public key extension (1.3.6.1.4.1.53594.1.1)");
  }

  @Test
  void anUnknownCriticalExtensionIsRefused() throws Exception {
    X509Certificate critical = TestCertificates.libp2p(identity).withUnknownCriticalExtension()
        .build().certificate();

    assertRefused(critical,
        "certificate has critical extensions [1.3.6.1.4.1.99999.1] that are not understood");
  }

  @Test
  void aCertificateNotSignedByItsOwnKeyIsRefused() throws Exception {
    var other = TestCertificates.keyPair("EC");
    X509Certificate foreign = TestCertificates.certificate("foreign",
        TestCertificates.keyPair("EC").getPublic(), other.getPrivate(), "SHA256withECDSA");

    assertRefused(foreign, "certificate is not signed by its own key (SHA256withECDSA)");
  }

  @Test
  void aChainOrNoCertificateIsRefused() {
    X509Certificate one = IdentityCertificate.generate(identity).certificate();

    assertThatThrownBy(() -> Libp2pTrustManager.verify(
        new X509Certificate[] {one, one}, Instant.now()))
        .hasMessage("expected exactly one certificate, got 2");
    assertThatThrownBy(() -> Libp2pTrustManager.verify(new X509Certificate[0], Instant.now()))
        .hasMessage("expected exactly one certificate, got 0");
    assertThatThrownBy(() -> Libp2pTrustManager.INSTANCE.checkClientTrusted(null, "EC"))
        .hasMessage("expected exactly one certificate, got none");
  }

  @Test
  void namesNoAcceptedIssuers() {
    assertThat(Libp2pTrustManager.INSTANCE.getAcceptedIssuers()).isEmpty();
  }

  private static NodeId verify(X509Certificate certificate) throws CertificateException {
    return Libp2pTrustManager.verify(new X509Certificate[] {certificate}, Instant.now());
  }

  private static void assertRefused(X509Certificate certificate, String reason) {
    assertThatThrownBy(() -> Libp2pTrustManager.INSTANCE.checkServerTrusted(
        new X509Certificate[] {certificate}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessage(reason);
  }

  private static void assertRefusedStartingWith(X509Certificate certificate, String reason) {
    assertThatThrownBy(() -> Libp2pTrustManager.INSTANCE.checkClientTrusted(
        new X509Certificate[] {certificate}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageStartingWith(reason);
  }

  private static X509Certificate vector(String hex) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] base58(String text) {
    String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    BigInteger value = BigInteger.ZERO;
    for (char c : text.toCharArray()) {
      value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(alphabet.indexOf(c)));
    }
    byte[] bytes = value.toByteArray();
    int leadingOnes = 0;
    while (text.charAt(leadingOnes) == '1') {
      leadingOnes++;
    }
    byte[] stripped = bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    byte[] out = new byte[leadingOnes + stripped.length];
    System.arraycopy(stripped, 0, out, leadingOnes, stripped.length);
    return out;
  }
}
