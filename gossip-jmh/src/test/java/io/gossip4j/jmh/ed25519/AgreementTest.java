package io.gossip4j.jmh.ed25519;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gossip4j.jmh.ed25519.Vectors.Vector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whether every candidate verifier accepts exactly the signatures BouncyCastle (today's) does,
 * over RFC 8032's vectors, honest and tampered signatures, and crafted edge cases (see {@link
 * Vectors}); with {@code -Dgossip4j.ed25519.vectors=DIR}, also over the published sets of
 * C2SP/CCTV and ed25519-speccheck found there. Writes the full matrix to
 * target/ed25519-agreement.tsv and prints, per candidate, the vectors on which it disagrees
 * with BouncyCastle and the named rule (Reference.Facts) it matches.
 */
class AgreementTest {
  private static final Map<String, Predicate<Reference.Facts>> RULES = new LinkedHashMap<>();

  static {
    RULES.put("bc-1.86", Reference.Facts::bouncyCastle);
    RULES.put("rfc8032-cofactorless", Reference.Facts::rfc8032Cofactorless);
    RULES.put("rfc8032-cofactored", Reference.Facts::rfc8032Cofactored);
    RULES.put("zip215", Reference.Facts::zip215);
    RULES.put("ref10", Reference.Facts::ref10);
    RULES.put("libsodium-1.0.18", Reference.Facts::libsodium);
  }

  private static List<Vector> vectors;
  private static List<Reference.Facts> facts;
  private static List<Candidate> candidates;
  /** verdicts.get(candidate)[vector] */
  private static Map<String, boolean[]> verdicts;

  @BeforeAll
  static void judgeEverything() throws IOException {
    vectors = new ArrayList<>(Vectors.generated());
    String dir = System.getProperty("gossip4j.ed25519.vectors");
    int published = 0;
    if (dir != null && !dir.isBlank()) {
      List<Vector> more = Vectors.published(Path.of(dir));
      published = more.size();
      vectors.addAll(more);
    }
    facts = new ArrayList<>();
    for (Vector v : vectors) {
      facts.add(Reference.facts(v.publicKey(), v.message(), v.signature()));
    }
    candidates = new ArrayList<>(Candidates.available());
    for (Candidate c : List.copyOf(candidates)) {
      if (List.of("bc", "jdk", "conscrypt", "tink", "elisabeth").contains(c.name())) {
        candidates.add(new SodiumRule(c));
      }
    }
    for (Candidate c : List.copyOf(candidates)) {
      if (List.of("jdk", "conscrypt", "lazysodium", "sodium-jna", "jdk+sodium-rule",
          "conscrypt+sodium-rule", "elisabeth+sodium-rule").contains(c.name())) {
        candidates.add(new ThenBouncyCastle(c));
      }
    }
    verdicts = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      boolean[] out = new boolean[vectors.size()];
      for (int i = 0; i < out.length; i++) {
        Vector v = vectors.get(i);
        out[i] = c.accepts(v.publicKey(), v.message(), v.signature());
      }
      verdicts.put(c.name(), out);
    }
    report(published);
  }

  /** Writes the report and the matrix under target/, keeping the build's output short. */
  private static void report(int published) throws IOException {
    Path text = Path.of("target", "ed25519-agreement.txt");
    Files.createDirectories(text.getParent());
    try (PrintWriter r = new PrintWriter(Files.newBufferedWriter(text))) {
      describe(r, published);
    }
    Path out = Path.of("target", "ed25519-agreement.tsv");
    writeMatrix(out);
    System.out.println("Ed25519 agreement: " + text.toAbsolutePath() + ", matrix "
        + out.toAbsolutePath());
  }

  private static void describe(PrintWriter r, int published) {
    boolean[] bc = verdicts.get("bc");
    r.printf("%d vectors (%d generated, %d published); candidates: %s%n",
        vectors.size(), vectors.size() - published, published, verdicts.keySet());
    for (Candidate c : candidates) {
      r.printf("%n%s: %s%n", c.name(), c.description());
      boolean[] mine = verdicts.get(c.name());
      List<String> differ = new ArrayList<>();
      for (int i = 0; i < mine.length; i++) {
        if (mine[i] != bc[i]) {
          differ.add(vectors.get(i).name() + (mine[i] ? " (accepts)" : " (rejects)"));
        }
      }
      r.printf("  disagrees with bc on %d of %d%s%n", differ.size(), mine.length,
          differ.isEmpty() ? "" : ":");
      differ.stream().limit(60).forEach(d -> r.println("    " + d));
      if (differ.size() > 60) {
        r.println("    ... " + (differ.size() - 60) + " more");
      }
      StringBuilder rules = new StringBuilder("  differs from rule:");
      for (var rule : RULES.entrySet()) {
        int n = 0;
        for (int i = 0; i < mine.length; i++) {
          if (mine[i] != rule.getValue().test(facts.get(i))) {
            n++;
          }
        }
        rules.append(' ').append(rule.getKey()).append('=').append(n);
      }
      r.println(rules);
    }
  }

  private static void writeMatrix(Path out) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      w.print("vector\tS<L\tA-canonical\tR-canonical\tA-small\tR-small\tA-torsion-free"
          + "\tR-torsion-free\tcofactorless\tcofactored");
      RULES.keySet().forEach(r -> w.print("\t" + r));
      verdicts.keySet().forEach(c -> w.print("\t" + c));
      w.println();
      for (int i = 0; i < vectors.size(); i++) {
        Reference.Facts f = facts.get(i);
        w.print(vectors.get(i).name());
        for (boolean b : new boolean[] {f.sCanonical(), f.aStrict(), f.rStrict(), f.aSmallOrder(),
            f.rSmallOrder(), f.aTorsionFree(), f.rTorsionFree(), f.cofactorless(),
            f.cofactored()}) {
          w.print(b ? "\t1" : "\t0");
        }
        for (var rule : RULES.values()) {
          w.print(rule.test(f) ? "\t1" : "\t0");
        }
        for (boolean[] v : verdicts.values()) {
          w.print(v[i] ? "\t1" : "\t0");
        }
        w.println();
      }
    }
  }

  private static List<Integer> named(String prefix) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      if (vectors.get(i).name().startsWith(prefix)) {
        out.add(i);
      }
    }
    assertTrue(!out.isEmpty(), "no vector named " + prefix);
    return out;
  }

  @Test
  void everyCandidateAcceptsRfc8032AndHonestSignatures() {
    for (String prefix : List.of("rfc8032-", "honest-")) {
      for (int i : named(prefix)) {
        for (var e : verdicts.entrySet()) {
          assertTrue(e.getValue()[i], e.getKey() + " rejects " + vectors.get(i).name());
        }
      }
    }
  }

  @Test
  void everyCandidateRejectsTamperedAndUndecodable() {
    for (String prefix : List.of("tampered-", "undecodable-")) {
      for (int i : named(prefix)) {
        for (var e : verdicts.entrySet()) {
          assertTrue(!e.getValue()[i], e.getKey() + " accepts " + vectors.get(i).name());
        }
      }
    }
  }

  /** The reference itself: the crafted vectors are what their names say. */
  @Test
  void theCraftedVectorsAreWhatTheySay() {
    for (int i : named("zip215-")) {
      assertTrue(facts.get(i).zip215(), vectors.get(i).name());
    }
    assertEquals(196, named("zip215-").size());
    for (int i : named("mixed-order-A-k!=0mod8")) {
      assertTrue(facts.get(i).cofactored() && !facts.get(i).cofactorless(), "k != 0 mod 8");
      assertTrue(!facts.get(i).aTorsionFree() && !facts.get(i).aSmallOrder());
    }
    for (int i : named("mixed-order-A-k=0mod8")) {
      assertTrue(facts.get(i).cofactored() && facts.get(i).cofactorless(), "k = 0 mod 8");
    }
    for (int i : named("mixed-order-R-")) {
      assertTrue(facts.get(i).cofactored() && !facts.get(i).cofactorless());
    }
    for (int i : named("s-plus-")) {
      assertTrue(!facts.get(i).sCanonical());
    }
    for (String prefix : List.of("rfc8032-", "honest-")) {
      for (int i : named(prefix)) {
        RULES.forEach((name, rule) ->
            assertTrue(rule.test(facts.get(i)), name + " on " + vectors.get(i).name()));
      }
    }
  }

  /** How many vectors a candidate's verdicts differ from a rule on. */
  private static int differences(String candidate, String rule) {
    boolean[] mine = verdicts.get(candidate);
    int n = 0;
    for (int i = 0; i < mine.length; i++) {
      if (mine[i] != RULES.get(rule).test(facts.get(i))) {
        n++;
      }
    }
    return n;
  }

  private static void assertFollows(String candidate, String rule) {
    if (verdicts.containsKey(candidate)) {
      assertEquals(0, differences(candidate, rule), candidate + " does not follow " + rule);
    } else {
      System.out.println("not checked, not available here: " + candidate);
    }
  }

  /**
   * The rule each candidate follows, found over every vector (1,260 with the published sets):
   * recorded here so that a new version that changes its rule fails this test.
   */
  @Test
  void eachCandidateFollowsItsRule() {
    assertFollows("bc", "bc-1.86");
    assertFollows("bc-point", "bc-1.86");
    assertFollows("jdk", "rfc8032-cofactorless");
    assertFollows("conscrypt", "ref10");
    assertFollows("elisabeth", "ref10");
    assertFollows("lazysodium", "libsodium-1.0.18");
    assertFollows("sodium-jna", "libsodium-1.0.18");
    for (String inner : List.of("jdk", "conscrypt", "tink", "elisabeth")) {
      assertFollows(inner + "+sodium-rule", "libsodium-1.0.18");
    }
  }

  /**
   * A fast verifier asked first and BouncyCastle on what it refuses accept exactly
   * BouncyCastle's set when the fast one's set lies inside it: libsodium's does, and so do
   * the JDK's and ref10's behind libsodium's input checks; bare, the JDK and ref10 (Conscrypt)
   * do not, as they take small-order keys.
   */
  @Test
  void aFastPathThenBouncyCastleIsBouncyCastle() {
    for (String fast : List.of("lazysodium", "sodium-jna", "jdk+sodium-rule",
        "conscrypt+sodium-rule", "elisabeth+sodium-rule")) {
      assertFollows(fast + "|bc", "bc-1.86");
    }
    for (String bare : List.of("jdk|bc", "conscrypt|bc")) {
      if (verdicts.containsKey(bare)) {
        assertTrue(differences(bare, "bc-1.86") > 0, bare);
      }
    }
  }

  /** i2p's eddsa 0.3.0 takes S mod L: a signature with S + L verifies (malleable). */
  @Test
  void i2pAcceptsNonCanonicalS() {
    if (verdicts.containsKey("i2p")) {
      for (int i : named("s-plus-L-")) {
        assertTrue(verdicts.get("i2p")[i], vectors.get(i).name());
        assertTrue(!verdicts.get("bc")[i], vectors.get(i).name());
      }
    }
  }

  /** SodiumRule's list of small-order y values is the reference's. */
  @Test
  void sodiumRuleListsEverySmallOrderEncoding() {
    for (var e : Vectors.smallOrderEncodings().entrySet()) {
      assertTrue(SodiumRule.smallOrder(e.getValue(), 0), e.getKey());
    }
  }
}
