package io.gossip4j.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gossip4j.proto.ProtocolConfig;
import java.nio.ByteBuffer;

/**
 * Fuzzes the frame decoder. Without {@code JAZZER_FUZZ=1} this runs the committed corpus
 * (src/test/resources/io/gossip4j/wire/WireCodecFuzzTestInputs/) as a regression test; with it,
 * Jazzer mutates inputs for the configured time (docs/reliability.md has the command).
 */
class WireCodecFuzzTest {

  /**
   * Any byte string either decodes or fails with a {@link CodecException}, nothing else; what
   * decodes re-encodes to exactly the same bytes (one encoding per frame) and within the limit.
   */
  @FuzzTest(maxDuration = "30m")
  void anyBodyDecodesCanonicallyOrFailsWithCodecException(byte[] body) {
    // Even lengths against the smallest allowed limit, odd ones against a larger one.
    int limit = ProtocolConfig.MIN_FRAME_SIZE
        + (body.length % 2) * ProtocolConfig.DEFAULT_FRAME_SIZE;
    Frame frame;
    try {
      frame = WireCodec.decode(ByteBuffer.wrap(body).asReadOnlyBuffer(), limit);
    } catch (CodecException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(body.length).isLessThanOrEqualTo(limit);
    assertThat(WireCodec.encodedSize(frame)).isEqualTo(body.length);
    assertThat(WireCodec.encode(frame)).isEqualTo(body);
  }
}
