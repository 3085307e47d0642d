package io.gossip4j.jmh.ed25519;

/**
 * One Ed25519 implementation under evaluation as the verifier of origin signatures: how it
 * verifies and signs, behind one interface so that the benchmark and the agreement test treat
 * every candidate alike.
 *
 * <p>A {@link Verifier} is made once per public key, as a node would keep one per origin it
 * hears from: for libraries that take raw bytes it only holds them; for those that need a key
 * object (the JCA providers, BouncyCastle's decoded {@code PublicPoint}, Tink) it holds that.
 */
public interface Candidate {

  /** A short name, the benchmark's parameter value. */
  String name();

  /** What it is: library, version and how it is reached. */
  String description();

  /**
   * A verifier for one public key (32 bytes).
   *
   * @throws Exception if the library refuses the key; the agreement test counts that as a
   *     rejection of every signature under it
   */
  Verifier verifier(byte[] publicKey) throws Exception;

  /** A signer for the key pair of a 32-byte RFC 8032 seed (private key). */
  Signer signer(byte[] seed) throws Exception;

  /** Verifies signatures by one public key. */
  interface Verifier {
    /**
     * Whether {@code signature} is a valid signature of {@code message}. May throw on input the
     * library refuses outright; callers that judge acceptance count a throw as a rejection.
     */
    boolean verify(byte[] message, byte[] signature) throws Exception;
  }

  /** Signs with one private key. */
  interface Signer {
    /** The 64-byte signature of {@code message}. */
    byte[] sign(byte[] message) throws Exception;
  }

  /**
   * Verifies in one step, as the agreement test does: prepares the key, verifies, and counts
   * any exception as a rejection.
   */
  default boolean accepts(byte[] publicKey, byte[] message, byte[] signature) {
    try {
      return verifier(publicKey).verify(message, signature);
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
