package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.Transport;
import io.gossip4j.netty.transport.TransportConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transport's and API's caps that other tests do not already prove (docs/configuration.md
 * lists every cap and the test of each).
 */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class BoundsTest {
  @RegisterExtension final Nodes nodes = new Nodes();

  @Test
  void aPeerThatKeepsReconnectingWithoutClosingHoldsAtMostTwoRetiredConnections()
      throws Exception {
    Gossip node = nodes.start(Gossip.builder().closeTimeout(Duration.ofSeconds(30)));
    Identity peer = Identity.generate();
    NodeId peerId = peer.nodeId();
    EventLoopGroup group = Transport.best().newEventLoopGroup(1);
    try {
      List<Channel> channels = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        // The same process (same incarnation) each time: each new connection wins the
        // tie-break and the previous one waits for a CLOSE this peer never sends.
        Channel ch = RawPeer.connect(group, node, peer);
        ch.writeAndFlush(RawPeer.hello(42)).sync();
        channels.add(ch);
        int opened = i + 1;
        Await.until("connection " + opened + " ready", () -> node.onLoop(
            d -> d.connections().channelsTo(peerId).size()).join() == Math.min(opened, 3));
        assertThat(node.onLoop(d -> d.connections().retiringTo(peerId)).join())
            .isLessThanOrEqualTo(TransportConfig.MAX_RETIRING_PER_PEER);
      }
      // The oldest ones were closed at once, long before the 30 s close timeout.
      for (int i = 0; i < 3; i++) {
        assertThat(channels.get(i).closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(channels.get(5).isActive()).isTrue();
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }
  }

  @Test
  void subscriptionsToOneTopicAreCapped() {
    Gossip node = nodes.start(Gossip.builder().maxSubscribersPerTopic(3));
    TopicId topic = TopicId.fromName("crowded");
    for (int i = 0; i < 3; i++) {
      node.subscribe(topic, List.of());
    }
    assertThatThrownBy(() -> node.subscribe(topic, List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Gossip.Builder.maxSubscribersPerTopic");
    node.subscribe(TopicId.fromName("another"), List.of()); // other topics are not affected
    assertThatThrownBy(() -> Gossip.builder().maxSubscribersPerTopic(0).build())
        .hasMessageContaining("Gossip.Builder.maxSubscribersPerTopic");
  }
}
