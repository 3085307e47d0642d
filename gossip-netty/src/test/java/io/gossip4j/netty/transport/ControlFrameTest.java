package io.gossip4j.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlFrameTest {
  private static String hex(ControlFrame frame) {
    ByteBuf buf = ControlFrame.encode(frame, UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(buf.getInt(0)).as("length prefix").isEqualTo(buf.readableBytes() - 4);
      return ByteBufUtil.hexDump(buf, 4, buf.readableBytes() - 4);
    } finally {
      buf.release();
    }
  }

  @Test
  void controlFramesEncodeAsTheWireFormatSays() throws Exception {
    assertThat(hex(new ControlFrame.Hello(42))).isEqualTo("3d000000000000002a");
    assertThat(hex(new ControlFrame.Close())).isEqualTo("3e");
    assertThat(hex(new ControlFrame.Heartbeat())).isEqualTo("3f");
    String doc = Files.readString(Path.of("..", "docs", "wire-format.md"));
    assertThat(doc).contains("00 00 00 09   length 9\n3d").contains("00 00 00 00 00 00 00 2a");
  }

  @Test
  void controlFramesDecodeAndMalformedOnesCloseTheConnection() {
    TransportMetrics metrics = new TransportMetrics();
    EmbeddedChannel ch = new EmbeddedChannel(new InboundFrameDecoder(65536, metrics, new PeerWarnings()));
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(
        new byte[] {0x3d, 0, 0, 0, 0, 0, 0, 0, 7}));
    assertThat((Object) ch.readInbound()).isEqualTo(new ControlFrame.Hello(7));
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0x3f}));
    assertThat((Object) ch.readInbound()).isInstanceOf(ControlFrame.Heartbeat.class);
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0x3e, 0}));
    assertThat(ch.isOpen()).isFalse();
    assertThat(metrics.rejectedFrames()).isEqualTo(1);
  }

  @Test
  void theTieBreakKeepsTheConnectionDialedByTheSmallerIdOnBothSides() {
    NodeId small = NodeId.of(new byte[32]);
    byte[] big = new byte[32];
    big[0] = (byte) 0xff; // unsigned order: 0xff is the larger
    NodeId large = NodeId.of(big);
    EmbeddedChannel c1 = new EmbeddedChannel();
    EmbeddedChannel c2 = new EmbeddedChannel();
    // c1 dialed by the small node, c2 by the large one; seen from both ends, in both orders.
    Connection atSmallC1 = ready(c1, true, large);
    Connection atSmallC2 = ready(c2, false, large);
    Connection atLargeC1 = ready(c1, false, small);
    Connection atLargeC2 = ready(c2, true, small);
    assertThat(TieBreak.winner(small, atSmallC1, atSmallC2)).isSameAs(atSmallC1);
    assertThat(TieBreak.winner(small, atSmallC2, atSmallC1)).isSameAs(atSmallC1);
    assertThat(TieBreak.winner(large, atLargeC1, atLargeC2)).isSameAs(atLargeC1);
    assertThat(TieBreak.winner(large, atLargeC2, atLargeC1)).isSameAs(atLargeC1);
    // A new incarnation of the peer always wins: the old connection is stale.
    Connection restarted = new Connection(new EmbeddedChannel(), false);
    restarted.authenticated(large);
    restarted.helloReceived(99);
    assertThat(TieBreak.winner(small, atSmallC1, restarted)).isSameAs(restarted);
  }

  private static Connection ready(EmbeddedChannel ch, boolean outbound, NodeId peer) {
    Connection c = new Connection(ch, outbound);
    c.authenticated(peer);
    c.helloReceived(1);
    return c;
  }
}
