package io.gossip4j.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class HeapCiphertextTest {
  @Test
  void directBytesArriveOnTheHeapUnchangedAndTheDirectBufferIsReleased() {
    EmbeddedChannel ch = new EmbeddedChannel(HeapCiphertext.INSTANCE);
    ByteBuf direct = Unpooled.directBuffer(16).writeBytes(new byte[] {1, 2, 3, 4, 5});
    ch.writeInbound(direct);
    ByteBuf out = ch.readInbound();
    try {
      assertThat(direct.refCnt()).isZero();
      assertThat(out.isDirect()).isFalse();
      assertThat(ByteBufUtil.getBytes(out)).containsExactly(1, 2, 3, 4, 5);
    } finally {
      out.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void heapBytesAndOtherMessagesPassAsTheyAre() {
    EmbeddedChannel ch = new EmbeddedChannel(HeapCiphertext.INSTANCE);
    ByteBuf heap = Unpooled.wrappedBuffer(new byte[] {9});
    ch.writeInbound(heap, "event");
    ByteBuf first = ch.readInbound();
    assertThat(first).isSameAs(heap);
    assertThat((Object) ch.readInbound()).isEqualTo("event");
    first.release();
    ch.finishAndReleaseAll();
  }
}
