package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NodeId;
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

  /**
   * One peer under {@code service}: its SRV record, the A record of {@code host} and, unless
   * {@code id} is null, the TXT record with its node id.
   */
  private static void publish(LoopbackDns dns, String service, String host,
      InetSocketAddress address, NodeId id) {
    dns.srv(service, address.getPort(), host);
    dns.a(host, address.getAddress());
    if (id != null) {
      dns.txt(host, DnsDiscovery.NODE_ID_PREFIX + id.toHex());
    }
  }

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
        publish(dns, SERVICE, host, g.addr().addresses().get(0), g.nodeId());
      }
      // A target without a node id cannot be dialed (TLS checks the id): skipped.
      publish(dns, SERVICE, "noid.swarm.test",
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000), null);

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
  void aTargetWithoutTxtIsSkippedUnlessAskedToTakeTheIdFromTheCertificate() throws Exception {
    try (LoopbackDns dns = new LoopbackDns();
        Gossip a = Gossip.builder().build().start();
        Gossip b = Gossip.builder().build().start();
        Gossip joiner = Gossip.builder().build().start()) {
      a.subscribe(TOPIC, List.of());
      b.subscribe(TOPIC, List.of(a.addr()));
      InetSocketAddress aAddress = a.addr().addresses().get(0);
      InetSocketAddress bAddress = b.addr().addresses().get(0);
      publish(dns, SERVICE, "a.swarm.test", aAddress, a.nodeId());
      publish(dns, SERVICE, "b.swarm.test", bAddress, null); // no TXT record

      DnsDiscovery byTxt = DnsDiscovery.srv(SERVICE).nameServer(dns.address());
      assertThat(byTxt.peers()).containsExactly(a.addr());
      DnsDiscovery byCertificate = byTxt.idsFromCertificates(joiner);
      assertThat(byCertificate.peers()).containsExactlyInAnyOrder(
          a.addr(), new NodeAddr(b.nodeId(), List.of(bAddress)));

      Topic topic = joiner.subscribe(TOPIC, List.of());
      topic.join(byCertificate).get(10, TimeUnit.SECONDS);
      topic.joined().get(10, TimeUnit.SECONDS);
      assertThat(topic.neighbors()).isNotEmpty().isSubsetOf(a.nodeId(), b.nodeId());
    }
  }

  @Test
  void identifyingANodeProvesItsIdAndLeavesNoConnectionOnEitherSide() throws Exception {
    try (Gossip asker = Gossip.builder().build().start();
        Gossip node = Gossip.builder().build().start()) {
      InetSocketAddress address = node.addr().addresses().get(0);
      assertThat(asker.identify(address).get(10, TimeUnit.SECONDS))
          .isEqualTo(new NodeAddr(node.nodeId(), List.of(address)));
      assertThat(asker.identify(address).get(10, TimeUnit.SECONDS).id())
          .isEqualTo(node.nodeId());
      // Neither table took the connection in: no HELLO was sent, so the tie-break never ran.
      for (Gossip g : List.of(asker, node)) {
        assertThat(g.metrics().connectionsOpened()).isZero();
        assertThat(g.metrics().connectionsReplaced()).isZero();
      }
    }
  }

  @Test
  void identifyingFailsWithTheReasonAndDiscoveryNamesEveryTargetItCouldNotIdentify()
      throws Exception {
    try (LoopbackDns dns = new LoopbackDns();
        Gossip node = Gossip.builder().build().start()) {
      InetSocketAddress closed = ClosedPort.loopback();
      assertThatThrownBy(() -> node.identify(closed).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class)
          .cause().hasMessageContaining(closed.toString())
          .hasMessageContaining("connection refused");
      // A service lists every member, this one too: its own address gives its own id.
      InetSocketAddress self = node.addr().addresses().get(0);
      assertThat(node.identify(self).get(10, TimeUnit.SECONDS).id()).isEqualTo(node.nodeId());
      publish(dns, "_gossip4j._tcp.alone.test", "me.alone.test", self, null);
      assertThat(DnsDiscovery.srv("_gossip4j._tcp.alone.test").nameServer(dns.address())
          .idsFromCertificates(node).peers()).containsExactly(new NodeAddr(node.nodeId(),
              List.of(self)));

      publish(dns, SERVICE, "gone.swarm.test", closed, null);
      DnsDiscovery discovery =
          DnsDiscovery.srv(SERVICE).nameServer(dns.address()).idsFromCertificates(node);
      assertThatThrownBy(discovery::peers).isInstanceOf(IOException.class)
          .hasMessageContaining("could be identified")
          .hasMessageContaining("gone.swarm.test")
          .hasMessageContaining("connection refused");
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
