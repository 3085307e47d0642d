package io.gossip4j.netty;

import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.MessageIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Deliveries per second with and without origin signatures: a timing harness, not a test (no
 * thresholds, not run by the build). Five nodes on loopback, one topic; one node broadcasts
 * 1 KiB messages as fast as the others take them (at most {@value #WINDOW} in flight), and the
 * time until every other node delivered every message gives deliveries per second. Also times
 * bare Ed25519 signing and verification of the same messages on one thread. How to run it is
 * in docs/benchmarks.md.
 *
 * <p>Arguments: messages per run (default 20000), runs per setting (default 3).
 */
public final class SigningBenchmark {
  private static final int NODES = 5;
  private static final int PAYLOAD = 1024;
  private static final int WINDOW = 2_000;
  private static final TopicId TOPIC = TopicId.fromName("benchmark");

  private SigningBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf("%d nodes on loopback, %d-byte payloads, %d messages per run, %d runs%n",
        NODES, PAYLOAD, messages, runs);
    primitives(messages); // warm-up
    primitives(messages);
    for (int run = 1; run <= runs; run++) {
      for (boolean signed : new boolean[] {false, true}) {
        double rate = deliveriesPerSecond(signed, messages);
        System.out.printf("run %d, %-8s: %,10.0f deliveries/s (%,8.0f broadcasts/s)%n", run,
            signed ? "signed" : "unsigned", rate, rate / (NODES - 1));
      }
    }
  }

  /** Sign and verify alone, one thread, the same signed bytes as a 1 KiB broadcast. */
  private static void primitives(int count) {
    Identity identity = Identity.generate();
    OriginSigner signer = new OriginSigner(identity, System::currentTimeMillis);
    MessageIds ids = new MessageIds();
    byte[] payload = new byte[PAYLOAD];
    List<BroadcastMessage.Push> sealed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      sealed.add(new BroadcastMessage.Push(ids.of(TOPIC, identity.nodeId(), i, payload),
          identity.nodeId(), i, 0, Scope.SWARM,
          signer.seal(TOPIC, identity.nodeId(), i, Scope.SWARM, payload), payload));
    }
    double signRate = count / seconds(start);
    start = System.nanoTime();
    for (BroadcastMessage.Push g : sealed) {
      if (!signer.hasValidSignature(TOPIC, g)) {
        throw new AssertionError("a good signature did not verify");
      }
    }
    double verifyRate = count / seconds(start);
    System.out.printf("Ed25519 (BouncyCastle), one thread, %d messages: %,.0f signs/s, %,.0f"
        + " verifies/s%n", count, signRate, verifyRate);
  }

  private static double deliveriesPerSecond(boolean signed, int messages) throws Exception {
    TopicOptions options = TopicOptions.builder().signed(signed).build();
    List<Gossip> nodes = new ArrayList<>();
    AtomicLong[] delivered = new AtomicLong[NODES];
    try {
      List<Topic> topics = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        Gossip node = Gossip.builder().build().start();
        nodes.add(node);
        AtomicLong count = new AtomicLong();
        delivered[i] = count;
        List<NodeAddr> bootstrap = i == 0 ? List.of() : List.of(nodes.get(0).addr());
        topics.add(node.subscribe(TOPIC, bootstrap, options, event -> {
          if (event instanceof GossipEvent.Received) {
            count.incrementAndGet();
          } else if (event instanceof GossipEvent.Lagged lagged) {
            throw new IllegalStateException("a subscriber lagged: " + lagged);
          }
        }));
      }
      for (Topic topic : topics.subList(1, NODES)) {
        topic.joined().get(10, TimeUnit.SECONDS);
      }
      Topic sender = topics.get(0);
      // Warm up (JIT, the broadcast tree), then measure.
      send(sender, delivered, messages / 4);
      long start = System.nanoTime();
      send(sender, delivered, messages);
      return (double) messages * (NODES - 1) / seconds(start);
    } finally {
      nodes.forEach(Gossip::close);
    }
  }

  /** Broadcasts {@code count} messages and waits until every other node delivered them. */
  private static void send(Topic sender, AtomicLong[] delivered, int count) {
    long target = delivered[1].get() + count;
    byte[] payload = new byte[PAYLOAD];
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    for (int i = 0; i < count; i++) {
      long sentSoFar = target - count + i;
      while (sentSoFar - slowest(delivered) > WINDOW) {
        pause(deadline);
      }
      sender.broadcast(Arrays.copyOf(payload, PAYLOAD));
    }
    while (slowest(delivered) < target) {
      pause(deadline);
    }
  }

  private static long slowest(AtomicLong[] delivered) {
    long min = Long.MAX_VALUE;
    for (int i = 1; i < delivered.length; i++) {
      min = Math.min(min, delivered[i].get());
    }
    return min;
  }

  private static void pause(long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("messages were lost: not every node delivered them");
    }
    LockSupport.parkNanos(20_000);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
