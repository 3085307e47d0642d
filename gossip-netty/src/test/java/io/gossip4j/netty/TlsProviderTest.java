package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.TopicId;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which TLS implementation a node runs on, and nodes on different ones talking. */
@ExtendWith({NoLeaks.class, NoLoopErrors.class})
class TlsProviderTest {
  private static final TopicId TOPIC = TopicId.fromName("providers");
  @RegisterExtension final Nodes nodes = new Nodes();

  @Test
  void aBoringSslNodeAndAJdkNodeExchangeBroadcastsBothWays() throws Exception {
    List<ChannelPipeline> atBoringEnd = new CopyOnWriteArrayList<>();
    List<ChannelPipeline> atJdkEnd = new CopyOnWriteArrayList<>();
    Gossip boring = nodes.start(Gossip.builder().tlsProvider(TlsProvider.OPENSSL)
        .pipelineCustomizer((pipeline, peer) -> atBoringEnd.add(pipeline)));
    Gossip jdk = nodes.start(Gossip.builder().tlsProvider(TlsProvider.JDK)
        .pipelineCustomizer((pipeline, peer) -> atJdkEnd.add(pipeline)));
    Received atBoring = new Received();
    Received atJdk = new Received();
    Topic fromBoring = boring.subscribe(TOPIC, List.of(), atBoring);
    Topic fromJdk = jdk.subscribe(TOPIC, List.of(boring.addr()), atJdk);
    fromJdk.joined().get(10, TimeUnit.SECONDS);

    fromBoring.broadcast(utf8("from BoringSSL"));
    fromJdk.broadcast(utf8("from the JDK"));

    Await.until("both broadcasts", () -> atJdk.count("from BoringSSL") == 1
        && atBoring.count("from the JDK") == 1);
    assertThat(boring.metrics().tlsProvider()).isEqualTo(TlsProvider.OPENSSL);
    assertThat(jdk.metrics().tlsProvider()).isEqualTo(TlsProvider.JDK);
    // The connection really is BoringSSL at one end and the JDK's TLS at the other.
    assertThat(engineIsBoringSsl(atBoringEnd)).isNotEmpty().containsOnly(true);
    assertThat(engineIsBoringSsl(atJdkEnd)).isNotEmpty().containsOnly(false);
  }

  @Test
  void autoTakesBoringSslWhereItLoads() {
    // netty-tcnative-boringssl-static is on this module's test path for every CI platform.
    Gossip node = nodes.start(Gossip.builder());

    assertThat(node.metrics().tlsProvider()).isEqualTo(TlsProvider.OPENSSL);
  }

  @Test
  void theJdkCanBeChosenWhereBoringSslLoads() {
    Gossip node = nodes.start(Gossip.builder().tlsProvider(TlsProvider.JDK));

    assertThat(node.metrics().tlsProvider()).isEqualTo(TlsProvider.JDK);
  }

  /** For each of these connections still open, whether its TLS engine is BoringSSL's. */
  private static List<Boolean> engineIsBoringSsl(List<ChannelPipeline> pipelines) {
    return pipelines.stream()
        .filter(p -> p.channel().isActive() && p.get(SslHandler.class) != null)
        .map(p -> p.get(SslHandler.class).engine() instanceof ReferenceCountedOpenSslEngine)
        .toList();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
