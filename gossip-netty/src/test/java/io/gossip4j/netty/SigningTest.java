package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.wire.BroadcastMessage.Seal;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.MembershipMessage.Disconnect;
import io.gossip4j.wire.MembershipMessage.Join;
import io.gossip4j.wire.PeerData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Origin signatures, the replay window and validators, between real nodes and a hostile
 * {@link RawPeer}. The layout is a line: the raw peer joins node b, and node c joins b, so
 * whatever c receives from the raw peer, b forwarded.
 */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class SigningTest {
  private static final TopicId TOPIC = TopicId.fromName("signing");
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** The wall clock of b and c, moved by the tests. */
  private final AtomicLong clockOfB = new AtomicLong(System.currentTimeMillis());
  private Gossip b;
  private Gossip c;
  private Topic topicOfB;
  private final Received atB = new Received();
  private final Received atC = new Received();
  private RawPeer hostile;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private Gossip start(Gossip.Builder builder) {
    // No heartbeats come from the raw peer: a long idle timeout keeps it connected. One
    // judging thread judges in arrival order, which flush() relies on.
    Gossip g = builder.idleTimeout(Duration.ofSeconds(60)).verificationThreads(1).build().start();
    closeables.add(g);
    return g;
  }

  /** b with these options and clock, c behind it, and the raw peer joined to b. */
  private void line(TopicOptions optionsOfB, PlumTreeConfig broadcastOfB) throws Exception {
    line(start(Gossip.builder().broadcast(broadcastOfB).wallClockMillis(clockOfB::get)),
        optionsOfB);
  }

  /** {@code startedB} as b, subscribed with these options, c behind it, the raw peer joined. */
  private void line(Gossip startedB, TopicOptions optionsOfB) throws Exception {
    b = startedB;
    c = start(Gossip.builder().wallClockMillis(clockOfB::get));
    topicOfB = b.subscribe(TOPIC, List.of(), optionsOfB, atB);
    c.subscribe(TOPIC, List.of(b.addr()), atC).joined().get(10, TimeUnit.SECONDS);
    hostile = new RawPeer(b);
    closeables.add(0, hostile);
    hostile.send(TOPIC, new Join(PeerData.EMPTY));
    Await.until("b takes the raw peer as a neighbor",
        () -> topicOfB.neighbors().contains(hostile.nodeId()));
  }

  private void line(TopicOptions optionsOfB) throws Exception {
    line(optionsOfB, PlumTreeConfig.defaults());
  }

  /** A message from the raw peer, correctly signed at b's current time. */
  private BroadcastMessage.Push valid(String text, long nonce) {
    return hostile.gossip(TOPIC, hostile.nodeId(), text, nonce, clockOfB.get());
  }

  /**
   * Sends a valid marker after whatever the test sent, and waits until b delivered it and c got
   * it from b: one connection delivers in order, so anything b would have delivered or
   * forwarded before it has arrived too.
   */
  private void flush(String marker, long nonce) throws Exception {
    hostile.send(TOPIC, valid(marker, nonce));
    Await.until(marker + " through b to c", () -> atB.count(marker) == 1 && atC.count(marker) == 1);
  }

  private PlumTreeStats statsOfB() {
    return b.metrics().topics().get(TOPIC).broadcast();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSignedBroadcastArrivesVerifiedWithItsOriginAtEveryHop() throws Exception {
    line(TopicOptions.defaults());
    hostile.send(TOPIC, valid("hello", 1));
    Await.until("delivered at b and c", () -> atB.count("hello") == 1 && atC.count("hello") == 1);
    for (Received r : List.of(atB, atC)) {
      assertThat(r.events).singleElement().satisfies(e -> {
        assertThat(e.origin()).isEqualTo(hostile.nodeId());
        assertThat(e.verified()).isTrue();
      });
    }
    // b forwarded the seal untouched: c verified the raw peer's signature, not b's.
    assertThat(atC.events.get(0).deliveredFrom()).isEqualTo(b.nodeId());
  }

  @Test
  void anUnsignedTopicDeliversUnverifiedAndSealsNothing() throws Exception {
    Gossip x = start(Gossip.builder());
    Gossip y = start(Gossip.builder());
    TopicOptions unsigned = TopicOptions.builder().signed(false).build();
    Received atY = new Received();
    Topic tx = x.subscribe(TOPIC, List.of(), unsigned);
    y.subscribe(TOPIC, List.of(x.addr()), unsigned, atY).joined().get(10, TimeUnit.SECONDS);
    tx.broadcast(utf8("plain")).get(5, TimeUnit.SECONDS);
    Await.until("delivered", () -> atY.count("plain") == 1);
    assertThat(atY.events.get(0).verified()).isFalse();
    assertThat(atY.events.get(0).origin()).isEqualTo(x.nodeId());
    // 108 bytes of GOSSIP overhead plus the 5-byte payload: no 72-byte seal.
    assertThat(y.metrics().bytesIn(FrameKind.GOSSIP)).isEqualTo(108 + 5);
  }

  @Test
  void aForgedSignatureIsDroppedCountedAndNeitherDeliveredNorForwarded() throws Exception {
    line(TopicOptions.defaults());
    BroadcastMessage.Push genuine = valid("forged", 1);
    byte[] signature = genuine.seal().get().signature().clone();
    signature[10] ^= 1;
    hostile.send(TOPIC, new BroadcastMessage.Push(genuine.id(), genuine.origin(), genuine.nonce(), 0,
        genuine.scope(), Optional.of(new Seal(genuine.seal().get().timestampMillis(), signature)),
        genuine.payload()));
    // Without a seal at all it is no better.
    hostile.send(TOPIC, new BroadcastMessage.Push(valid("unsealed", 2).id(), hostile.nodeId(), 2, 0,
        genuine.scope(), utf8("unsealed")));
    flush("after", 3);
    assertThat(atB.count("forged") + atC.count("forged")).isZero();
    assertThat(atB.count("unsealed") + atC.count("unsealed")).isZero();
    assertThat(statsOfB().invalidSignatures()).isEqualTo(2);
    // The forgery did not make b take the id as seen: the genuine message still gets through.
    flush("forged", 1);
  }

  @Test
  void underLoadOnEveryJudgingThreadNoForgedMessageIsDeliveredAndEveryGenuineOneIs()
      throws Exception {
    Gossip loaded = Gossip.builder().idleTimeout(Duration.ofSeconds(60)).verificationThreads(4)
        .broadcast(PlumTreeConfig.builder().invalidMessageLimit(1_000_000).build())
        .wallClockMillis(clockOfB::get).build().start();
    closeables.add(loaded);
    line(loaded, TopicOptions.defaults());
    int count = 500;
    for (int i = 0; i < count; i++) {
      BroadcastMessage.Push genuine = valid("genuine " + i, 2L * i);
      BroadcastMessage.Push other = valid("forged " + i, 2L * i + 1);
      byte[] signature = other.seal().get().signature().clone();
      signature[i % 64] ^= 1;
      hostile.send(TOPIC, new BroadcastMessage.Push(other.id(), other.origin(), other.nonce(), 0,
          other.scope(), Optional.of(new Seal(other.seal().get().timestampMillis(), signature)),
          other.payload()));
      hostile.send(TOPIC, genuine);
    }
    Await.until("every genuine message at b and c, every forgery counted",
        Duration.ofSeconds(60), () -> atB.events.size() == count && atC.events.size() == count
            && statsOfB().invalidSignatures() == count);
    for (int i = 0; i < count; i++) {
      assertThat(atB.count("genuine " + i)).isEqualTo(1);
      assertThat(atC.count("genuine " + i)).isEqualTo(1);
      assertThat(atB.count("forged " + i) + atC.count("forged " + i)).isZero();
    }
  }

  @Test
  void aMessageClaimingAnotherOriginThanItsSignerIsDropped() throws Exception {
    line(TopicOptions.defaults());
    // Signed by the raw peer's key, but claiming to come from c.
    hostile.send(TOPIC, hostile.gossip(TOPIC, c.nodeId(), "impersonated", 1, clockOfB.get()));
    flush("after", 2);
    assertThat(atB.count("impersonated") + atC.count("impersonated")).isZero();
    assertThat(statsOfB().invalidSignatures()).isEqualTo(1);
  }

  @Test
  void aNeighborSendingInvalidMessagesIsDisconnectedAtTheLimit() throws Exception {
    line(TopicOptions.defaults());
    for (int i = 0; i < 3; i++) {
      hostile.send(TOPIC, hostile.gossip(TOPIC, c.nodeId(), "impersonated " + i, i,
          clockOfB.get()));
    }
    assertThat(hostile.awaitClosed(Duration.ofSeconds(10))).as("b closes the connection").isTrue();
    assertThat(hostile.received).contains(new Disconnect(true));
    Await.until("b reports it expelled", () -> atB.all.contains(
        new GossipEvent.NeighborDown(hostile.nodeId(), NeighborDownReason.EXPELLED)));
    assertThat(topicOfB.neighbors()).containsExactly(c.nodeId());
    assertThat(statsOfB().invalidSignatures()).isEqualTo(3);
    assertThat(statsOfB().neighborsExpelled()).isEqualTo(1);
    // b goes on serving its honest neighbor.
    topicOfB.broadcast(utf8("still here"));
    Await.until("c still hears b", () -> atC.count("still here") == 1);
  }

  @Test
  void aReplayInsideTheWindowIsADuplicateAndOneOutsideItIsDropped() throws Exception {
    line(TopicOptions.defaults());
    BroadcastMessage.Push message = valid("once", 1);
    hostile.send(TOPIC, message);
    clockOfB.addAndGet(Duration.ofSeconds(30).toMillis());
    hostile.send(TOPIC, message); // 30 s later: inside the window, still in the seen cache
    flush("after", 2);
    assertThat(atB.count("once")).isEqualTo(1);
    assertThat(statsOfB().duplicates()).isEqualTo(1);

    // Signed 121 s before b's clock, or 11 s after it: outside the 120 s window or 10 s skew.
    hostile.send(TOPIC, hostile.gossip(TOPIC, hostile.nodeId(), "stale", 3,
        clockOfB.get() - 121_000));
    hostile.send(TOPIC, hostile.gossip(TOPIC, hostile.nodeId(), "future", 4,
        clockOfB.get() + 11_000));
    hostile.send(TOPIC, hostile.gossip(TOPIC, hostile.nodeId(), "barely in time", 5,
        clockOfB.get() - 119_000));
    flush("after 2", 6);
    assertThat(atB.count("stale") + atC.count("stale")).isZero();
    assertThat(atB.count("future") + atC.count("future")).isZero();
    assertThat(atB.count("barely in time")).isEqualTo(1);
    assertThat(statsOfB().replays()).isEqualTo(2);
    // Replays are not held against the sender: an honest node may have another clock.
    assertThat(topicOfB.neighbors()).contains(hostile.nodeId());
  }

  @Test
  void aReplayAfterTheSeenCacheForgotItIsOutsideTheWindowAndNotDeliveredAgain()
      throws Exception {
    PlumTreeConfig shortMemory = PlumTreeConfig.builder()
        .seenCacheRetention(Duration.ofMillis(300)).payloadCacheRetention(Duration.ofMillis(300))
        .catchUpWindow(Duration.ofMillis(100)).cacheEvictionInterval(Duration.ofMillis(50)).build();
    line(TopicOptions.builder().replayWindow(Duration.ofMillis(200))
        .maxClockSkew(Duration.ofMillis(100)).build(), shortMemory);
    BroadcastMessage.Push message = valid("once", 1);
    hostile.send(TOPIC, message);
    flush("after", 2);
    Await.until("b forgets the ids", () -> statsOfB().seenCacheSize() == 0);
    clockOfB.addAndGet(300); // as much time on b's clock as the seen cache kept the id
    hostile.send(TOPIC, message);
    flush("after 2", 3);
    assertThat(atB.count("once")).isEqualTo(1);
    assertThat(statsOfB().replays()).isEqualTo(1);
  }

  @Test
  void eachValidatorVerdictDeliversForwardsAndBlamesAsItSays() throws Exception {
    Validator byPrefix = (origin, payload) -> {
      String text = new String(payload, StandardCharsets.UTF_8);
      return text.startsWith("reject") ? Verdict.REJECT
          : text.startsWith("ignore") ? Verdict.IGNORE
          : Verdict.ACCEPT;
    };
    line(TopicOptions.builder().validator(byPrefix).build());
    hostile.send(TOPIC, valid("accept me", 1));
    hostile.send(TOPIC, valid("reject me", 2));
    hostile.send(TOPIC, valid("reject me too", 3));
    for (int i = 0; i < 5; i++) {
      hostile.send(TOPIC, valid("ignore me " + i, 10 + i));
    }
    flush("accept me later", 4);
    assertThat(atB.count("accept me")).isEqualTo(1);
    assertThat(atC.count("accept me")).isEqualTo(1);
    assertThat(atB.events).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
        .containsExactly("accept me", "accept me later");
    assertThat(atC.events).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
        .containsExactly("accept me", "accept me later");
    PlumTreeStats stats = statsOfB();
    assertThat(stats.rejected()).isEqualTo(2);
    assertThat(stats.ignored()).isEqualTo(5);
    // Two rejections are below the limit of 3, and ignoring blames nobody.
    assertThat(topicOfB.neighbors()).contains(hostile.nodeId());
    // A third rejection reaches the limit.
    hostile.send(TOPIC, valid("reject me again", 5));
    assertThat(hostile.awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(statsOfB().neighborsExpelled()).isEqualTo(1);
  }

  @Test
  void subscriptionsOfOneTopicMustAgreeOnTheirOptions() {
    Gossip x = start(Gossip.builder());
    x.subscribe(TOPIC, List.of());
    x.subscribe(TOPIC, List.of(), TopicOptions.defaults());
    assertThatThrownBy(() -> x.subscribe(TOPIC, List.of(),
        TopicOptions.builder().signed(false).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use the same options");
    TopicId other = TopicId.fromName("other");
    x.subscribe(other, List.of(), TopicOptions.builder().signed(false).build()).close();
    // Once its last subscription is closed, a topic may be subscribed with other options.
    Await.until("the topic is left", () -> !x.metrics().topics().containsKey(other));
    x.subscribe(other, List.of(), TopicOptions.defaults());
  }

  @Test
  void invalidOptionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> TopicOptions.builder().replayWindow(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TopicOptions.replayWindow");
    assertThatThrownBy(() -> TopicOptions.builder().maxClockSkew(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("TopicOptions.maxClockSkew");
    assertThatThrownBy(() -> TopicOptions.builder().validator(null).build())
        .hasMessageContaining("TopicOptions.validator");
    Gossip x = start(Gossip.builder());
    TopicOptions tooLong = TopicOptions.builder().replayWindow(Duration.ofSeconds(145)).build();
    assertThatThrownBy(() -> x.subscribe(TOPIC, List.of(), tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TopicOptions.replayWindow")
        .hasMessageContaining("PlumTreeConfig.seenCacheRetention (PT2M30S)");
    TopicOptions tooShort = TopicOptions.builder().replayWindow(Duration.ofSeconds(60)).build();
    assertThatThrownBy(() -> x.subscribe(TOPIC, List.of(), tooShort))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TopicOptions.replayWindow (PT1M)")
        .hasMessageContaining("PlumTreeConfig.catchUpWindow (PT1M30S)");
    // Unsigned, there is no window to check.
    x.subscribe(TOPIC, List.of(), TopicOptions.builder().signed(false)
        .replayWindow(Duration.ofSeconds(145)).build());
  }
}
