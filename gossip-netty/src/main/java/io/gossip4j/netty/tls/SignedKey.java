package io.gossip4j.netty.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * The value of the libp2p public key extension (OID {@value #OID}): the host's identity key and
 * its signature over {@value #SIGNATURE_PREFIX} followed by the DER SubjectPublicKeyInfo of the
 * certificate's own key, which proves that the holder of the identity key chose that certificate
 * key (libp2p/specs, tls/tls.md).
 *
 * <pre>
 * SignedKey ::= SEQUENCE {
 *   publicKey OCTET STRING,  -- the identity key, protobuf-encoded (see IdentityKey)
 *   signature OCTET STRING
 * }
 * </pre>
 *
 * @param key the identity key
 * @param signature the identity key's signature
 */
record SignedKey(IdentityKey key, byte[] signature) {
  /** The extension's object identifier, allocated by IANA to libp2p. */
  static final String OID = "1.3.6.1.4.1.53594.1.1";
  static final ASN1ObjectIdentifier ASN1_OID = new ASN1ObjectIdentifier(OID);
  /** What precedes the certificate key in the signed message. */
  static final String SIGNATURE_PREFIX = "libp2p-tls-handshake:";

  private static final int FIELDS = 2;

  /** Copies the signature. */
  SignedKey {
    signature = signature.clone();
  }

  /** The signature bytes. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** What the identity key signs for a certificate whose key is {@code certificateSpki}. */
  static byte[] signedMessage(byte[] certificateSpki) {
    byte[] prefix = SIGNATURE_PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] message = Arrays.copyOf(prefix, prefix.length + certificateSpki.length);
    System.arraycopy(certificateSpki, 0, message, prefix.length, certificateSpki.length);
    return message;
  }

  /** Whether the signature is the identity key's, for a certificate key {@code certificateSpki}. */
  boolean signs(byte[] certificateSpki) {
    return key.verifies(signedMessage(certificateSpki), signature);
  }

  /** The DER encoding: the extension's value. */
  byte[] encode() {
    try {
      return new DERSequence(new DEROctetString[] {
        new DEROctetString(key.encode()), new DEROctetString(signature)
      }).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a SignedKey", e);
    }
  }

  /**
   * Reads the extension's value.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  static SignedKey decode(byte[] der) {
    ASN1Sequence sequence;
    try {
      sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a DER SEQUENCE: " + e.getMessage(), e);
    }
    if (sequence.size() != FIELDS) {
      throw new IllegalArgumentException(
          "expected a SEQUENCE of 2 OCTET STRINGs, got " + sequence.size() + " elements");
    }
    byte[] key;
    byte[] signature;
    try {
      key = ASN1OctetString.getInstance(sequence.getObjectAt(0)).getOctets();
      signature = ASN1OctetString.getInstance(sequence.getObjectAt(1)).getOctets();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected two OCTET STRINGs: " + e.getMessage(), e);
    }
    return new SignedKey(IdentityKey.decode(key), signature);
  }
}
