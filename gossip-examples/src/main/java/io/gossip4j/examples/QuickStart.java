package io.gossip4j.examples;

import io.gossip4j.TopicId;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.Topic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's example, compiled with the project so it cannot go stale (ReadmeTest). */
final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    // README-EXAMPLE-START
    TopicId topicId = TopicId.fromName("my-app/chat");
    try (Gossip alice = Gossip.builder().build().start();
        Gossip bob = Gossip.builder().build().start()) {
      Topic a = alice.subscribe(topicId, List.of());                // the first node
      Topic b = bob.subscribe(topicId, List.of(alice.addr()));       // joins through alice
      b.joined().get(10, TimeUnit.SECONDS);

      b.broadcast("hello".getBytes(StandardCharsets.UTF_8));
      GossipEvent event;
      do {
        event = a.take();                                           // NeighborUp, then...
      } while (!(event instanceof GossipEvent.Received));
      GossipEvent.Received hello = (GossipEvent.Received) event;
      System.out.println(new String(hello.payload(), StandardCharsets.UTF_8)
          + " from " + hello.origin() + (hello.verified() ? " (signature checked)" : ""));
    }
    // README-EXAMPLE-END
  }
}
