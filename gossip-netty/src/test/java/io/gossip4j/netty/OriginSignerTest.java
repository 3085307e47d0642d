package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.MessageIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginSignerTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theSeedTakenFromTheJdkKeyIsTheIdentitysPrivateKey() {
    Identity identity = Identity.generate();
    byte[] seed = identity.privateSeed();
    byte[] publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    assertThat(NodeId.of(publicKey)).isEqualTo(identity.nodeId());
  }

  /** The sealed GOSSIP of docs/wire-format.md, section 9: its signature is that key's. */
  @Test
  void theSealedWorkedExampleIsSignedByTheDocumentedKey(@TempDir Path dir) throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (0x40 + i);
    }
    // Through a key file, as a node would load it: PKCS#8 = fixed DER prefix + seed.
    byte[] pkcs8 = HEX.parseHex("302e020100300506032b657004220420" + HEX.formatHex(seed));
    Path keyFile = dir.resolve("example.key");
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
    Identity signer = Identity.load(keyFile);
    assertThat(signer.nodeId().toHex())
        .isEqualTo("2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d");

    TopicId topic = TopicId.of(HEX.parseHex(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    OriginSigner origin = new OriginSigner(signer, () -> 1_700_000_000_000L);
    Seal seal = origin.seal(topic, signer.nodeId(), 1, Scope.SWARM, "hi".getBytes()).get();
    String signature = HEX.formatHex(seal.signature());
    assertThat(signature).isEqualTo(
        "5722c5771d41e9ea0d2fd500e8aa02ab7b235ec58ec8235af732ed0a3f2ebcb0"
            + "ffcd68f6859ace30cd4f99df2329c742a75d41b11a69cb9d80e18f5a1b8f8a07");
    String doc = Files.readString(Path.of("..", "docs", "wire-format.md"))
        .replaceAll("\\s+", "");
    assertThat(doc).contains(signature);
  }

  private static final TopicId TOPIC = TopicId.fromName("keys");
  private static final MessageIds IDS = new MessageIds();

  private static Push sealedBy(Identity origin, OriginSigner signer, long nonce) {
    byte[] payload = ("message " + nonce).getBytes();
    NodeId id = origin.nodeId();
    return new Push(IDS.of(TOPIC, id, nonce, payload), id, nonce, 0, Scope.SWARM,
        signer.seal(TOPIC, id, nonce, Scope.SWARM, payload), payload);
  }

  @Test
  void aCachedOriginKeyStillRefusesEveryBadSignatureAndTakesEveryGoodOne() {
    Identity origin = Identity.generate();
    OriginSigner signer = new OriginSigner(origin, System::currentTimeMillis);
    for (int i = 0; i < 50; i++) {
      Push good = sealedBy(origin, signer, i);
      byte[] bad = good.seal().get().signature().clone();
      bad[i % 64] ^= 1;
      Push forged = new Push(good.id(), good.origin(), good.nonce(), 0, Scope.SWARM,
          Optional.of(new Seal(good.seal().get().timestampMillis(), bad)), good.payload());
      assertThat(signer.hasValidSignature(TOPIC, good)).isTrue();
      assertThat(signer.hasValidSignature(TOPIC, forged)).isFalse();
    }
  }

  @Test
  void anOriginWhoseKeyIsNoPointIsRefusedAndTheCacheStaysBounded() {
    Identity origin = Identity.generate();
    OriginSigner signer = new OriginSigner(origin, System::currentTimeMillis);
    Push good = sealedBy(origin, signer, 1);
    // y = 2 is on no point of the curve: no signature can verify against it.
    byte[] notAPoint = new byte[32];
    notAPoint[0] = 2;
    Push claimed = new Push(good.id(), NodeId.of(notAPoint), good.nonce(), 0, Scope.SWARM,
        good.seal(), good.payload());
    assertThat(signer.hasValidSignature(TOPIC, claimed)).isFalse();
    for (int i = 0; i < OriginSigner.MAX_CACHED_KEYS + 10; i++) {
      Identity other = Identity.generate();
      assertThat(signer.hasValidSignature(TOPIC, sealedBy(other, new OriginSigner(other,
          System::currentTimeMillis), i))).isTrue();
    }
    assertThat(signer.cachedKeys()).isLessThanOrEqualTo(OriginSigner.MAX_CACHED_KEYS);
  }
}
