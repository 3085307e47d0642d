package io.gossip4j.jmh.ed25519;

/**
 * Puts libsodium's (1.0.18 to 1.0.20, default build) input checks in front of another
 * candidate: S below the group order L; neither R nor A one of the small-order encodings
 * libsodium refuses (compared with the sign bit ignored: y in {0, 1, p - 1, p, p + 1} or the
 * y of a point of order 8); A's y below p. Over a cofactorless verifier that insists on a
 * canonical R (ref10's re-encoding, or RFC 8032's strict decoding) this gives exactly
 * libsodium's acceptance set, which AgreementTest checks over every vector. The checks are a
 * few byte comparisons: no point arithmetic.
 */
public final class SodiumRule implements Candidate {
  /** L, little-endian. */
  private static final byte[] ORDER = Candidates.hex(
      "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  /** y (little-endian, sign bit clear) of the small-order points and of y + p for y < 2. */
  private static final byte[][] SMALL_ORDER_Y = {
      Candidates.hex("0000000000000000000000000000000000000000000000000000000000000000"),
      Candidates.hex("0100000000000000000000000000000000000000000000000000000000000000"),
      Candidates.hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      Candidates.hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      Candidates.hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      Candidates.hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
      Candidates.hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
  };
  /** p, little-endian. */
  private static final byte[] PRIME = SMALL_ORDER_Y[3];

  private final Candidate inner;

  public SodiumRule(Candidate inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name() + "+sodium-rule";
  }

  @Override
  public String description() {
    return inner.description() + ", behind libsodium's input checks";
  }

  @Override
  public Verifier verifier(byte[] publicKey) throws Exception {
    if (publicKey.length != 32 || smallOrder(publicKey, 0) || !belowPrime(publicKey)) {
      throw new IllegalArgumentException("libsodium refuses this key");
    }
    Verifier verifier = inner.verifier(publicKey);
    return (m, sig) -> sig.length == 64 && !smallOrder(sig, 0) && scalarBelowOrder(sig)
        && verifier.verify(m, sig);
  }

  @Override
  public Signer signer(byte[] seed) throws Exception {
    return inner.signer(seed);
  }

  /** Whether the 32 bytes at off, sign bit ignored, are one of SMALL_ORDER_Y. */
  static boolean smallOrder(byte[] b, int off) {
    outer:
    for (byte[] y : SMALL_ORDER_Y) {
      for (int i = 0; i < 31; i++) {
        if (b[off + i] != y[i]) {
          continue outer;
        }
      }
      if ((b[off + 31] & 0x7f) == y[31]) {
        return true;
      }
    }
    return false;
  }

  /** Whether y (sign bit ignored) is below p. */
  static boolean belowPrime(byte[] point) {
    return lessThan(point, 0, PRIME, 0x7f);
  }

  /** Whether S, the second half of a signature, is below L. */
  static boolean scalarBelowOrder(byte[] sig) {
    byte[] s = new byte[32];
    System.arraycopy(sig, 32, s, 0, 32);
    return lessThan(s, 0, ORDER, 0xff);
  }

  /** Little-endian a < b over 32 bytes, a's top byte masked. */
  private static boolean lessThan(byte[] a, int off, byte[] b, int topMask) {
    for (int i = 31; i >= 0; i--) {
      int x = a[off + i] & (i == 31 ? topMask : 0xff);
      int y = b[i] & 0xff;
      if (x != y) {
        return x < y;
      }
    }
    return false;
  }
}
