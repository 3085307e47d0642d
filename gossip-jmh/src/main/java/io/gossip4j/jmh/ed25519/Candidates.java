package io.gossip4j.jmh.ed25519;

import cafe.cryptography.ed25519.Ed25519PrivateKey;
import cafe.cryptography.ed25519.Ed25519PublicKey;
import cafe.cryptography.ed25519.Ed25519Signature;
import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.Ed25519Verify;
import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.LinkedHashMap;
import java.math.BigInteger;
import net.i2p.crypto.eddsa.EdDSAEngine;
import net.i2p.crypto.eddsa.EdDSAPrivateKey;
import net.i2p.crypto.eddsa.EdDSAPublicKey;
import net.i2p.crypto.eddsa.spec.EdDSANamedCurveTable;
import net.i2p.crypto.eddsa.spec.EdDSAParameterSpec;
import net.i2p.crypto.eddsa.spec.EdDSAPrivateKeySpec;
import net.i2p.crypto.eddsa.spec.EdDSAPublicKeySpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** The candidates, by name; each is made when first asked for (native ones load a library). */
public final class Candidates {
  /** The names in the order the reports list them; BouncyCastle (today's) first. */
  public static final List<String> NAMES = List.of("bc", "bc-point", "jdk", "conscrypt",
      "lazysodium", "sodium-jna", "tink", "i2p", "elisabeth");

  private static final Map<String, Supplier<Candidate>> MAKERS = new LinkedHashMap<>();

  static {
    MAKERS.put("bc", BouncyCastle::new);
    MAKERS.put("bc-point", BouncyCastlePoint::new);
    MAKERS.put("jdk", Jdk::new);
    MAKERS.put("conscrypt", Conscrypt::new);
    MAKERS.put("lazysodium", LazySodium::new);
    MAKERS.put("sodium-jna", SodiumJna::new);
    MAKERS.put("tink", Tink::new);
    MAKERS.put("i2p", I2p::new);
    MAKERS.put("elisabeth", Elisabeth::new);
  }

  private Candidates() {}

  /**
   * The candidate of that name; {@code NAME+sodium-rule} puts libsodium's input checks in
   * front of it ({@link SodiumRule}), {@code NAME|bc} lets BouncyCastle decide what it refuses
   * ({@link ThenBouncyCastle}).
   *
   * @throws RuntimeException or {@link LinkageError} if it cannot be loaded here (a native
   *     library missing)
   */
  public static Candidate get(String name) {
    if (name.endsWith("|bc")) {
      return new ThenBouncyCastle(get(name.substring(0, name.length() - 3)));
    }
    if (name.endsWith("+sodium-rule")) {
      return new SodiumRule(get(name.substring(0, name.length() - "+sodium-rule".length())));
    }
    Supplier<Candidate> maker = MAKERS.get(name);
    if (maker == null) {
      throw new IllegalArgumentException("no candidate " + name + "; there are " + NAMES);
    }
    return maker.get();
  }

  /** Every candidate that loads on this machine, with a line on stderr for each that does not. */
  public static List<Candidate> available() {
    List<Candidate> all = new ArrayList<>();
    for (String name : NAMES) {
      try {
        all.add(get(name));
      } catch (RuntimeException | LinkageError e) {
        System.err.println("candidate " + name + " not available: " + e);
      }
    }
    return all;
  }

  /** The public key of a seed, by BouncyCastle. */
  public static byte[] publicKey(byte[] seed) {
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  /** BouncyCastle's low-level API from raw key bytes: what OriginSigner does today. */
  static final class BouncyCastle implements Candidate {
    @Override
    public String name() {
      return "bc";
    }

    @Override
    public String description() {
      return "BouncyCastle bcprov-jdk18on, org.bouncycastle.math.ec.rfc8032.Ed25519, key bytes";
    }

    @Override
    public Verifier verifier(byte[] publicKey) {
      byte[] pk = publicKey.clone();
      return (m, sig) -> sig.length == Ed25519.SIGNATURE_SIZE
          && Ed25519.verify(sig, 0, pk, 0, m, 0, m.length);
    }

    @Override
    public Signer signer(byte[] seed) {
      byte[] sk = seed.clone();
      byte[] pk = publicKey(sk);
      return m -> {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(sk, 0, pk, 0, m, 0, m.length, sig, 0);
        return sig;
      };
    }
  }

  /**
   * BouncyCastle's low-level API against a decoded public point, made once per key: what a
   * node could keep per origin, saving the key's decompression on every message.
   */
  static final class BouncyCastlePoint implements Candidate {
    @Override
    public String name() {
      return "bc-point";
    }

    @Override
    public String description() {
      return "BouncyCastle, Ed25519.verify against a PublicPoint decoded once per key"
          + " (validatePublicKeyPartialExport)";
    }

    @Override
    public Verifier verifier(byte[] publicKey) {
      // Partial validation: the checks Ed25519.verify makes on a key given as bytes.
      Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
      if (point == null) {
        throw new IllegalArgumentException("BouncyCastle refuses the key");
      }
      return (m, sig) -> sig.length == Ed25519.SIGNATURE_SIZE
          && Ed25519.verify(sig, 0, point, m, 0, m.length);
    }

    @Override
    public Signer signer(byte[] seed) {
      return new BouncyCastle().signer(seed);
    }
  }

  /** A JCA provider's "Ed25519" Signature, the key decoded once, the Signature object reused. */
  abstract static class Jca implements Candidate {
    /** RFC 8410's DER prefixes of an Ed25519 public key (SPKI) and private key (PKCS#8). */
    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    abstract Signature signature() throws GeneralSecurityException;

    abstract KeyFactory keyFactory() throws GeneralSecurityException;

    PublicKey publicKey(byte[] publicKey) throws GeneralSecurityException {
      return keyFactory().generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, publicKey)));
    }

    PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
      return keyFactory().generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    }

    @Override
    public Verifier verifier(byte[] publicKey) throws GeneralSecurityException {
      PublicKey key = publicKey(publicKey);
      Signature signature = signature();
      return (m, sig) -> {
        signature.initVerify(key);
        signature.update(m);
        return signature.verify(sig);
      };
    }

    @Override
    public Signer signer(byte[] seed) throws GeneralSecurityException {
      PrivateKey key = privateKey(seed);
      Signature signature = signature();
      return m -> {
        signature.initSign(key);
        signature.update(m);
        return signature.sign();
      };
    }
  }

  /** The JDK's own EdDSA (SunEC). */
  static final class Jdk extends Jca {
    @Override
    public String name() {
      return "jdk";
    }

    @Override
    public String description() {
      return "JDK " + Runtime.version() + " Signature.getInstance(\"Ed25519\") (SunEC)";
    }

    @Override
    Signature signature() throws GeneralSecurityException {
      return Signature.getInstance("Ed25519", "SunEC");
    }

    @Override
    KeyFactory keyFactory() throws GeneralSecurityException {
      return KeyFactory.getInstance("Ed25519", "SunEC");
    }

    /** The JDK's own key spec from the raw encoding (RFC 8032 section 5.1.3 layout). */
    @Override
    PublicKey publicKey(byte[] publicKey) throws GeneralSecurityException {
      byte[] y = publicKey.clone();
      boolean xOdd = (y[31] & 0x80) != 0;
      y[31] &= 0x7f;
      reverse(y);
      EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, y));
      return keyFactory().generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    @Override
    PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
      return keyFactory().generatePrivate(
          new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    }
  }

  /** Conscrypt: Google's JCA provider over BoringSSL, a native library shipped in its jar. */
  static final class Conscrypt extends Jca {
    private final Provider provider = org.conscrypt.Conscrypt.newProvider();

    @Override
    public String name() {
      return "conscrypt";
    }

    @Override
    public String description() {
      return "Conscrypt " + org.conscrypt.Conscrypt.version().major() + "."
          + org.conscrypt.Conscrypt.version().minor() + "."
          + org.conscrypt.Conscrypt.version().patch()
          + " (conscrypt-openjdk-uber, BoringSSL through JNI)";
    }

    @Override
    Signature signature() throws GeneralSecurityException {
      return Signature.getInstance("Ed25519", provider);
    }

    @Override
    KeyFactory keyFactory() throws GeneralSecurityException {
      return KeyFactory.getInstance("Ed25519", provider);
    }
  }

  /** libsodium's crypto_sign_verify_detached through a JNA binding. */
  abstract static class Sodium implements Candidate {
    /** The binding's three functions; implementations map them to the native ones. */
    abstract int verifyDetached(byte[] sig, byte[] m, long mlen, byte[] pk);

    abstract int signDetached(byte[] sig, byte[] m, long mlen, byte[] sk);

    abstract int seedKeypair(byte[] pk, byte[] sk, byte[] seed);

    @Override
    public Verifier verifier(byte[] publicKey) {
      if (publicKey.length != 32) {
        throw new IllegalArgumentException("key length");
      }
      byte[] pk = publicKey.clone();
      return (m, sig) -> sig.length == 64 && verifyDetached(sig, m, m.length, pk) == 0;
    }

    @Override
    public Signer signer(byte[] seed) {
      byte[] pk = new byte[32];
      byte[] sk = new byte[64];
      if (seedKeypair(pk, sk, seed) != 0) {
        throw new IllegalStateException("crypto_sign_seed_keypair failed");
      }
      return m -> {
        byte[] sig = new byte[64];
        if (signDetached(sig, m, m.length, sk) != 0) {
          throw new IllegalStateException("crypto_sign_detached failed");
        }
        return sig;
      };
    }
  }

  /** lazysodium-java: JNA direct mapping to the libsodium shipped in its jar. */
  static final class LazySodium extends Sodium {
    private final SodiumJava sodium = new SodiumJava(LibraryLoader.Mode.BUNDLED_ONLY);

    LazySodium() {
      if (sodium.sodium_init() < 0) {
        throw new IllegalStateException("sodium_init failed");
      }
    }

    @Override
    public String name() {
      return "lazysodium";
    }

    @Override
    public String description() {
      return "lazysodium-java (JNA direct mapping), the libsodium bundled in its jar";
    }

    @Override
    int verifyDetached(byte[] sig, byte[] m, long mlen, byte[] pk) {
      return sodium.crypto_sign_verify_detached(sig, m, mlen, pk);
    }

    @Override
    int signDetached(byte[] sig, byte[] m, long mlen, byte[] sk) {
      return sodium.crypto_sign_detached(sig, null, m, mlen, sk);
    }

    @Override
    int seedKeypair(byte[] pk, byte[] sk, byte[] seed) {
      return sodium.crypto_sign_seed_keypair(pk, sk, seed);
    }
  }

  /** A binding of our own: a few functions of the system's libsodium, JNA direct mapping. */
  static final class SodiumJna extends Sodium {
    SodiumJna() {
      SodiumNative.load();
    }

    @Override
    public String name() {
      return "sodium-jna";
    }

    @Override
    public String description() {
      return "own JNA direct mapping (SodiumNative) of the system libsodium "
          + SodiumNative.sodium_version_string() + " (" + SodiumNative.path() + ")";
    }

    @Override
    int verifyDetached(byte[] sig, byte[] m, long mlen, byte[] pk) {
      return SodiumNative.crypto_sign_verify_detached(sig, m, mlen, pk);
    }

    @Override
    int signDetached(byte[] sig, byte[] m, long mlen, byte[] sk) {
      return SodiumNative.crypto_sign_detached(sig, null, m, mlen, sk);
    }

    @Override
    int seedKeypair(byte[] pk, byte[] sk, byte[] seed) {
      return SodiumNative.crypto_sign_seed_keypair(pk, sk, seed);
    }
  }

  /** Google Tink's pure-Java Ed25519 (its subtle API; Tink uses it when Conscrypt is absent). */
  static final class Tink implements Candidate {
    @Override
    public String name() {
      return "tink";
    }

    @Override
    public String description() {
      return "Tink com.google.crypto.tink.subtle.Ed25519Verify/Ed25519Sign (pure Java)";
    }

    @Override
    public Verifier verifier(byte[] publicKey) {
      Ed25519Verify verify = new Ed25519Verify(publicKey);
      return (m, sig) -> {
        try {
          verify.verify(sig, m);
          return true;
        } catch (GeneralSecurityException e) {
          return false;
        }
      };
    }

    @Override
    public Signer signer(byte[] seed) throws GeneralSecurityException {
      Ed25519Sign sign = new Ed25519Sign(seed);
      return sign::sign;
    }
  }

  /** net.i2p.crypto:eddsa (str4d's ed25519-java), its one-shot mode. */
  static final class I2p implements Candidate {
    private static final EdDSAParameterSpec SPEC =
        EdDSANamedCurveTable.getByName(EdDSANamedCurveTable.ED_25519);

    @Override
    public String name() {
      return "i2p";
    }

    @Override
    public String description() {
      return "net.i2p.crypto:eddsa (ed25519-java), EdDSAEngine one-shot";
    }

    @Override
    public Verifier verifier(byte[] publicKey) throws GeneralSecurityException {
      EdDSAPublicKey key = new EdDSAPublicKey(new EdDSAPublicKeySpec(publicKey, SPEC));
      EdDSAEngine engine = new EdDSAEngine();
      return (m, sig) -> {
        engine.initVerify(key);
        return engine.verifyOneShot(m, sig);
      };
    }

    @Override
    public Signer signer(byte[] seed) throws GeneralSecurityException {
      EdDSAPrivateKey key = new EdDSAPrivateKey(new EdDSAPrivateKeySpec(seed, SPEC));
      EdDSAEngine engine = new EdDSAEngine();
      return m -> {
        engine.initSign(key);
        return engine.signOneShot(m);
      };
    }
  }

  /** cafe.cryptography:ed25519-elisabeth, a Java port of curve25519-dalek's Ed25519. */
  static final class Elisabeth implements Candidate {
    @Override
    public String name() {
      return "elisabeth";
    }

    @Override
    public String description() {
      return "cafe.cryptography:ed25519-elisabeth (Java port of curve25519-dalek)";
    }

    @Override
    public Verifier verifier(byte[] publicKey) throws Exception {
      Ed25519PublicKey key = Ed25519PublicKey.fromByteArray(publicKey);
      return (m, sig) -> key.verify(m, Ed25519Signature.fromByteArray(sig));
    }

    @Override
    public Signer signer(byte[] seed) {
      Ed25519PrivateKey key = Ed25519PrivateKey.fromByteArray(seed);
      var expanded = key.expand();
      Ed25519PublicKey pub = key.derivePublic();
      return m -> expanded.sign(m, pub).toByteArray();
    }
  }

  static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void reverse(byte[] b) {
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }
}
