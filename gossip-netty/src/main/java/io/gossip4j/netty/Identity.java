package io.gossip4j.netty;

import io.gossip4j.Id32;
import io.gossip4j.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's long-term Ed25519 key pair; its {@linkplain #nodeId() node id} is the raw 32-byte
 * public key. The same identity authenticates the node in every TLS handshake, so a node that
 * {@linkplain #loadOrCreate(Path) reuses its key file} keeps its node id across restarts.
 *
 * <p>The keys are the JDK's own (provider {@value #JDK_PROVIDER}) because the JDK's TLS stack
 * signs the handshake with them and does not accept foreign key objects. This class only holds
 * keys; it does not sign.
 *
 * <p>The key file is a PEM {@code PRIVATE KEY} block (unencrypted PKCS#8), the format {@code
 * openssl genpkey -algorithm ed25519} writes, so keys can be made or inspected with OpenSSL.
 */
public final class Identity {
  /** The JDK provider that makes and reads the keys. */
  public static final String JDK_PROVIDER = "SunEC";

  private static final Logger log = LoggerFactory.getLogger(Identity.class);

  private static final String ALGORITHM = "Ed25519";
  private static final ASN1ObjectIdentifier ED25519_OID = new ASN1ObjectIdentifier("1.3.101.112");
  private static final int SEED_LENGTH = 32;

  // DER headers of the fixed-size Ed25519 encodings (RFC 8410): a SubjectPublicKeyInfo is this
  // prefix and the 32-byte public key, a version 1 PKCS#8 PrivateKeyInfo this prefix and the seed.
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";
  private static final int PEM_LINE_LENGTH = 64;
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final NodeId nodeId;

  private Identity(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.nodeId = nodeIdOf(publicKey);
  }

  /** A new random identity. Nothing is written anywhere: {@link #save(Path)} it to keep it. */
  public static Identity generate() {
    try {
      var pair = KeyPairGenerator.getInstance(ALGORITHM, JDK_PROVIDER).generateKeyPair();
      return new Identity(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "this JDK cannot make " + ALGORITHM + " keys with provider " + JDK_PROVIDER, e);
    }
  }

  /**
   * Reads the identity saved in {@code file}.
   *
   * @throws UncheckedIOException if the file cannot be read (missing, no permission)
   * @throws IllegalArgumentException if the file is not a PEM Ed25519 {@code PRIVATE KEY}; the
   *     message names the file and what was wrong
   */
  public static Identity load(Path file) {
    Objects.requireNonNull(file, "file");
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("identity key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read identity key file " + file + ": " + e, e);
    }
    warnIfReadableByOthers(file);
    byte[] seed = parseSeed(pem, file);
    try {
      return fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Reads the identity in {@code file}, or, if there is no such file, generates one and saves it
   * there (creating missing parent directories). If another process creates the file at the same
   * moment, the identity it wrote is loaded instead, so both end up with the same node id.
   */
  public static Identity loadOrCreate(Path file) {
    Objects.requireNonNull(file, "file");
    if (Files.exists(file)) {
      return load(file);
    }
    Identity identity = generate();
    try {
      identity.writeNew(file);
      log.info("created identity {} in {}", identity.nodeId.toHex(), file);
      return identity;
    } catch (FileAlreadyExistsException raced) {
      return load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write identity key file " + file + ": " + e, e);
    }
  }

  /**
   * Writes the private key to a new file {@code file} as a PEM {@code PRIVATE KEY} block.
   *
   * <p>Where the file system supports POSIX permissions the file is created readable and writable
   * by its owner only ({@code rw-------}) in the same system call that creates it, so the key is
   * never readable by others, not even briefly. Elsewhere (Windows) it gets the directory's
   * default access rights. The key is written to a temporary file in the same directory and then
   * renamed, so {@code file} is either absent or complete. Missing parent directories are
   * created.
   *
   * @throws UncheckedIOException if the file cannot be written, or already exists: an existing
   *     identity is never overwritten (delete it first to change the node id)
   */
  public void save(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      writeNew(file);
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException(
          "identity key file " + file + " already exists; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write identity key file " + file + ": " + e, e);
    }
  }

  /** The node id: the raw 32-byte Ed25519 public key. */
  public NodeId nodeId() {
    return nodeId;
  }

  /** The public key (a JDK key object). */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The private key (a JDK key object). Whoever holds it can impersonate this node. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * The node id an Ed25519 public key stands for: its raw 32 bytes.
   *
   * @throws IllegalArgumentException if {@code key} is not an Ed25519 public key
   */
  public static NodeId nodeIdOf(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] spki = key.getEncoded();
    if (spki == null
        || spki.length != SPKI_PREFIX.length + Id32.LENGTH
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException(
          "expected an Ed25519 public key, got a " + key.getAlgorithm() + " key");
    }
    return NodeId.of(Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
  }

  @Override
  public String toString() {
    return "Identity[" + nodeId.toHex() + "]";
  }

  private void writeNew(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attributes =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    // The temporary file is born owner-only (the mode is passed to open(2)), and rename keeps it.
    Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer pem = ByteBuffer.wrap(toPem().getBytes(StandardCharsets.US_ASCII));
        while (pem.hasRemaining()) {
          channel.write(pem);
        }
        channel.force(true);
      }
      // No REPLACE_EXISTING: an identity that appeared meanwhile wins and is not overwritten.
      Files.move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private String toPem() {
    String base64 = Base64.getMimeEncoder(PEM_LINE_LENGTH, new byte[] {'\n'})
        .encodeToString(privateKey.getEncoded());
    return PEM_BEGIN + "\n" + base64 + "\n" + PEM_END + "\n";
  }

  private static byte[] parseSeed(String pem, Path file) {
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw malformed(file, "no " + PEM_BEGIN + " ... " + PEM_END + " block", null);
    }
    byte[] der;
    try {
      // The strict decoder, not the MIME one, which would silently skip foreign characters.
      String body = WHITESPACE.matcher(pem.substring(begin + PEM_BEGIN.length(), end)).replaceAll("");
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw malformed(file, "the PEM block is not valid base64", e);
    }
    try {
      return seedOf(der);
    } catch (MalformedKey e) {
      throw malformed(file, e.getMessage(), e.getCause());
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * The 32-byte Ed25519 private key (RFC 8032's seed) of this identity: what signing with
   * BouncyCastle's low-level {@code Ed25519} takes. Read from the JDK key's PKCS#8 encoding;
   * the caller should wipe it when done.
   */
  byte[] privateSeed() {
    byte[] der = privateKey.getEncoded();
    try {
      return seedOf(der);
    } catch (MalformedKey e) {
      throw new IllegalStateException("the JDK's encoding of " + this + "'s private key is not"
          + " an Ed25519 PKCS#8 key: " + e.getMessage(), e.getCause());
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** The seed in a PKCS#8 PrivateKeyInfo, checked against the public key it may carry. */
  private static byte[] seedOf(byte[] der) throws MalformedKey {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new MalformedKey("the PEM block is not a PKCS#8 PrivateKeyInfo", e);
    }
    ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (!ED25519_OID.equals(algorithm)) {
      throw new MalformedKey(
          "the key's algorithm is " + algorithm + ", expected Ed25519 (" + ED25519_OID + ")",
          null);
    }
    byte[] seed;
    try {
      seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new MalformedKey("the Ed25519 private key is not an octet string", e);
    }
    if (seed.length != SEED_LENGTH) {
      throw new MalformedKey(
          "the Ed25519 private key has " + seed.length + " bytes, expected " + SEED_LENGTH,
          null);
    }
    if (info.getPublicKeyData() != null) {
      byte[] stored = info.getPublicKeyData().getOctets();
      byte[] derived = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      if (!Arrays.equals(stored, derived)) {
        throw new MalformedKey("the public key stored with the private key does not match it",
            null);
      }
    }
    return seed;
  }

  /** Why a PKCS#8 encoding is not an Ed25519 private key. */
  private static final class MalformedKey extends Exception {
    MalformedKey(String what, Throwable cause) {
      super(what, cause);
    }
  }

  private static Identity fromSeed(byte[] seed) {
    // The JDK cannot derive an Ed25519 public key from a private one: BouncyCastle does the curve
    // arithmetic, the JDK then gets both keys as standard encodings.
    byte[] rawPublic = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    byte[] pkcs8 = concat(PKCS8_PREFIX, seed);
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM, JDK_PROVIDER);
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      PublicKey publicKey =
          factory.generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, rawPublic)));
      return new Identity(privateKey, publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "this JDK cannot read " + ALGORITHM + " keys with provider " + JDK_PROVIDER, e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static byte[] concat(byte[] prefix, byte[] body) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static IllegalArgumentException malformed(Path file, String what, Throwable cause) {
    return new IllegalArgumentException(
        "identity key file " + file + " is not an Ed25519 PEM PRIVATE KEY: " + what, cause);
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
        return;
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        log.warn(
            "identity key file {} has permissions {}: others may read this node's private key;"
                + " expected rw-------",
            file,
            PosixFilePermissions.toString(permissions));
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot check the permissions of {}", file, e);
    }
  }
}
