package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
  @TempDir Path dir;

  @Test
  void savedIdentityLoadsWithTheSameNodeId() {
    Identity identity = Identity.generate();
    Path file = dir.resolve("node.key");

    identity.save(file);
    Identity loaded = Identity.load(file);

    assertThat(loaded.nodeId()).isEqualTo(identity.nodeId());
    assertThat(loaded.publicKey().getEncoded()).isEqualTo(identity.publicKey().getEncoded());
    assertThat(loaded.privateKey().getEncoded()).isEqualTo(identity.privateKey().getEncoded());
  }

  @Test
  void keyFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
    assumeThat(Files.getFileStore(dir).supportsFileAttributeView("posix")).isTrue();
    Path file = dir.resolve("node.key");

    Identity.generate().save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void keyFileIsPemPkcs8() throws Exception {
    Path file = dir.resolve("node.key");
    Identity.generate().save(file);

    String pem = Files.readString(file, StandardCharsets.US_ASCII);

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void nodeIdIsTheRawEd25519PublicKey() {
    Identity identity = Identity.generate();
    byte[] spki = identity.publicKey().getEncoded();

    assertThat(identity.nodeId().toBytes())
        .isEqualTo(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  @Test
  void loadOrCreateCreatesTheFileOnceThenKeepsTheNodeId() {
    Path file = dir.resolve("sub/dir/node.key");

    Identity first = Identity.loadOrCreate(file);
    Identity second = Identity.loadOrCreate(file);

    assertThat(file).exists();
    assertThat(second.nodeId()).isEqualTo(first.nodeId());
  }

  @Test
  void saveRefusesToOverwriteAnExistingIdentity() {
    Path file = dir.resolve("node.key");
    Identity original = Identity.generate();
    original.save(file);

    assertThatThrownBy(() -> Identity.generate().save(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("already exists");
    assertThat(Identity.load(file).nodeId()).isEqualTo(original.nodeId());
  }

  @Test
  void missingFileIsAnIoErrorNamingTheFile() {
    Path file = dir.resolve("absent.key");

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void fileWithoutPemBlockIsRejectedNamingTheFile() throws Exception {
    Path file = write("garbage.key", "this is not a key\n");

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no -----BEGIN PRIVATE KEY-----");
  }

  @Test
  void pemBlockWithBadBase64IsRejected() throws Exception {
    Path file = write("bad64.key", pem("MC4CAQAwBQYDK2VwBCIEI!!!"));

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not valid base64");
  }

  @Test
  void truncatedKeyIsRejected() throws Exception {
    byte[] der = Identity.generate().privateKey().getEncoded();
    Path file = write("short.key", pem(Base64.getEncoder().encodeToString(Arrays.copyOf(der, 20))));

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a PKCS#8 PrivateKeyInfo");
  }

  @Test
  void rsaKeyIsRejectedSayingWhichAlgorithmItIs() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
    Path file = write("rsa.key", pem(Base64.getMimeEncoder().encodeToString(der)));

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("1.2.840.113549.1.1.1")
        .hasMessageContaining("expected Ed25519");
  }

  @Test
  void keyWithItsPublicKeyAlongIsAccepted() throws Exception {
    // PKCS#8 v2 (RFC 5958) as other tools write it: the public key travels with the seed.
    var seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    Path file = write("v2.key", pem(v2KeyBase64(seed, publicKey)));

    assertThat(Identity.load(file).nodeId().toBytes()).isEqualTo(publicKey);
  }

  @Test
  void keyWithAMismatchedPublicKeyIsRejected() throws Exception {
    var seed = new byte[32];
    Path file = write("mismatch.key", pem(v2KeyBase64(seed, new byte[32])));

    assertThatThrownBy(() -> Identity.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not match");
  }

  @Test
  void toStringShowsTheNodeIdButNotTheKey() {
    Identity identity = Identity.generate();

    assertThat(identity.toString()).isEqualTo("Identity[" + identity.nodeId().toHex() + "]");
  }

  private static String v2KeyBase64(byte[] seed, byte[] publicKey) throws Exception {
    var info =
        new PrivateKeyInfo(
            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112")),
            new DEROctetString(seed),
            null,
            publicKey);
    return Base64.getMimeEncoder().encodeToString(info.getEncoded());
  }

  private static String pem(String base64) {
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  private Path write(String name, String content) throws Exception {
    Path file = Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      // Owner-only, as a real key file: keeps the "readable by others" warning out of the log.
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    return file;
  }
}
