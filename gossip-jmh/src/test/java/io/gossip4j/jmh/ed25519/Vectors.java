package io.gossip4j.jmh.ed25519;

import static io.gossip4j.jmh.ed25519.Reference.BASE;
import static io.gossip4j.jmh.ed25519.Reference.L;
import static io.gossip4j.jmh.ed25519.Reference.P;

import io.gossip4j.jmh.ed25519.Reference.Point;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vectors the candidates are run over: RFC 8032's, honest signatures and tampered ones, and
 * crafted edge cases made here with {@link Reference} (non-canonical S, small-order and
 * mixed-order A and R, non-canonical point encodings, ZIP-215's 196 small-order cases), plus,
 * when given a directory, the published sets of C2SP/CCTV (ed25519vectors.json) and of "Taming
 * the many EdDSAs" (ed25519-speccheck's cases.json).
 */
final class Vectors {
  private static final HexFormat HEX = HexFormat.of();

  /** One signature to judge. */
  record Vector(String name, byte[] publicKey, byte[] message, byte[] signature) {}

  private final List<Vector> all = new ArrayList<>();
  private final Random random = new Random(0x215_8032L);

  private Vectors() {}

  static List<Vector> generated() {
    Vectors v = new Vectors();
    v.rfc8032();
    v.honestAndTampered();
    v.nonCanonicalS();
    v.zip215();
    v.mixedOrder();
    v.smallOrderAndNonCanonical();
    v.undecodable();
    return v.all;
  }

  private void add(String name, byte[] publicKey, byte[] message, byte[] signature) {
    all.add(new Vector(name, publicKey, message, signature));
  }

  /** RFC 8032 section 7.1, TEST 1 to 3: valid. */
  private void rfc8032() {
    add("rfc8032-1", HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        new byte[0], HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    add("rfc8032-2", HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
        HEX.parseHex("72"), HEX.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"));
    add("rfc8032-3", HEX.parseHex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"),
        HEX.parseHex("af82"), HEX.parseHex("6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
            + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** An honest signature by the reference, as RFC 8032 section 5.1.6 makes it. */
  private static byte[] sign(byte[] seed, byte[] message) {
    byte[] h = Reference.sha512(seed);
    BigInteger a = Reference.secretScalar(seed);
    byte[] pk = BASE.times(a).encode();
    BigInteger r = Reference.fromLittleEndian(
        Reference.sha512(Arrays.copyOfRange(h, 32, 64), message)).mod(L);
    byte[] rEnc = BASE.times(r).encode();
    BigInteger s = r.add(Reference.challenge(rEnc, pk, message).multiply(a)).mod(L);
    return concat(rEnc, Reference.littleEndian(s));
  }

  /** Valid signatures of random keys over 0, 64 and 1024 bytes, and tampered copies. */
  private void honestAndTampered() {
    for (int i = 0; i < 4; i++) {
      byte[] seed = bytes(32);
      byte[] pk = BASE.times(Reference.secretScalar(seed)).encode();
      for (int size : new int[] {0, 64, 1024}) {
        byte[] m = bytes(size);
        byte[] sig = sign(seed, m);
        add("honest-" + i + "-" + size, pk, m, sig);
        if (size > 0) {
          byte[] m2 = m.clone();
          m2[size / 2] ^= 1;
          add("tampered-message-" + i + "-" + size, pk, m2, sig);
        }
        byte[] sig2 = sig.clone();
        sig2[5] ^= 4;
        add("tampered-R-" + i + "-" + size, pk, m, sig2);
        byte[] sig3 = sig.clone();
        sig3[40] ^= 1;
        add("tampered-S-" + i + "-" + size, pk, m, sig3);
        byte[] pk2 = pk.clone();
        pk2[3] ^= 2;
        add("tampered-A-" + i + "-" + size, pk2, m, sig);
      }
    }
  }

  /**
   * Non-canonical S: S + L (below 2^253, so only a full S < L check refuses it) and S + 2^255
   * (refused by ref10's original top-bits check too). Both verify if S is taken mod L.
   */
  private void nonCanonicalS() {
    for (int i = 0; i < 2; i++) {
      byte[] seed = bytes(32);
      byte[] pk = BASE.times(Reference.secretScalar(seed)).encode();
      byte[] m = bytes(64);
      byte[] sig = sign(seed, m);
      BigInteger s = Reference.fromLittleEndian(Arrays.copyOfRange(sig, 32, 64));
      add("s-plus-L-" + i, pk, m,
          concat(Arrays.copyOf(sig, 32), Reference.littleEndian(s.add(L))));
      if (s.add(L).add(L).bitLength() <= 256) {
        add("s-plus-2L-" + i, pk, m,
            concat(Arrays.copyOf(sig, 32), Reference.littleEndian(s.add(L).add(L))));
      }
      add("s-plus-2^255-" + i, pk, m,
          concat(Arrays.copyOf(sig, 32), Reference.littleEndian(s.setBit(255))));
    }
  }

  /** The 8 small-order points' canonical encodings and the 6 non-canonical ones (14 in all). */
  static Map<String, byte[]> smallOrderEncodings() {
    Point t8 = torsionOfOrder8();
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int k = 0; k < 8; k++) {
      Point t = t8.times(k);
      out.put("T" + k, t.encode());
    }
    // Non-canonical: y + p for y in {0, 1} (both signs where x = 0 is not forced), and the sign
    // bit set on x = 0 (the identity, y = 1, and the point of order 2, y = p - 1).
    out.put("T0(x=-0)", withSign(Reference.IDENTITY.encode()));
    out.put("T0(y+p)", Reference.littleEndian(P.add(BigInteger.ONE)));
    out.put("T0(x=-0,y+p)", withSign(Reference.littleEndian(P.add(BigInteger.ONE))));
    out.put("T4(x=-0)", withSign(t8.times(4).encode()));
    out.put("T2or6(y+p)", Reference.littleEndian(P));
    out.put("T2or6(y+p,sign)", withSign(Reference.littleEndian(P)));
    return out;
  }

  private static byte[] withSign(byte[] encoding) {
    byte[] out = encoding.clone();
    out[31] |= (byte) 0x80;
    return out;
  }

  /** A point of order 8, deterministic: [L] times the first y that decodes to one. */
  static Point torsionOfOrder8() {
    for (int y = 2; ; y++) {
      BigInteger x = Reference.recoverX(BigInteger.valueOf(y), false);
      if (x == null) {
        continue;
      }
      Point t = Point.affine(x, BigInteger.valueOf(y)).times(L);
      if (!t.times(4).isIdentity()) {
        return t;
      }
    }
  }

  /**
   * ZIP-215's test set: A and R each one of the 14 encodings of small-order points, S = 0, the
   * message "Zcash". ZIP-215 accepts all 196 ([8][0]B = [8]R + [8][k]A = identity).
   */
  private void zip215() {
    Map<String, byte[]> encodings = smallOrderEncodings();
    byte[] message = "Zcash".getBytes(StandardCharsets.US_ASCII);
    for (var a : encodings.entrySet()) {
      for (var r : encodings.entrySet()) {
        add("zip215-A=" + a.getKey() + "-R=" + r.getKey(), a.getValue(), message,
            concat(r.getValue(), new byte[32]));
      }
    }
  }

  /**
   * Mixed-order A or R (a prime-order part plus a torsion part of order 8): a signature by
   * the prime-order part verifies with the cofactored equation always, and with the
   * cofactorless one only when the torsion cancels (for A, when 8 divides k).
   */
  private void mixedOrder() {
    Point t8 = torsionOfOrder8();
    for (boolean kDivisibleBy8 : new boolean[] {false, true}) {
      for (int found = 0; found < 8; ) {
        BigInteger a = new BigInteger(252, random);
        BigInteger r = new BigInteger(252, random);
        byte[] pk = BASE.times(a).add(t8).encode();
        byte[] rEnc = BASE.times(r).encode();
        byte[] m = bytes(64);
        BigInteger k = Reference.challenge(rEnc, pk, m);
        if ((k.mod(BigInteger.valueOf(8)).signum() == 0) != kDivisibleBy8) {
          continue;
        }
        BigInteger s = r.add(k.multiply(a)).mod(L);
        add("mixed-order-A-" + (kDivisibleBy8 ? "k=0mod8-" : "k!=0mod8-") + found, pk, m,
            concat(rEnc, Reference.littleEndian(s)));
        found++;
      }
    }
    for (int i = 0; i < 16; i++) {
      BigInteger a = new BigInteger(252, random);
      BigInteger r = new BigInteger(252, random);
      byte[] pk = BASE.times(a).encode();
      // The torsion part cycles through orders 8, 4, 8, 2, 8, 4, 8.
      byte[] rEnc = BASE.times(r).add(t8.times(1 + i % 7)).encode();
      byte[] m = bytes(64);
      BigInteger s = r.add(Reference.challenge(rEnc, pk, m).multiply(a)).mod(L);
      add("mixed-order-R-" + i, pk, m, concat(rEnc, Reference.littleEndian(s)));
    }
  }

  /**
   * Small-order A or R in every encoding, with signatures that do verify under the
   * cofactorless equation once the points are decoded (so only a rule on the encoding or on
   * small order refuses them), and ones that verify only cofactored.
   */
  private void smallOrderAndNonCanonical() {
    Map<String, byte[]> encodings = smallOrderEncodings();
    for (var e : encodings.entrySet()) {
      Point point = Reference.decode(e.getValue(), false);
      // A of small order, R = [r]B, S = r: [S]B = R + [k]A iff [k]A is the identity.
      for (boolean cancel : new boolean[] {true, false}) {
        for (int tries = 0; tries < 64; tries++) {
          BigInteger r = new BigInteger(252, random);
          byte[] rEnc = BASE.times(r).encode();
          byte[] m = bytes(32);
          boolean cancels = point.times(Reference.challenge(rEnc, e.getValue(), m)).isIdentity();
          if (cancels == cancel) {
            add("small-A=" + e.getKey() + (cancel ? "-kA=0" : "-kA!=0"), e.getValue(), m,
                concat(rEnc, Reference.littleEndian(r)));
            break;
          }
        }
      }
      // R of small order, honest A = [a]B, S = k * a: [S]B = R + [k]A iff R is the identity.
      BigInteger a = new BigInteger(252, random);
      byte[] pk = BASE.times(a).encode();
      byte[] m = bytes(32);
      BigInteger s = Reference.challenge(e.getValue(), pk, m).multiply(a).mod(L);
      add("small-R=" + e.getKey(), pk, m, concat(e.getValue(), Reference.littleEndian(s)));
    }
  }

  /** A or R bytes that are no point at all (y with no x on the curve): every verifier refuses. */
  private void undecodable() {
    int y = 2;
    while (Reference.recoverX(BigInteger.valueOf(y), false) != null) {
      y++;
    }
    byte[] bad = Reference.littleEndian(BigInteger.valueOf(y));
    byte[] seed = bytes(32);
    byte[] pk = BASE.times(Reference.secretScalar(seed)).encode();
    byte[] m = bytes(64);
    byte[] sig = sign(seed, m);
    add("undecodable-A", bad, m, sig);
    add("undecodable-R", pk, m, concat(bad, Arrays.copyOfRange(sig, 32, 64)));
    // y >= p with no point: y = p + 2 .. p + 18 that do not decode either.
    for (int i = 2; i < 19; i++) {
      BigInteger big = P.add(BigInteger.valueOf(i));
      if (Reference.recoverX(BigInteger.valueOf(i), false) == null) {
        add("undecodable-A-y+p", Reference.littleEndian(big), m, sig);
        break;
      }
    }
  }

  /**
   * The published sets in a directory: {@code ed25519vectors.json} (C2SP/CCTV, BSD-3-Clause)
   * and {@code cases.json} (novifinancial/ed25519-speccheck, Apache-2.0), whichever is there.
   */
  static List<Vector> published(Path dir) throws IOException {
    List<Vector> out = new ArrayList<>();
    Path cctv = dir.resolve("ed25519vectors.json");
    if (Files.exists(cctv)) {
      String json = Files.readString(cctv);
      Matcher m = Pattern.compile("\"number\":\\s*(\\d+),\\s*\"key\":\\s*\"([0-9a-f]+)\",\\s*"
          + "\"sig\":\\s*\"([0-9a-f]+)\",\\s*\"msg\":\\s*\"([^\"]*)\",\\s*\"flags\":\\s*(null|\\[[^\\]]*\\])")
          .matcher(json);
      while (m.find()) {
        String flags = m.group(5).replaceAll("[\\s\"\\[\\]]", "");
        out.add(new Vector("cctv-" + m.group(1) + (flags.equals("null") ? "" : "[" + flags + "]"),
            HEX.parseHex(m.group(2)), m.group(4).getBytes(StandardCharsets.UTF_8),
            HEX.parseHex(m.group(3))));
      }
    }
    Path speccheck = dir.resolve("cases.json");
    if (Files.exists(speccheck)) {
      String json = Files.readString(speccheck);
      Matcher m = Pattern.compile("\"message\":\"([0-9a-f]*)\",\"pub_key\":\"([0-9a-f]+)\","
          + "\"signature\":\"([0-9a-f]+)\"").matcher(json);
      int n = 0;
      while (m.find()) {
        out.add(new Vector("speccheck-" + n++, HEX.parseHex(m.group(2)),
            HEX.parseHex(m.group(1)), HEX.parseHex(m.group(3))));
      }
    }
    return out;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
