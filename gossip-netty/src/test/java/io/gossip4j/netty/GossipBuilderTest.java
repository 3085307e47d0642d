package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void advertisedAddressesThatDoNotFitThePeerDataFailTheBuildNamingTheSetting() {
    List<InetSocketAddress> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      many.add(new InetSocketAddress("2001:db8::" + Integer.toHexString(i), 7000));
    }
    Gossip.Builder builder = Gossip.builder().advertise(many);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Gossip.Builder.advertise")
        .hasMessageContaining("60 addresses");
    // As many as fit are fine.
    try (Gossip node = Gossip.builder().advertise(many.subList(0, 20)).build()) {
      assertThat(node.config().advertise()).hasSize(20);
    }
  }

  @Test
  void aHostWithMoreAddressesThanFitFailsTheStartNamingAdvertiseAndLeavesNothingBehind()
      throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    InetSocketAddress wildcard = new InetSocketAddress("0.0.0.0", port);
    List<InetSocketAddress> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      many.add(new InetSocketAddress("198.51.100." + i, port)); // never dialed
    }
    Gossip node = Gossip.builder().bind(wildcard).build();
    node.addressesOfHost(bound -> many);
    String hex = node.nodeId().shortHex();

    assertThatThrownBy(node::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("60 addresses")
        .hasMessageContaining("Gossip.Builder.advertise");
    // Nothing left listening, and none of the node's threads left running.
    try (java.net.ServerSocket again = new java.net.ServerSocket()) {
      again.bind(wildcard);
    }
    Await.until("the node's threads end", java.time.Duration.ofSeconds(10),
        () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.isAlive() && t.getName().contains(hex)));
  }

  @Test
  void aWildcardBindAdvertisesEveryAddressOfTheInterfacesThatAreUp() throws Exception {
    try (Gossip node = Gossip.builder().bind(new InetSocketAddress("0.0.0.0", 0)).build()
        .start()) {
      List<InetAddress> advertised =
          node.addr().addresses().stream().map(InetSocketAddress::getAddress).toList();
      // A dual-stack socket bound to the wildcard takes IPv6 too; then so do its addresses.
      boolean ipv6 = advertised.stream().anyMatch(a -> a instanceof java.net.Inet6Address);
      List<InetAddress> expected = new java.util.ArrayList<>();
      for (java.net.NetworkInterface nic :
          java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp()) {
          for (InetAddress ip : java.util.Collections.list(nic.getInetAddresses())) {
            if (!ip.isLinkLocalAddress() && (ipv6 || ip instanceof java.net.Inet4Address)) {
              expected.add(ip);
            }
          }
        }
      }
      // All of them (not the first few), and those another machine can use first.
      assertThat(advertised).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(advertised.get(0).isLoopbackAddress())
          .isEqualTo(expected.stream().allMatch(InetAddress::isLoopbackAddress));
    }
  }

  @Test
  void propertiesAndEnvironmentVariablesConfigureANode(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path key = dir.resolve("node.key");
    Identity saved = Identity.loadOrCreate(key);
    java.util.Map<String, String> settings = new java.util.HashMap<>();
    settings.put("gossip4j.bind", "127.0.0.1:0");
    settings.put("gossip4j.key-file", key.toString());
    settings.put("GOSSIP4J_JOIN_TIMEOUT", "2500ms");
    settings.put("GOSSIP4J_IDLE_TIMEOUT", "PT7S");
    settings.put("gossip4j.max-frame-size", "8192");
    settings.put("gossip4j.tls-provider", "jdk");
    settings.put("PATH", "/usr/bin"); // not ours: ignored
    try (Gossip node = Gossip.builder().configure(settings).build()) {
      assertThat(node.nodeId()).isEqualTo(saved.nodeId());
      assertThat(node.config().joinTimeout()).isEqualTo(Duration.ofMillis(2500));
      assertThat(node.config().idleTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(node.config().maxFrameSize()).isEqualTo(8192);
      assertThat(node.config().tlsProvider()).isEqualTo(TlsProvider.JDK);
      assertThat(node.config().bind().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }
  }

  @Test
  void aSettingThatIsUnknownOrDoesNotParseFailsNamingItsKey() {
    assertThatThrownBy(() -> Gossip.builder().configure(java.util.Map.of("gossip4j.bnid", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown setting gossip4j.bnid").hasMessageContaining("gossip4j.bind");
    assertThatThrownBy(() -> Gossip.builder()
        .configure(java.util.Map.of("GOSSIP4J_JOIN_TIMEOUT", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossip4j.join-timeout=soon").hasMessageContaining("10s");
    assertThatThrownBy(() -> Gossip.builder().configure(java.util.Map.of("gossip4j.bind", "7000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossip4j.bind=7000").hasMessageContaining("host:port");
    // In range is checked where it is for a value set in code: at build(), naming the field.
    assertThatThrownBy(() -> Gossip.builder()
        .configure(java.util.Map.of("gossip4j.max-frame-size", "12")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameSize");
  }
}
