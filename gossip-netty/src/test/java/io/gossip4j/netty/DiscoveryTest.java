package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.TopicId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Peers found in DNS (a name server the test starts on loopback) and joined through. */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class DiscoveryTest {
  private static final TopicId TOPIC = TopicId.fromName("discovery");
  private static final String SERVICE = "_gossip4j._tcp.swarm.test";

  @Test
  void srvRecordsGiveOnePeerEachWithTheIdFromTxtAndTheJoinGoesThroughThem() throws Exception {
    try (LoopbackDns dns = new LoopbackDns();
        Gossip a = Gossip.builder().build().start();
        Gossip b = Gossip.builder().build().start();
        Gossip joiner = Gossip.builder().build().start()) {
      a.subscribe(TOPIC, List.of());
      b.subscribe(TOPIC, List.of(a.addr()));
      int i = 0;
      for (Gossip g : List.of(a, b)) {
        String host = "node" + (++i) + ".swarm.test";
        InetSocketAddress address = g.addr().addresses().get(0);
        dns.srv(SERVICE, address.getPort(), host);
        dns.a(host, address.getAddress());
        dns.txt(host, "gossip4j-node=" + g.nodeId().toHex());
      }
      // A target without a node id cannot be dialed (TLS checks the id): skipped.
      dns.srv(SERVICE, 7000, "noid.swarm.test");
      dns.a("noid.swarm.test", InetAddress.getLoopbackAddress());

      DnsDiscovery discovery = DnsDiscovery.srv(SERVICE).nameServer(dns.address());
      List<NodeAddr> found = discovery.peers();
      assertThat(found).containsExactlyInAnyOrder(a.addr(), b.addr());

      Topic topic = joiner.subscribe(TOPIC, List.of());
      assertThat(topic.join(discovery).get(10, TimeUnit.SECONDS)).hasSize(2);
      topic.joined().get(10, TimeUnit.SECONDS);
      assertThat(topic.neighbors()).isNotEmpty().isSubsetOf(a.nodeId(), b.nodeId());
    }
  }

  @Test
  void aNameWithoutRecordsFailsWithTheReason() throws Exception {
    try (LoopbackDns dns = new LoopbackDns();
        Gossip node = Gossip.builder().build().start()) {
      DnsDiscovery discovery = DnsDiscovery.srv("_gossip4j._tcp.nobody.test")
          .nameServer(dns.address());
      assertThatThrownBy(discovery::peers).isInstanceOf(IOException.class)
          .hasMessageContaining("no records for _gossip4j._tcp.nobody.test")
          .hasMessageContaining(dns.address().toString());
      Topic topic = node.subscribe(TOPIC, List.of());
      assertThatThrownBy(() -> topic.join(discovery).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
      assertThatThrownBy(() -> DnsDiscovery.srv(" ")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aFixedListIsDiscoveryToo() throws Exception {
    try (Gossip a = Gossip.builder().build().start();
        Gossip b = Gossip.builder().build().start()) {
      a.subscribe(TOPIC, List.of());
      Topic topic = b.subscribe(TOPIC, List.of());
      topic.join(PeerDiscovery.of(List.of(a.addr()))).get(10, TimeUnit.SECONDS);
      topic.joined().get(10, TimeUnit.SECONDS);
      assertThat(topic.neighbors()).containsExactly(a.nodeId());
    }
  }
}
