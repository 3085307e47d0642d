package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipBuilderTest {

  @Test
  void aBuilderChangedAfterBuildLeavesTheNodeAsBuilt() throws Exception {
    Identity first = Identity.generate();
    Gossip.Builder builder = Gossip.builder()
        .identity(first)
        .maxFrameSize(4096)
        .idleTimeout(Duration.ofSeconds(7));
    try (Gossip node = builder.build()) {
      builder.identity(Identity.generate())
          .maxFrameSize(1 << 20)
          .idleTimeout(Duration.ofSeconds(30))
          .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))
          .membership(HyParViewConfig.builder().activeViewCapacity(9).build());
      node.start();

      assertThat(node.nodeId()).isEqualTo(first.nodeId());
      assertThat(node.maxPayloadSize()).isLessThan(4096);
      assertThat(node.addr().addresses())
          .allSatisfy(a -> assertThat(a.getAddress()).isEqualTo(InetAddress.getLoopbackAddress()));
      assertThat(node.config().idleTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(node.config().membership().activeViewCapacity()).isEqualTo(5);
    }
  }

  @Test
  void eachNodeBuiltWithoutAnIdentityGetsItsOwn() {
    Gossip.Builder builder = Gossip.builder();
    try (Gossip a = builder.build(); Gossip b = builder.build()) {
      assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
    }
  }

  @Test
  void theBuilderUsesTheCoresDefaults() {
    try (Gossip node = Gossip.builder().build()) {
      assertThat(node.config().membership()).isEqualTo(HyParViewConfig.defaults());
      assertThat(node.config().broadcast()).isEqualTo(PlumTreeConfig.defaults());
      try (Gossip lan = Gossip.builder(Preset.LAN).build()) {
        GossipConfig l = lan.config();
        GossipConfig d = node.config();
        assertThat(List.of(l.membership(), l.broadcast(), l.heartbeatInterval(), l.idleTimeout(),
            l.connectTimeout(), l.handshakeTimeout(), l.maxFrameSize()))
            .isEqualTo(List.of(d.membership(), d.broadcast(), d.heartbeatInterval(),
                d.idleTimeout(), d.connectTimeout(), d.handshakeTimeout(), d.maxFrameSize()));
      }
    }
  }

  @Test
  void theWanPresetWaitsLongerBeforeTakingAPeerForDeadOrAMessageForMissing() {
    try (Gossip lan = Gossip.builder().build();
        Gossip wan = Gossip.builder(Preset.WAN).build()) {
      GossipConfig l = lan.config();
      GossipConfig w = wan.config();
      assertThat(w.idleTimeout()).isGreaterThan(l.idleTimeout());
      assertThat(w.heartbeatInterval()).isGreaterThan(l.heartbeatInterval());
      assertThat(w.connectTimeout()).isGreaterThan(l.connectTimeout());
      assertThat(w.handshakeTimeout()).isGreaterThan(l.handshakeTimeout());
      assertThat(w.membership().neighborRequestTimeout())
          .isGreaterThan(l.membership().neighborRequestTimeout());
      assertThat(w.broadcast().graftTimeout1()).isGreaterThan(l.broadcast().graftTimeout1());
      assertThat(w.broadcast().maxGraftTimeout1()).isGreaterThan(l.broadcast().maxGraftTimeout1());
      assertThat(w.membership().activeRotationShuffles())
          .isEqualTo(l.membership().activeRotationShuffles());
    }
  }
}
