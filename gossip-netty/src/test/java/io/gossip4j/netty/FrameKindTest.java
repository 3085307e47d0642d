package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.netty.transport.TransportMetrics;
import io.gossip4j.wire.WireCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The metrics' frame kinds name the wire's type codes, each once. */
class FrameKindTest {
  @Test
  void everyTypeCodeHasOneKindAndTheTransportsComeLast() {
    assertThat(FrameKind.values()).hasSize(TransportMetrics.TYPES);
    assertThat(Arrays.stream(FrameKind.values()).mapToInt(FrameKind::code).sorted().toArray())
        .containsExactly(java.util.stream.IntStream.range(0, TransportMetrics.TYPES).toArray());
    for (FrameKind kind : FrameKind.values()) {
      assertThat(FrameKind.ofType(kind.code())).isSameAs(kind);
    }
    assertThat(FrameKind.HELLO.code()).isEqualTo(WireCodec.FIRST_TRANSPORT_TYPE);
    assertThat(FrameKind.HEARTBEAT.code()).isEqualTo(WireCodec.FIRST_TRANSPORT_TYPE + 2);
  }
}
