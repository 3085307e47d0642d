package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A closed topic on loopback: who the admission rule keeps out never gets in, and hears why. */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class AdmissionTest {
  private static final TopicId TOPIC = TopicId.fromName("closed");

  @RegisterExtension final Nodes nodes = new Nodes();

  private Gossip node() {
    return nodes.start(Gossip.builder().joinTimeout(Duration.ofSeconds(20)));
  }

  private static TopicOptions onlyThese(Set<NodeId> members) {
    return TopicOptions.builder().admission(members::contains).build();
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOutsiderIsToldItIsNotAdmittedAndNeverBecomesANeighborWhileMembersChat()
      throws Exception {
    Gossip a = node();
    Gossip b = node();
    Gossip outsider = node();
    Set<NodeId> members = Set.of(a.nodeId(), b.nodeId());
    Received atA = new Received();
    Received atB = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), onlyThese(members), atA);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()), onlyThese(members), atB);
    tb.joined().get(10, TimeUnit.SECONDS);

    Received atOutsider = new Received();
    Topic to = outsider.subscribe(TOPIC, List.of(a.addr(), b.addr()), TopicOptions.defaults(),
        atOutsider);
    assertThatThrownBy(() -> to.joined().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(JoinFailedException.class)
        .hasMessageContaining("not admitted to topic")
        .hasMessageContaining("does not admit this node");
    JoinFailedException refusal = (JoinFailedException) catchCause(to);
    assertThat(refusal.notAdmitted()).isTrue();
    assertThat(refusal.failures()).hasSize(2)
        .allSatisfy((address, why) -> assertThat(why).startsWith("refused: node "));

    ta.broadcast(text("members only")).get(10, TimeUnit.SECONDS);
    Await.until("b got a's line", () -> atB.count("members only") == 1);
    assertThat(ta.neighbors()).containsExactly(b.nodeId());
    assertThat(tb.neighbors()).containsExactly(a.nodeId());
    assertThat(to.neighbors()).isEmpty();
    assertThat(atOutsider.events).isEmpty();
  }

  @Test
  void aMemberThatNowAdmitsTheOutsiderTakesItWhenTheJoinIsAskedAgain() throws Exception {
    Gossip a = node();
    Gossip outsider = node();
    Topic ta = a.subscribe(TOPIC, List.of(), onlyThese(Set.of(a.nodeId())));
    Topic to = outsider.subscribe(TOPIC, List.of(a.addr()));
    assertThatThrownBy(() -> to.joined().get(10, TimeUnit.SECONDS))
        .cause().hasMessageContaining("not admitted");
    ta.admission(peer -> true).get(10, TimeUnit.SECONDS);
    to.joinPeers(List.of(a.addr())).get(10, TimeUnit.SECONDS);
    to.joined().get(10, TimeUnit.SECONDS);
    assertThat(to.neighbors()).containsExactly(a.nodeId());
  }

  @Test
  void aNewRuleDisconnectsTheMembersItNoLongerAdmitsAndDropsTheirBroadcasts() throws Exception {
    Gossip a = node();
    Gossip b = node();
    Gossip c = node();
    Received atA = new Received();
    Received atC = new Received();
    Topic ta = a.subscribe(TOPIC, List.of(), TopicOptions.defaults(), atA);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()), TopicOptions.defaults(), new Received());
    Topic tc = c.subscribe(TOPIC, List.of(a.addr()), TopicOptions.defaults(), atC);
    tb.joined().get(10, TimeUnit.SECONDS);
    tc.joined().get(10, TimeUnit.SECONDS);
    Await.until("a has both as neighbors", () -> ta.neighbors().size() == 2);

    NodeId banned = c.nodeId();
    ta.admission(peer -> !peer.equals(banned)).get(10, TimeUnit.SECONDS);
    Await.until("c heard it is not admitted", () -> atC.all.stream().anyMatch(e ->
        e instanceof GossipEvent.NeighborDown d && d.peer().equals(a.nodeId())
            && d.reason() == NeighborDownReason.NOT_ADMITTED));
    assertThat(ta.neighbors()).containsExactly(b.nodeId());
    assertThat(atA.all).anySatisfy(e -> assertThat(e).isEqualTo(
        new GossipEvent.NeighborDown(banned, NeighborDownReason.NOT_ADMITTED)));

    // c may still reach a through b (b admits everyone): a drops what c originates.
    Await.until("c is b's neighbor", () -> tc.neighbors().contains(b.nodeId()));
    tc.broadcast(text("banned line")).get(10, TimeUnit.SECONDS);
    tb.broadcast(text("b's line")).get(10, TimeUnit.SECONDS);
    Await.until("a got b's line", () -> atA.count("b's line") == 1);
    Await.until("a dropped c's line", () -> a.metrics().topics().get(TOPIC).broadcast()
        .originsRefused() >= 1);
    assertThat(atA.count("banned line")).isZero();
  }

  @Test
  void aRuleThatThrowsRefusesThePeerWithoutBreakingTheNode() throws Exception {
    Gossip a = node();
    Gossip b = node();
    Set<NodeId> seen = ConcurrentHashMap.newKeySet();
    TopicOptions failing = TopicOptions.builder().admission(peer -> {
      seen.add(peer);
      throw new IllegalStateException("rule broken");
    }).build();
    a.subscribe(TOPIC, List.of(), failing);
    Topic tb = b.subscribe(TOPIC, List.of(a.addr()));
    assertThatThrownBy(() -> tb.joined().get(10, TimeUnit.SECONDS))
        .cause().hasMessageContaining("not admitted");
    assertThat(seen).contains(b.nodeId());
  }

  private static Throwable catchCause(Topic topic) throws InterruptedException {
    try {
      topic.joined().get(10, TimeUnit.SECONDS);
      throw new AssertionError("joined");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer", e);
    }
  }
}
