package io.gossip4j.netty.tls;

import io.gossip4j.NodeId;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A host's identity key as libp2p encodes it: the protobuf message {@code PublicKey {required
 * KeyType Type = 1; required bytes Data = 2;}}, where Data is the raw 32 bytes of an Ed25519 key,
 * the 33-byte compressed point of a secp256k1 key, or the DER SubjectPublicKeyInfo of an RSA or
 * ECDSA key (libp2p/specs, peer-ids and tls/tls.md).
 *
 * <p>gossip4j nodes are identified by Ed25519 keys only, but a signature by any of the four types
 * is checked, so that a refusal says what was wrong: a bad signature, or a good one by a key of
 * the wrong type.
 *
 * @param type the key type
 * @param data the key bytes, encoded as the type requires
 */
record IdentityKey(KeyType type, byte[] data) {
  /** libp2p's key types, by their protobuf enum number. */
  enum KeyType {
    RSA("RSA"), ED25519("Ed25519"), SECP256K1("secp256k1"), ECDSA("ECDSA");

    private final String label;

    KeyType(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }

    static KeyType of(long number) {
      KeyType[] all = values();
      if (number < 0 || number >= all.length) {
        throw new IllegalArgumentException("unknown key type " + number);
      }
      return all[(int) number];
    }
  }

  private static final int ED25519_KEY_BYTES = 32;
  // Protobuf tags: field number << 3 | wire type (0 varint, 2 length-delimited).
  private static final int TYPE_TAG = 1 << 3;
  private static final int DATA_TAG = 2 << 3 | 2;
  private static final int MAX_DATA_BYTES = 8 << 10;

  /** Checks the parts are present, and copies the key bytes. */
  IdentityKey {
    Objects.requireNonNull(type, "type");
    data = data.clone();
  }

  /** The key bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The Ed25519 key that is {@code node}. */
  static IdentityKey ed25519(NodeId node) {
    return new IdentityKey(KeyType.ED25519, node.toBytes());
  }

  /** The node id of this key, which must be Ed25519. */
  NodeId nodeId() {
    if (type != KeyType.ED25519) {
      throw new IllegalStateException("a " + type + " key is no node id");
    }
    return NodeId.of(data);
  }

  /** The protobuf encoding: {@code 08 <type> 12 <length> <data>}. */
  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 8);
    out.write(TYPE_TAG);
    writeVarint(out, type.ordinal());
    out.write(DATA_TAG);
    writeVarint(out, data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /**
   * Reads the protobuf encoding: both fields exactly once, in any order, and nothing else.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  static IdentityKey decode(byte[] protobuf) {
    int[] at = {0};
    KeyType type = null;
    byte[] data = null;
    while (at[0] < protobuf.length) {
      long tag = readVarint(protobuf, at);
      if (tag == TYPE_TAG && type == null) {
        type = KeyType.of(readVarint(protobuf, at));
      } else if (tag == DATA_TAG && data == null) {
        long length = readVarint(protobuf, at);
        if (length > MAX_DATA_BYTES || length > protobuf.length - at[0]) {
          throw new IllegalArgumentException("key data of " + length + " bytes, "
              + (protobuf.length - at[0]) + " left");
        }
        data = Arrays.copyOfRange(protobuf, at[0], at[0] + (int) length);
        at[0] += (int) length;
      } else {
        throw new IllegalArgumentException("unexpected or repeated protobuf field, tag " + tag);
      }
    }
    if (type == null || data == null) {
      throw new IllegalArgumentException("the key " + (type == null ? "type" : "data")
          + " is missing");
    }
    if (type == KeyType.ED25519 && data.length != ED25519_KEY_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 key has " + ED25519_KEY_BYTES + " bytes, got " + data.length);
    }
    return new IdentityKey(type, data);
  }

  /**
   * Whether {@code signature} is this key's signature of {@code message}: Ed25519, ECDSA and
   * secp256k1 (DER-encoded, over SHA-256) or RSA PKCS#1 v1.5 with SHA-256, as libp2p signs.
   */
  boolean verifies(byte[] message, byte[] signature) {
    try {
      return switch (type) {
        case ED25519 -> jdkVerify("Ed25519", "Ed25519", ed25519Spki(), message, signature);
        case ECDSA -> jdkVerify("EC", "SHA256withECDSA", data, message, signature);
        case RSA -> jdkVerify("RSA", "SHA256withRSA", data, message, signature);
        case SECP256K1 -> secp256k1Verify(message, signature);
      };
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a key or signature that does not even parse verifies nothing
    }
  }

  private byte[] ed25519Spki() throws GeneralSecurityException {
    try {
      return new SubjectPublicKeyInfo(
          new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), data).getEncoded();
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static boolean jdkVerify(String keyAlgorithm, String signatureAlgorithm, byte[] spki,
      byte[] message, byte[] signature) throws GeneralSecurityException {
    PublicKey key = KeyFactory.getInstance(keyAlgorithm).generatePublic(
        new X509EncodedKeySpec(spki));
    Signature verifier = Signature.getInstance(signatureAlgorithm);
    verifier.initVerify(key);
    verifier.update(message);
    return verifier.verify(signature);
  }

  /** The JDK has no secp256k1 since 16: BouncyCastle's ECDSA on its curve. */
  private boolean secp256k1Verify(byte[] message, byte[] signature) {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters domain = new ECDomainParameters(curve);
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(curve.getCurve().decodePoint(data), domain));
    SHA256Digest sha256 = new SHA256Digest();
    sha256.update(message, 0, message.length);
    byte[] digest = new byte[sha256.getDigestSize()];
    sha256.doFinal(digest, 0);
    ASN1Sequence rs = ASN1Sequence.getInstance(signature);
    if (rs.size() != 2) {
      return false;
    }
    BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
    return verifier.verifySignature(digest, r, s);
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static long readVarint(byte[] in, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= in.length) {
        throw new IllegalArgumentException("protobuf varint runs past the end");
      }
      int b = in[at[0]++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("protobuf varint longer than 10 bytes");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityKey k && k.type == type && Arrays.equals(k.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return type + " key of " + data.length + " bytes";
  }
}
