package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.proto.Input;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.MessageIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BroadcastJudgesTest {
  private static final TopicId TOPIC = TopicId.fromName("judges");
  private static final MessageIds IDS = new MessageIds();

  private final Identity origin = Identity.generate();
  private final OriginSigner signer = new OriginSigner(origin, System::currentTimeMillis);

  private Push signed(String text, long nonce) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    NodeId from = origin.nodeId();
    return new Push(IDS.of(TOPIC, from, nonce, payload), from, nonce, 0, Scope.SWARM,
        signer.seal(TOPIC, from, nonce, Scope.SWARM, payload), payload);
  }

  @Test
  void everyMessageIsJudgedOnceOffTheCallersThreadWhileThereIsRoom() throws Exception {
    signer.configure(TOPIC, TopicOptions.defaults());
    Map<Object, String> threads = new ConcurrentHashMap<>();
    List<Input.Judged> done = new CopyOnWriteArrayList<>();
    try (BroadcastJudges judges = new BroadcastJudges(signer, 2, "t")) {
      for (int i = 0; i < 200; i++) {
        judges.judge(TOPIC, signed("m" + i, i), judged -> {
          threads.put(judged.id(), Thread.currentThread().getName());
          done.add(judged);
        });
      }
      Await.until("all judged", Duration.ofSeconds(30), () -> done.size() == 200);
    }
    assertThat(done).allSatisfy(j -> assertThat(j.decision())
        .isEqualTo(GuardDecision.ACCEPT_VERIFIED));
    assertThat(done.stream().map(Input.Judged::id).distinct()).hasSize(200);
    assertThat(threads.values()).allSatisfy(name -> assertThat(name).startsWith("gossip-judge-t"));
  }

  @Test
  void aFullQueueMakesTheCallerJudgeSoNothingIsDroppedAndTheCallerSlowsDown() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    // The validator holds the only judging thread until released.
    signer.configure(TOPIC, TopicOptions.builder().validator((from, payload) -> {
      if (Thread.currentThread().getName().startsWith("gossip-judge-")) {
        blocking.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Verdict.ACCEPT;
    }).build());
    List<String> judgedOn = new CopyOnWriteArrayList<>();
    try (BroadcastJudges judges = new BroadcastJudges(signer, 1, "q")) {
      judges.judge(TOPIC, signed("holds the thread", 0),
          j -> judgedOn.add(Thread.currentThread().getName()));
      assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
      int queue = BroadcastJudges.QUEUE_PER_THREAD;
      for (int i = 1; i <= queue; i++) {
        judges.judge(TOPIC, signed("queued " + i, i), j -> judgedOn.add("pool"));
      }
      assertThat(judges.queued()).isEqualTo(queue);
      judges.judge(TOPIC, signed("one too many", queue + 1),
          j -> judgedOn.add(Thread.currentThread().getName()));
      // Judged at once, here: the queue is full.
      assertThat(judgedOn).containsExactly(Thread.currentThread().getName());
      release.countDown();
      Await.until("the queue drained", Duration.ofSeconds(30), () -> judgedOn.size() == queue + 2);
    }
  }

  @Test
  void afterCloseNothingIsJudgedAndNothingHangs() {
    signer.configure(TOPIC, TopicOptions.defaults());
    List<Input.Judged> done = new CopyOnWriteArrayList<>();
    BroadcastJudges judges = new BroadcastJudges(signer, 2, "c");
    judges.close();
    judges.judge(TOPIC, signed("late", 1), done::add);
    assertThat(done).isEmpty();
  }
}
