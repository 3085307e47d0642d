package io.gossip4j.jmh;

import io.gossip4j.jmh.ed25519.Candidate;
import io.gossip4j.jmh.ed25519.Candidates;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ed25519 verify and sign with each candidate implementation (io.gossip4j.jmh.ed25519): the
 * evaluation of a faster verifier for origin signatures. Messages of {@code size} bytes, as
 * many distinct ones as {@link #MESSAGES}, signed in {@code @Setup} by BouncyCastle and checked
 * there to verify with the candidate; each operation takes the next one. The verifier is made
 * once per key (see {@link Candidate}), as a node would keep one per origin.
 *
 * <p>Run: {@code java -jar gossip-jmh/target/benchmarks.jar 'SignatureBenchmark.(verify|sign)$'
 * -f 1 -wi 3 -i 5 -w 2s -r 2s -tu us -bm avgt}; {@code -p candidate=bc,sodium-jna} picks
 * candidates. Names: see {@link Candidates#get}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {
  /** How many distinct messages the operations cycle through (a power of two). */
  static final int MESSAGES = 64;

  @Param({"bc", "bc-point", "jdk", "conscrypt", "lazysodium", "sodium-jna", "tink", "i2p",
      "elisabeth", "sodium-jna|bc"})
  public String candidate;

  /** Bytes signed: 1 KiB is the benchmarks' payload; 64 B shows the fixed cost. */
  @Param({"64", "1024"})
  public int size;

  private Candidate.Verifier verifier;
  private Candidate.Signer signer;
  private byte[][] messages;
  private byte[][] signatures;
  /** The messages with one bit flipped: their signatures do not verify. */
  private byte[][] tampered;
  private int next;

  @Setup
  public void setUp() throws Exception {
    Random random = new Random(Fixtures.SEED);
    byte[] seed = Fixtures.bytes(random, 32);
    Candidate reference = Candidates.get("bc");
    Candidate.Signer bcSigner = reference.signer(seed);
    Candidate measured = Candidates.get(candidate);
    verifier = measured.verifier(Candidates.publicKey(seed));
    signer = measured.signer(seed);
    messages = new byte[MESSAGES][];
    signatures = new byte[MESSAGES][];
    tampered = new byte[MESSAGES][];
    for (int i = 0; i < MESSAGES; i++) {
      messages[i] = Fixtures.bytes(random, size);
      signatures[i] = bcSigner.sign(messages[i]);
      if (!verifier.verify(messages[i], signatures[i])) {
        throw new IllegalStateException(candidate + " rejects a good signature");
      }
      tampered[i] = messages[i].clone();
      tampered[i][i % size] ^= 1;
      if (verifier.verify(tampered[i], signatures[i])) {
        throw new IllegalStateException(candidate + " accepts a bad signature");
      }
      if (!java.util.Arrays.equals(signer.sign(messages[i]), signatures[i])) {
        throw new IllegalStateException(candidate + " signs differently from BouncyCastle");
      }
    }
  }

  @Benchmark
  public boolean verify() throws Exception {
    int i = next++ & (MESSAGES - 1);
    return verifier.verify(messages[i], signatures[i]);
  }

  /** A signature that does not verify (the message changed): what an attacker's costs us. */
  @Benchmark
  public boolean verifyBad() throws Exception {
    int i = next++ & (MESSAGES - 1);
    return verifier.verify(tampered[i], signatures[i]);
  }

  @Benchmark
  public byte[] sign() throws Exception {
    int i = next++ & (MESSAGES - 1);
    return signer.sign(messages[i]);
  }
}
