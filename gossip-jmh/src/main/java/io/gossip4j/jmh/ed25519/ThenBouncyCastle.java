package io.gossip4j.jmh.ed25519;

/**
 * A fast verifier whose acceptance set lies inside BouncyCastle's, asked first; BouncyCastle
 * decides what it refuses. The result is exactly BouncyCastle's acceptance set (AgreementTest
 * checks it over every vector) at the fast verifier's cost for good signatures, and at both
 * costs for bad ones. libsodium's set (cofactorless, canonical encodings, no small-order A or
 * R) lies inside BouncyCastle 1.86's (cofactored, canonical encodings, no small-order A): a
 * signature that satisfies the cofactorless equation satisfies the cofactored one.
 */
public final class ThenBouncyCastle implements Candidate {
  private final Candidate fast;
  private final Candidate bc = new Candidates.BouncyCastle();

  public ThenBouncyCastle(Candidate fast) {
    this.fast = fast;
  }

  @Override
  public String name() {
    return fast.name() + "|bc";
  }

  @Override
  public String description() {
    return fast.description() + ", then BouncyCastle on what it refuses";
  }

  @Override
  public Verifier verifier(byte[] publicKey) throws Exception {
    Verifier second = bc.verifier(publicKey);
    Verifier first;
    try {
      first = fast.verifier(publicKey);
    } catch (Exception e) {
      return second;
    }
    return (m, sig) -> {
      boolean accepted;
      try {
        accepted = first.verify(m, sig);
      } catch (Exception e) {
        accepted = false;
      }
      return accepted || second.verify(m, sig);
    };
  }

  @Override
  public Signer signer(byte[] seed) throws Exception {
    return fast.signer(seed);
  }
}
