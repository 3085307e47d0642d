package io.gossip4j.jmh.ed25519;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Ed25519 in plain {@link BigInteger} arithmetic, after RFC 8032 section 5.1 (slow, clear, for
 * tests only): makes the crafted vectors, and says which verification rules a vector meets, so
 * that each candidate's verdicts can be matched against a named rule.
 */
final class Reference {
  static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  static final BigInteger D = BigInteger.valueOf(-121665)
      .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  /** A square root of -1. */
  static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
  static final Point IDENTITY =
      new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);
  static final Point BASE;

  static {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BASE = Point.affine(recoverX(y, false), y);
  }

  private Reference() {}

  /** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
  record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
    static Point affine(BigInteger x, BigInteger y) {
      return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
    }

    Point add(Point q) {
      BigInteger a = y.subtract(x).multiply(q.y.subtract(q.x)).mod(P);
      BigInteger b = y.add(x).multiply(q.y.add(q.x)).mod(P);
      BigInteger c = t.multiply(BigInteger.TWO).multiply(D).multiply(q.t).mod(P);
      BigInteger d = z.multiply(BigInteger.TWO).multiply(q.z).mod(P);
      BigInteger e = b.subtract(a);
      BigInteger f = d.subtract(c);
      BigInteger g = d.add(c);
      BigInteger h = b.add(a);
      return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P),
          e.multiply(h).mod(P));
    }

    Point negate() {
      return new Point(P.subtract(x).mod(P), y, z, P.subtract(t).mod(P));
    }

    Point times(BigInteger scalar) {
      Point result = IDENTITY;
      Point addend = this;
      for (int i = 0; i < scalar.bitLength(); i++) {
        if (scalar.testBit(i)) {
          result = result.add(addend);
        }
        addend = addend.add(addend);
      }
      return result;
    }

    Point times(long scalar) {
      return times(BigInteger.valueOf(scalar));
    }

    boolean same(Point q) {
      return x.multiply(q.z).subtract(q.x.multiply(z)).mod(P).signum() == 0
          && y.multiply(q.z).subtract(q.y.multiply(z)).mod(P).signum() == 0;
    }

    boolean isIdentity() {
      return same(IDENTITY);
    }

    /** Whether [8]this is the identity: the point has no prime-order component. */
    boolean smallOrder() {
      return times(8).isIdentity();
    }

    /** Whether [L]this is the identity: the point has no torsion component. */
    boolean primeOrderOrIdentity() {
      return times(L).isIdentity();
    }

    /** The canonical encoding. */
    byte[] encode() {
      BigInteger zi = z.modInverse(P);
      BigInteger ax = x.multiply(zi).mod(P);
      BigInteger ay = y.multiply(zi).mod(P);
      byte[] out = littleEndian(ay);
      if (ax.testBit(0)) {
        out[31] |= (byte) 0x80;
      }
      return out;
    }
  }

  /** x of the point with that y and sign, or null; y must be reduced. */
  static BigInteger recoverX(BigInteger y, boolean sign) {
    BigInteger y2 = y.multiply(y);
    BigInteger x2 = y2.subtract(BigInteger.ONE)
        .multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
    if (x2.signum() == 0) {
      return sign ? null : BigInteger.ZERO;
    }
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (x.multiply(x).subtract(x2).mod(P).signum() != 0) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (x.multiply(x).subtract(x2).mod(P).signum() != 0) {
      return null;
    }
    if (x.testBit(0) != sign) {
      x = P.subtract(x);
    }
    return x;
  }

  /**
   * Decodes 32 bytes. Strict is RFC 8032 section 5.1.3: y must be below p, and x = 0 with the
   * sign bit set is refused. Lenient is ZIP-215's: y is taken mod p and a set sign bit on x = 0
   * is ignored. Null if no point has that encoding.
   */
  static Point decode(byte[] encoded, boolean strict) {
    byte[] copy = encoded.clone();
    boolean sign = (copy[31] & 0x80) != 0;
    copy[31] &= 0x7f;
    BigInteger y = fromLittleEndian(copy);
    if (y.compareTo(P) >= 0) {
      if (strict) {
        return null;
      }
      y = y.subtract(P);
    }
    BigInteger x = recoverX(y, sign);
    if (x == null && !strict && sign) {
      x = recoverX(y, false);
      if (x != null && x.signum() != 0) {
        x = null;
      }
    }
    return x == null ? null : Point.affine(x, y);
  }

  static boolean canonical(byte[] encoded) {
    Point p = decode(encoded, true);
    return p != null && Arrays.equals(p.encode(), encoded);
  }

  static BigInteger fromLittleEndian(byte[] bytes) {
    byte[] be = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      be[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static byte[] littleEndian(BigInteger value) {
    byte[] out = new byte[32];
    byte[] be = value.toByteArray();
    for (int i = 0; i < be.length && i < 33; i++) {
      int at = be.length - 1 - i;
      if (i < 32) {
        out[i] = be[at];
      }
    }
    return out;
  }

  static byte[] sha512(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** k = SHA-512(R || A || M) mod L, over the bytes as given. */
  static BigInteger challenge(byte[] r, byte[] a, byte[] message) {
    return fromLittleEndian(sha512(r, a, message)).mod(L);
  }

  /** The secret scalar of an RFC 8032 seed (pruned first half of its hash). */
  static BigInteger secretScalar(byte[] seed) {
    byte[] h = Arrays.copyOf(sha512(seed), 32);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    return fromLittleEndian(h);
  }

  /** What a vector is, in the terms the rules of the many Ed25519 verifiers differ on. */
  record Facts(boolean sCanonical, boolean aStrict, boolean rStrict, boolean aLenient,
      boolean rLenient, boolean aSmallOrder, boolean rSmallOrder, boolean aTorsionFree,
      boolean rTorsionFree, boolean cofactorless, boolean cofactored) {

    /**
     * RFC 8032 section 5.1.7 read strictly: canonical S, A and R, and the cofactorless
     * equation [S]B = R + [k]A (section 5.1.7 allows the cofactored one too).
     */
    boolean rfc8032Cofactorless() {
      return sCanonical && aStrict && rStrict && cofactorless;
    }

    /** Canonical S, A and R, and the cofactored equation [8][S]B = [8]R + [8][k]A. */
    boolean rfc8032Cofactored() {
      return sCanonical && aStrict && rStrict && cofactored;
    }

    /** ZIP-215: canonical S, A and R decoded leniently, the cofactored equation. */
    boolean zip215() {
      return sCanonical && aLenient && rLenient && cofactored;
    }

    /** ref10-style cofactorless, canonical R (by re-encoding), A decoded without the check. */
    boolean ref10() {
      return sCanonical && aLenient && rStrict && cofactorless;
    }

    /**
     * BouncyCastle 1.86's rule, as read from its source: canonical S, A and R, A not of small
     * order (refused by a list of y values), and the cofactored equation.
     */
    boolean bouncyCastle() {
      return rfc8032Cofactored() && !aSmallOrder;
    }

    /**
     * libsodium 1.0.18's documented rule: canonical S, A and R, neither A nor R of small
     * order, cofactorless equation.
     */
    boolean libsodium() {
      return rfc8032Cofactorless() && !aSmallOrder && !rSmallOrder;
    }
  }

  static Facts facts(byte[] publicKey, byte[] message, byte[] signature) {
    byte[] r = Arrays.copyOfRange(signature, 0, 32);
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    BigInteger sValue = fromLittleEndian(s);
    boolean sCanonical = sValue.compareTo(L) < 0;
    Point a = decode(publicKey, false);
    Point rp = decode(r, false);
    boolean aStrict = decode(publicKey, true) != null;
    boolean rStrict = decode(r, true) != null;
    boolean cofactorless = false;
    boolean cofactored = false;
    if (a != null && rp != null) {
      BigInteger k = challenge(r, publicKey, message);
      Point left = BASE.times(sValue);
      Point right = rp.add(a.times(k));
      cofactorless = left.same(right);
      cofactored = left.times(8).same(right.times(8));
    }
    return new Facts(sCanonical, aStrict, rStrict, a != null, rp != null,
        a != null && a.smallOrder(), rp != null && rp.smallOrder(),
        a != null && a.primeOrderOrIdentity(), rp != null && rp.primeOrderOrIdentity(),
        cofactorless, cofactored);
  }
}
